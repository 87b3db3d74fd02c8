"""The Azure AD endpoints proper: device code, token, OIDC and instance discovery, JWKS.

Each function takes the request handler `h` (for form, host, correlation id and replies)
and the shared `Authority` state `a`. Shapes follow what real AAD sends, because the code
under test is meant to run against real AAD afterwards.
"""
import json
import urllib.parse

import aad_errors
import authorize_endpoint
import confidential
from directory import tenant_id
from token_issuer import v1_issuer, v2_issuer

DEVICE_URN = "urn:ietf:params:oauth:grant-type:device_code"
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def _error(h, name, **kw):
    status, body = aad_errors.body(name, h.correlation_id(), **kw)
    h.send_json(status, body)


def _missing(h, param):
    status, body = aad_errors.missing_parameter(param, h.correlation_id())
    h.send_json(status, body)


def _require(h, *names):
    for name in names:
        if not h.form.get(name):
            _missing(h, name)
            return False
    return True


def _claims_ok(h):
    """AAD refuses a `claims` parameter that is not a JSON object (OIDC Core §5.5); the
    request log keeps what was sent, for tests of claims challenges."""
    claims = h.form.get("claims")
    if claims is None:
        return True
    try:
        if isinstance(json.loads(claims), dict):
            return True
    except ValueError:
        pass
    status, body = aad_errors.body("invalid_request", h.correlation_id(), code=90014,
                                   text="The provided value for the input parameter 'claims' "
                                        "is not valid JSON.")
    h.send_json(status, body)
    return False


def device_code(h, a, tenant, api):
    if not _require(h, "client_id", "resource" if api == "v1" else "scope"):
        return
    if not _claims_ok(h):
        return
    behaviour = a.current_behaviour()
    code = a.codes.issue(behaviour, h.form["client_id"], api, tenant, tenant_id(tenant),
                         resource=h.form.get("resource") if api == "v1" else None,
                         scope=h.form.get("scope") if api == "v2" else None)
    url = "https://%s/device" % h.public_host()
    shown_code = code["user_code"] + (behaviour["device_user_code_suffix"] or "")
    message = ("To sign in, use a web browser to open the page %s and enter the code %s "
               "to authenticate." % (url, shown_code)) + (behaviour["device_message_suffix"] or "")
    if api == "v1":  # AAD v1: `verification_url`, numbers as strings
        h.send_json(200, {"user_code": shown_code, "device_code": code["device_code"],
                          "verification_url": url, "expires_in": str(code["expires_in"]),
                          "interval": str(code["interval"]), "message": message})
    else:            # v2 / RFC 8628: `verification_uri`, JSON numbers
        reply = {"user_code": shown_code, "device_code": code["device_code"],
                 "verification_uri": url, "expires_in": code["expires_in"],
                 "interval": code["interval"], "message": message}
        if behaviour["device_uri_complete"]:
            reply["verification_uri_complete"] = "%s?otc=%s" % (url, code["user_code"])
        h.send_json(200, reply)


def token(h, a, tenant, api):
    grant_type = h.form.get("grant_type")
    if not _claims_ok(h):
        return
    if not grant_type:
        _missing(h, "grant_type")
    elif grant_type in ("device_code", DEVICE_URN):
        _device_grant(h, a, grant_type, api)
    elif grant_type == "refresh_token":
        _refresh_grant(h, a, tenant, api)
    elif grant_type in confidential.GRANTS:  # client secret/assertion, code + PKCE
        confidential.token(h, a, tenant, api, grant_type)
    elif grant_type in ("password", "urn:ietf:params:oauth:grant-type:saml1_1-bearer",
                        "urn:ietf:params:oauth:grant-type:saml2-bearer"):
        import wstrust_endpoints  # here: it imports this module
        wstrust_endpoints.token(h, a, tenant, api, grant_type)
    else:
        _error(h, "unsupported_grant_type")


def _device_grant(h, a, grant_type, api):
    if not _require(h, "client_id"):
        return
    # ADAL (v1) sends the device code as `code`; RFC 8628 clients as `device_code`.
    code_value = h.form.get("device_code") or h.form.get("code")
    if not code_value:
        _missing(h, "code" if grant_type == "device_code" else "device_code")
        return
    outcome, code = a.codes.poll(code_value, h.form["client_id"])
    if outcome == "expired":
        # AAD v1 with ADAL's grant says code_expired; RFC 8628 clients get expired_token.
        v1_style = grant_type == "device_code" and api == "v1"
        outcome = "code_expired" if v1_style else "expired_token"
    if outcome != "ok":
        _error(h, outcome)
        return
    grant = {"api": code["api"], "client_id": code["client_id"], "upn": code["user"],
             "tenant": code["tenant"], "tid": code["tid"],
             "resource": code["resource"], "scope": code["scope"]}
    _issue(h, a, grant)


