"""Selftest of the confidential-client grants and authorization codes (confidential.py)."""
import base64
import hashlib
import time
import urllib.error
import urllib.parse
import urllib.request

from confidential import JWT_BEARER, new_client_certificate, sign_assertion
from selftest_lib import jwt_claims

RES = "https://management.core.windows.net/"
TOKEN = "/contoso/oauth2/token"


def _aadsts(r):
    return (r.json or {}).get("error_codes", [None])[0]


def t_client_credentials(c, cl):
    r = cl.form(TOKEN, {"grant_type": "client_credentials", "client_id": "app-1",
                        "resource": RES, "client_secret": "s3cr3t&="})
    j = r.json or {}
    c.check("client secret accepted", r.status == 200 and j.get("resource") == RES, r.raw)
    c.check("app token v1 shape", isinstance(j.get("expires_in"), str)
            and "refresh_token" not in j and "id_token" not in j, j)
    info = cl.control("introspect", {"token": j.get("access_token", "")})
    c.check("app token introspects", info.get("active") and info.get("appid") == "app-1", info)
    r = cl.form(TOKEN, {"grant_type": "client_credentials", "client_id": "app-1",
                        "resource": RES, "client_secret": "wrong"})
    c.check("wrong secret: 401 invalid_client 7000215", r.status == 401 and
            r.json["error"] == "invalid_client" and _aadsts(r) == 7000215, r.raw)
    r = cl.form(TOKEN, {"grant_type": "client_credentials", "client_id": "nobody",
                        "resource": RES, "client_secret": "x"})
    c.check("unknown client refused", r.status == 400 and _aadsts(r) == 700016, r.raw)
    r = cl.form(TOKEN, {"grant_type": "client_credentials", "client_id": "app-1",
                        "resource": RES})
    c.check("no credential: 7000218", r.status == 401 and _aadsts(r) == 7000218, r.raw)


def t_client_assertion(c, cl):
    key, cert, thumb = new_client_certificate()
    reg = cl.control("certificates", {"client_id": "cert-app", "certificate_pem": cert})
    c.check("certificate registered", reg.get("thumbprint") == thumb, reg)
    x5t = base64.urlsafe_b64encode(bytes.fromhex(thumb)).decode()  # ADAL keeps the '='
    now = int(time.time())
    aud = cl.base + TOKEN

    def post(claims, x5t=x5t, signer=key):
        return cl.form(TOKEN, {"grant_type": "client_credentials", "client_id": "cert-app",
                               "resource": RES, "client_assertion_type": JWT_BEARER,
                               "client_assertion": sign_assertion(signer, claims, x5t)})

    good = {"aud": aud, "iss": "cert-app", "sub": "cert-app", "nbf": now, "exp": now + 600,
            "jti": "j1"}
    r = post(good)
    c.check("assertion accepted", r.status == 200, r.raw)
    c.check("app token appidacr 2", jwt_claims(r.json["access_token"]).get("appidacr") == "2")
    c.check("assertion x5t unpadded accepted", post(good, x5t.rstrip("=")).status == 200)
    r = post(dict(good, aud="https://elsewhere/oauth2/token"))
    c.check("wrong aud refused", r.status == 401 and _aadsts(r) == 700038, r.raw)
    r = post(dict(good, iss="other"))
    c.check("wrong iss refused", r.status == 401 and _aadsts(r) == 700021, r.raw)
    r = post(dict(good, nbf=now - 3000, exp=now - 2400))
    c.check("expired assertion refused", r.status == 401 and _aadsts(r) == 700024, r.raw)
    other_key, _, _ = new_client_certificate()
    r = post(good, signer=other_key)
    c.check("bad signature refused", r.status == 401 and _aadsts(r) == 700027, r.raw)
    r = post(good, x5t=base64.urlsafe_b64encode(b"\0" * 20).decode())
    c.check("unknown x5t refused", r.status == 401 and _aadsts(r) == 700027, r.raw)


