"""Error bodies in Azure AD's shape.

Clients under test parse these: ADAL keeps the whole body as AdalError.error_response and
aadcred shows `error`, `error_description`, `error_codes` and `correlation_id`. The
description embeds the trace/correlation ids and timestamp with CRLF, as AAD does.
"""
import datetime
import uuid

# name -> (HTTP status, AADSTS code, description text without the AADSTS prefix)
ERRORS = {
    "authorization_pending": (400, 70016, "OAuth 2.0 device flow error. Authorization is "
                              "pending. Continue polling."),
    "slow_down": (400, 70016, "OAuth 2.0 device flow error. Polling too frequently. "
                  "Increase the polling interval."),
    "authorization_declined": (400, 70000, "The user has declined to authorize the "
                               "application."),
    "code_expired": (400, 70019, "Verification code expired."),
    "expired_token": (400, 70019, "Verification code expired."),
    "bad_verification_code": (400, 70000, "The provided value for the input parameter "
                              "'device_code' is not valid."),
    "device_code_redeemed": (400, 54005, "OAuth2 Authorization code was already redeemed, "
                             "please retry with a new valid code or use an existing refresh "
                             "token."),
    "device_code_wrong_client": (400, 70000, "The provided device code was issued to a "
                                 "different client."),
    "refresh_revoked": (400, 70008, "The provided authorization code or refresh token has "
                        "expired due to inactivity. Send a new interactive authorization "
                        "request for this user and resource."),
    "refresh_unknown": (400, 9002313, "Invalid request. Request is malformed or invalid."),
    "refresh_wrong_client": (400, 70000, "Provided grant is invalid or malformed. The refresh "
                             "token was issued to a different client."),
    "refresh_wrong_tenant": (400, 50089, "Flow token expired. The refresh token was issued "
                             "by a different tenant."),
    "invalid_instance": (400, 50049, "Unknown or invalid instance."),
    "unsupported_grant_type": (400, 70003, "The app requested an unsupported grant type."),
    "invalid_scope": (400, 70011, "The provided value for the input parameter 'scope' is not "
                      "valid."),
    # A Conditional Access policy that blocks the device code flow (issue 11).
    "device_blocked": (400, 53003, "Access has been blocked by Conditional Access policies. "
                       "The access policy does not allow token issuance."),
    "temporarily_unavailable": (503, 90033, "A transient error has occurred. Please try "
                                "again."),
}

# The wire `error` for internal names that share one OAuth error code.
_WIRE_NAME = {
    "device_code_redeemed": "invalid_grant",
    "device_blocked": "invalid_grant",
    "device_code_wrong_client": "invalid_grant",
    "refresh_revoked": "invalid_grant",
    "refresh_unknown": "invalid_grant",
    "refresh_wrong_client": "invalid_grant",
    "refresh_wrong_tenant": "invalid_grant",
}


def timestamp():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ")


def body(name, correlation_id=None, code=None, text=None, wire_error=None):
    """(status, dict) for a named error; `code`/`text` override for ad-hoc errors."""
    status, default_code, default_text = ERRORS.get(name, (400, code or 900144, text or ""))
    code = code or default_code
    text = text or default_text
    trace_id = str(uuid.uuid4())
    correlation_id = correlation_id or str(uuid.uuid4())
    ts = timestamp()
    description = "AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s" % (
        code, text, trace_id, correlation_id, ts)
    return status, {
        "error": wire_error or _WIRE_NAME.get(name, name),
        "error_description": description,
        "error_codes": [code],
        "timestamp": ts,
        "trace_id": trace_id,
        "correlation_id": correlation_id,
        "error_uri": "https://login.microsoftonline.com/error?code=%d" % code,
    }


def missing_parameter(param, correlation_id=None):
    return body("invalid_request", correlation_id, code=900144,
                text="The request body must contain the following parameter: '%s'." % param,
                wire_error="invalid_request")