def _refresh_grant(h, a, tenant, api):
    if not _require(h, "client_id", "refresh_token"):
        return
    behaviour = a.current_behaviour()
    err, old = a.refresh.redeem(h.form["refresh_token"], h.form["client_id"],
                                tenant_id(tenant), behaviour["invalidate_old_refresh_tokens"])
    if err:
        _error(h, err)
        return
    # Refresh tokens are multi-resource (MRRT): the request may name another resource.
    grant = dict(old, api=api, tenant=tenant)
    grant.pop("valid", None)
    if api == "v1":
        grant["resource"] = h.form.get("resource") or old.get("resource")
        if not grant["resource"]:
            _missing(h, "resource")
            return
    else:
        grant["scope"] = h.form.get("scope") or old.get("scope") or "openid offline_access"
    _issue(h, a, grant)


def _issue(h, a, grant):
    behaviour = a.current_behaviour()
    body = a.issuer.respond(grant, h.public_host(), behaviour["access_token_lifetime"],
                            lambda: a.refresh.issue(grant), a.now(),
                            behaviour["id_token_claims"])
    h.send_json(200, body)


def openid_configuration(h, a, tenant, api):
    host = h.public_host()
    tid = tenant_id(tenant)
    base = "https://%s/%s" % (host, tenant)
    if api == "v1":
        doc = {
            "issuer": v1_issuer(tid),
            "authorization_endpoint": base + "/oauth2/authorize",
            "token_endpoint": base + "/oauth2/token",
            "device_authorization_endpoint": base + "/oauth2/devicecode",
            "jwks_uri": base + "/discovery/keys",
            "end_session_endpoint": base + "/oauth2/logout",
            "microsoft_multi_refresh_token": True,
            "scopes_supported": ["openid"],
        }
    else:
        doc = {
            "issuer": v2_issuer(host, tid),
            "authorization_endpoint": base + "/oauth2/v2.0/authorize",
            "token_endpoint": base + "/oauth2/v2.0/token",
            "device_authorization_endpoint": base + "/oauth2/v2.0/devicecode",
            "jwks_uri": base + "/discovery/v2.0/keys",
            "end_session_endpoint": base + "/oauth2/v2.0/logout",
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "grant_types_supported": ["authorization_code", "refresh_token", DEVICE_URN],
        }
    doc.update({
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                  "client_secret_basic"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nbf", "name", "tid", "oid",
                             "upn", "unique_name", "email", "given_name", "family_name",
                             "preferred_username"],
        "tenant_region_scope": "WW",
        "cloud_instance_name": "microsoftonline.com",
    })
    h.send_json(200, doc)


def keys(h, a, tenant, api):
    issuer = v2_issuer(h.public_host(), tenant_id(tenant)) if api == "v2" else None
    h.send_json(200, a.issuer.jwks(issuer))


def instance_discovery(h, a, tenant, api):
    endpoint = h.query.get("authorization_endpoint")
    if not endpoint:
        status, body = aad_errors.body("invalid_request", h.correlation_id(), code=90014,
                                       text="The required field 'authorization_endpoint' is "
                                            "missing from the request.")
        h.send_json(status, body)
        return
    parts = urllib.parse.urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme != "https" or not segments or not a.known_instance(host, parts.netloc):
        _error(h, "invalid_instance")
        return
    netloc = parts.netloc.lower()
    h.send_json(200, {
        "tenant_discovery_endpoint": "https://%s/%s/.well-known/openid-configuration"
                                     % (netloc, segments[0]),
        "api-version": "1.1",
        "metadata": [{"preferred_network": netloc, "preferred_cache": netloc,
                      "aliases": [netloc]}],
    })


# (method, path after the tenant) -> (function, api, fault endpoint class)
ROUTES = {
    ("POST", ("oauth2", "devicecode")): (device_code, "v1", "devicecode"),
    ("POST", ("oauth2", "token")): (token, "v1", "token"),
    ("POST", ("oauth2", "v2.0", "devicecode")): (device_code, "v2", "devicecode"),
    ("POST", ("oauth2", "v2.0", "token")): (token, "v2", "token"),
    ("GET", (".well-known", "openid-configuration")): (openid_configuration, "v1", "discovery"),
    ("GET", ("v2.0", ".well-known", "openid-configuration")):
        (openid_configuration, "v2", "discovery"),
    ("GET", ("discovery", "keys")): (keys, "v1", "discovery"),
    ("GET", ("discovery", "v2.0", "keys")): (keys, "v2", "discovery"),
    ("GET", ("discovery", "instance")): (instance_discovery, "v1", "discovery"),
    ("GET", ("oauth2", "authorize")): (authorize_endpoint.authorize, "v1", "authorize"),
    ("GET", ("oauth2", "v2.0", "authorize")): (authorize_endpoint.authorize, "v2", "authorize"),
}