def t_auth_code(c, cl):
    verifier = "v" * 43
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()) \
        .rstrip(b"=").decode()

    def mint(**extra):
        body = {"user": "bob@contoso.com", "client_id": "web-1",
                "redirect_uri": "http://localhost/cb"}
        body.update(extra)
        return cl.control("auth_codes", body)["code"]

    def redeem(code, **extra):
        form = {"grant_type": "authorization_code", "client_id": "web-1", "resource": RES,
                "redirect_uri": "http://localhost/cb", "code": code}
        form.update(extra)
        return cl.form(TOKEN, form)

    code = mint(code_challenge=challenge, code_challenge_method="S256")
    r = redeem(code, code_verifier=verifier)
    j = r.json or {}
    c.check("code + S256 verifier redeemed", r.status == 200 and "refresh_token" in j, r.raw)
    c.check("code's user in id_token",
            jwt_claims(j.get("id_token", "x.e30.x")).get("upn") == "bob@contoso.com")
    r = redeem(code, code_verifier=verifier)
    c.check("code is single-use", r.status == 400 and _aadsts(r) == 54005, r.raw)
    r = redeem(mint(code_challenge=challenge, code_challenge_method="S256"),
               code_verifier="w" * 43)
    c.check("wrong verifier refused", r.status == 400 and _aadsts(r) == 501481, r.raw)
    r = redeem(mint(code_challenge="plainval"), code_verifier="plainval")
    c.check("plain challenge", r.status == 200, r.raw)
    r = redeem(mint(code_challenge="plainval"))
    c.check("missing verifier refused", r.status == 400 and _aadsts(r) == 9002325, r.raw)
    r = redeem(mint(), redirect_uri="http://localhost/other")
    c.check("redirect mismatch refused", r.status == 400 and _aadsts(r) == 50148, r.raw)
    code = cl.control("auth_codes", {"client_id": "app-1", "redirect_uri": "http://l"})["code"]
    r = cl.form(TOKEN, {"grant_type": "authorization_code", "client_id": "app-1",
                        "resource": RES, "redirect_uri": "http://l", "code": code,
                        "client_secret": "bad"})
    c.check("confidential client's secret checked", r.status == 401 and _aadsts(r) == 7000215)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the 302 itself is what is checked


def _authorize(cl, path, query):
    """GET of the authorization page; (status, the redirect's query or None, body)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect(),
                                         urllib.request.HTTPSHandler(context=cl.context))
    url = cl.base + path + "?" + urllib.parse.urlencode(query)
    try:
        with opener.open(url, timeout=20) as resp:
            return resp.status, None, resp.read().decode()
    except urllib.error.HTTPError as e:
        with e:
            location = e.headers.get("Location")
            fields = None
            if location:
                fields = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
                fields["_to"] = location.split("?")[0]
            return e.code, fields, e.read().decode()


def t_authorize(c, cl):
    verifier = "a" * 43
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()) \
        .rstrip(b"=").decode()
    redirect = "http://127.0.0.1:43123/"
    query = {"response_type": "code", "client_id": "cli-1", "redirect_uri": redirect,
             "resource": RES, "state": "st-1", "code_challenge": challenge,
             "code_challenge_method": "S256"}
    status, back, _ = _authorize(cl, "/contoso/oauth2/authorize", query)
    c.check("authorize: 302 to the loopback with code and state", status == 302 and back
            and back["_to"] == redirect and back.get("state") == "st-1" and "code" in back, back)
    form = {"grant_type": "authorization_code", "client_id": "cli-1", "resource": RES,
            "redirect_uri": redirect, "code": (back or {}).get("code", "")}
    r = cl.form(TOKEN, dict(form, code_verifier="b" * 43))
    c.check("authorize: the code needs the challenge's verifier",
            r.status == 400 and _aadsts(r) == 501481, r.raw)
    status, back, _ = _authorize(cl, "/contoso/oauth2/authorize", query)
    r = cl.form(TOKEN, dict(form, code=back["code"], code_verifier=verifier))
    c.check("authorize: code + verifier redeemed", r.status == 200 and
            "refresh_token" in (r.json or {}), r.raw)
    status, back, _ = _authorize(cl, "/contoso/oauth2/v2.0/authorize",
                                 dict(query, scope="openid offline_access", resource=""))
    c.check("authorize v2: 302 with code", status == 302 and "code" in back, back)
    status, back, body = _authorize(cl, "/contoso/oauth2/authorize",
                                    dict(query, redirect_uri="https://evil.example/"))
    c.check("authorize: no redirect to a non-loopback URI",
            status == 400 and back is None and "AADSTS50011" in body, (status, back))
    cl.control("behaviour", {"browser": "blocked"})
    status, back, _ = _authorize(cl, "/contoso/oauth2/authorize", query)
    c.check("authorize blocked: access_denied with AADSTS53003", status == 302 and
            back.get("error") == "access_denied" and
            back.get("error_description", "").startswith("AADSTS53003") and
            back.get("state") == "st-1" and "code" not in back, back)
    cl.control("behaviour", {"browser": "decline"})
    status, back, _ = _authorize(cl, "/contoso/oauth2/authorize", query)
    c.check("authorize declined: AADSTS65004", status == 302 and
            back.get("error_description", "").startswith("AADSTS65004"), back)
    cl.control("behaviour", {"browser": "approve"})


def t_confidential(c, cl):
    t_client_credentials(c, cl)
    t_client_assertion(c, cl)
    t_auth_code(c, cl)
    t_authorize(c, cl)
