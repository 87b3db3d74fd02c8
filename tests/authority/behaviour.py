"""The knobs tests turn with POST /_control/behaviour.

Kept apart from the stores so its validation can be strict: a typo in a test's behaviour
body must fail loudly (400 naming the key) rather than silently leave a default in place.
Device-code settings are copied into each code when it is issued, so a change applies only
to codes issued after it; token lifetime and rotation are read when a token is issued.
"""
from directory import get_user

# key -> (accepted types, may be null)
_SCHEMA = {
    "approve_after_polls": (int, True),      # None: wait for approve (control, page, auto)
    "user": (str, False),                    # who approves when nobody says
    "decline": (bool, False),                # at approve_after_polls, decline instead
    "interval": (int, False),
    "expires_in": (int, False),
    "access_token_lifetime": (int, False),
    "invalidate_old_refresh_tokens": (bool, False),
    "auto_approve_after_seconds": ((int, float), True),
    "wstrust_version": (str, False),         # "13" or "2005": what MEX and user realm offer
    "wstrust_fault_status": (int, False),    # HTTP status of WS-Trust SOAP faults
    "mex_broken": (bool, False),             # MEX answers 500 (clients fall back)
    "clock_skew_seconds": (int, False),      # the authority's clock runs this far ahead
    # Hostile text for people (issue 9): appended to the device code reply's message, and
    # to its user_code as sent (the code is still stored and approved by its plain form).
    "device_message_suffix": (str, True),
    "device_user_code_suffix": (str, True),
    # Claims merged over each id_token's (issue 9: a upn holding a NUL, and the like).
    "id_token_claims": (dict, False),
    # What the person does at the authorization page (authorize_endpoint.py):
    # "approve", "decline" or "blocked" (Conditional Access, AADSTS53003).
    "browser": (str, False),
    # The device code is refused at its first poll with AADSTS53003 (Conditional Access).
    "device_blocked": (bool, False),
    # v2 device code replies carry RFC 8628's verification_uri_complete (page?otc=code),
    # as Microsoft's v2 endpoint does for some tenants (issue 11: QR code, notification).
    "device_uri_complete": (bool, False),
}


def defaults(args):
    """Built from the command line; /_control/reset comes back to exactly this."""
    return {
        "approve_after_polls": None,
        "user": args.user,
        "decline": False,
        "interval": args.interval,
        "expires_in": args.expires_in,
        "access_token_lifetime": args.access_token_lifetime,
        "invalidate_old_refresh_tokens": True,
        "auto_approve_after_seconds": args.auto_approve_after,
        "wstrust_version": "13",
        "wstrust_fault_status": 500,
        "mex_broken": False,
        "clock_skew_seconds": 0,
        "device_message_suffix": None,
        "device_user_code_suffix": None,
        "id_token_claims": {},
        "browser": "approve",
        "device_blocked": False,
        "device_uri_complete": False,
    }


def merge(current, update):
    """A new behaviour dict, or raise ValueError with a message fit for the test author."""
    if not isinstance(update, dict):
        raise ValueError("behaviour must be a JSON object")
    merged = dict(current)
    for key, value in update.items():
        if key not in _SCHEMA:
            raise ValueError("unknown behaviour key %r (known: %s)"
                             % (key, ", ".join(sorted(_SCHEMA))))
        types, nullable = _SCHEMA[key]
        if value is None and nullable:
            merged[key] = None
            continue
        # bool is an int in Python; refuse true where a number is meant and vice versa.
        if isinstance(value, bool) != (types is bool) or not isinstance(value, types):
            raise ValueError("behaviour %r has the wrong type" % key)
        if key in ("interval", "expires_in", "access_token_lifetime") and value <= 0:
            raise ValueError("behaviour %r must be positive" % key)
        if key in ("approve_after_polls", "auto_approve_after_seconds") and value < 0:
            raise ValueError("behaviour %r must not be negative" % key)
        if key == "clock_skew_seconds" and abs(value) > 86400:
            raise ValueError("behaviour 'clock_skew_seconds' must be within a day")
        if key == "wstrust_version" and value not in ("13", "2005"):
            raise ValueError("behaviour 'wstrust_version' must be \"13\" or \"2005\"")
        if key == "wstrust_fault_status" and not 200 <= value <= 599:
            raise ValueError("behaviour 'wstrust_fault_status' must be an HTTP status")
        if key == "browser" and value not in ("approve", "decline", "blocked"):
            raise ValueError("behaviour 'browser' must be \"approve\", \"decline\" or "
                             "\"blocked\"")
        if key == "user":
            user = get_user(value)
            if user is None:
                raise ValueError("behaviour 'user' is not a UPN")
            value = user["upn"]
        merged[key] = value
    return merged
