"""GET /{tenant}/oauth2/authorize and /{tenant}/oauth2/v2.0/authorize: where a native
app sends the browser for the authorization code flow (RFC 6749 §4.1.1, PKCE RFC 7636,
RFC 8252's loopback redirect).

There is no interactive sign-in here: the behaviour's "browser" says what the person does
at the page. "approve" (the default) signs in as the behaviour's user and redirects with
a one-shot code bound to the PKCE challenge (redeemed at the token endpoint by
confidential.py's authorization_code grant); "decline" redirects with access_denied and
AADSTS65004; "blocked" with access_denied and AADSTS53003, as a Conditional Access policy
does. As Azure AD, a request it cannot redirect safely (no client_id, a redirect URI
that is not a loopback one) gets an error page instead of a redirect, and every redirect
carries the state as sent.
"""
import html
import urllib.parse

from directory import get_user

_LOOPBACK = ("http://127.0.0.1:", "http://localhost:", "http://[::1]:")
_REFUSALS = {
    "decline": ("access_denied", "AADSTS65004: User declined to consent to access the app."),
    "blocked": ("access_denied", "AADSTS53003: Access has been blocked by Conditional Access "
                                 "policies. The access policy does not allow token issuance."),
}


def _error_page(h, text):
    h.send_html(400, "<!DOCTYPE html><html><body><h1>Sorry, but we're having trouble signing "
                     "you in.</h1><p>%s</p></body></html>" % html.escape(text))


def _redirect(h, redirect_uri, fields):
    separator = "&" if "?" in redirect_uri else "?"
    location = redirect_uri + separator + urllib.parse.urlencode(fields)
    h.send_response(302)
    h.send_common_headers("text/html; charset=utf-8", 0, {"Location": location})
    h.end_headers()


def authorize(h, a, tenant, api):
    q = h.query
    client_id, redirect_uri = q.get("client_id"), q.get("redirect_uri", "")
    if not client_id:
        _error_page(h, "AADSTS900144: The request body must contain the following parameter: "
                       "'client_id'.")
        return
    if not redirect_uri.startswith(_LOOPBACK):
        _error_page(h, "AADSTS50011: The redirect URI '%s' specified in the request does not "
                       "match the redirect URIs configured for the application." % redirect_uri)
        return
    state = {"state": q["state"]} if "state" in q else {}
    if q.get("response_type") != "code":
        _redirect(h, redirect_uri, {"error": "unsupported_response_type",
                                    "error_description": "AADSTS70005: response_type '%s' is "
                                    "not enabled for the client." % q.get("response_type", ""),
                                    **state})
        return
    if api == "v1" and not q.get("resource"):
        _redirect(h, redirect_uri, {"error": "invalid_request", "error_description":
                                    "AADSTS900144: The request body must contain the following "
                                    "parameter: 'resource'.", **state})
        return
    behaviour = a.current_behaviour()
    refusal = _REFUSALS.get(behaviour["browser"])
    if refusal:
        _redirect(h, redirect_uri, {"error": refusal[0], "error_description": refusal[1],
                                    **state})
        return
    user = get_user(q.get("login_hint") or behaviour["user"]) or get_user(behaviour["user"])
    minted = a.confidential.add_code({
        "user": user["upn"], "client_id": client_id, "redirect_uri": redirect_uri,
        "code_challenge": q.get("code_challenge"),
        "code_challenge_method": q.get("code_challenge_method")})
    _redirect(h, redirect_uri, {"code": minted["code"], **state, "session_state": tenant})
