"""The fake directory: tenants and users the authority knows.

Any tenant segment is accepted, as AAD accepts `common`, `organizations`, a domain or a GUID;
only a GUID segment changes the tenant id in tokens, so tests can exercise `allowed_tenants`.
Unknown UPNs get a stable made-up identity rather than an error, so a PAM test can sign in
as whatever local user it created.
"""
import re
import uuid

# The tenant id of the ADAL documentation's samples, so expectations read familiar.
DEFAULT_TENANT_ID = "cceba14c-6a00-49ac-b806-84de52bf1d42"

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")

BUILTIN_USERS = {
    "alice@contoso.com": {"upn": "alice@contoso.com", "given_name": "Alice",
                          "family_name": "Liddell",
                          "oid": "0f7c2a61-3c4e-4b2a-9d6e-5a1b8c3d2e01"},
    "bob@contoso.com": {"upn": "bob@contoso.com", "given_name": "Bob",
                        "family_name": "Builder",
                        "oid": "4b9e0d12-7a35-4c8f-b1e2-6d3c9a0f5e02"},
}

DEFAULT_USER = "alice@contoso.com"

# Made-up identities are derived from the UPN so they are the same in every run.
_USER_NAMESPACE = uuid.UUID("8a0c3e5e-1f7b-4d46-9b3e-2c6f0a9d7b10")


def is_guid(text):
    return bool(_GUID.match(text or ""))


def tenant_id(segment):
    return segment.lower() if is_guid(segment) else DEFAULT_TENANT_ID


def valid_tenant_segment(segment):
    # A single path segment; refuse odd characters so nothing odd is echoed into URLs.
    return bool(re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", segment or ""))


def valid_upn(upn):
    return bool(re.match(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}$", upn or ""))


def get_user(upn):
    """The user record for `upn` (case-insensitive), or None if it is not a plausible UPN."""
    if not valid_upn(upn):
        return None
    key = upn.lower()
    if key in BUILTIN_USERS:
        return dict(BUILTIN_USERS[key])
    local = key.split("@", 1)[0]
    parts = re.split(r"[._-]+", local)
    return {"upn": key, "given_name": parts[0].capitalize() or local,
            "family_name": parts[-1].capitalize() if len(parts) > 1 else "Tester",
            "oid": str(uuid.uuid5(_USER_NAMESPACE, key))}


def display_name(user):
    return "%s %s" % (user["given_name"], user["family_name"])
