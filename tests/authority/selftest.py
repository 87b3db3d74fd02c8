#!/usr/bin/python3
"""Self-check of the local authority, the git server and the CA maker.

Run: /usr/bin/python3 tests/authority/selftest.py
Last line: `N passed, N failed`; exit status 1 if anything failed.
Protocol checks are here; real clients (git, python3-adal) are in selftest_clients.py.
"""
import os
import signal
import ssl
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import selftest_clients  # noqa: E402
import selftest_confidential  # noqa: E402
import selftest_wstrust  # noqa: E402
from selftest_lib import PYTHON, Checks, Client, Server, jwt_claims, jwt_verify  # noqa: E402

TID = "cceba14c-6a00-49ac-b806-84de52bf1d42"
CID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
RES = "https://management.core.windows.net/"
CORR = "11111111-2222-3333-4444-555555555555"
ECHO = {"client-request-id": CORR, "return-client-request-id": "true"}


def t_pki(c, d):
    for f in ("ca.key", "server.key", "wrong-host.key"):
        c.check("%s is 0600" % f, stat.S_IMODE(os.stat(os.path.join(d, f)).st_mode) == 0o600)


def t_tls(c, cl, d, log):
    r = cl.get("/common/discovery/keys")
    c.check("TLS with the made CA", r.status == 200)
    other = Client(cl.base, os.path.join(d, "other-ca.pem"))
    try:
        other.get("/common/discovery/keys")
        c.check("unrelated CA refused", False, "connected")
    except Exception as e:  # noqa: BLE001
        c.check("unrelated CA refused", isinstance(getattr(e, "reason", e),
                                                   ssl.SSLCertVerificationError), repr(e))
    wrong = Server(["authority.py", "--cert", os.path.join(d, "wrong-host.pem"),
                    "--key", os.path.join(d, "wrong-host.key")], log)
    try:
        Client(wrong.url, os.path.join(d, "ca.pem")).get("/common/discovery/keys")
        c.check("host name mismatch refused", False, "connected")
    except Exception as e:  # noqa: BLE001
        c.check("host name mismatch refused", "match" in str(e) or "mismatch" in str(e), e)
    c.check("wrong-host server exits 0 on SIGINT", wrong.stop(signal.SIGINT) == 0)


def device_code(cl, tenant="contoso"):
    return cl.form("/%s/oauth2/devicecode?api-version=1.0" % tenant,
                   {"client_id": CID, "resource": RES}, ECHO)


def poll_v1(cl, code, tenant="contoso"):
    return cl.form("/%s/oauth2/token" % tenant, {"grant_type": "device_code",
                                                 "client_id": CID, "resource": RES,
                                                 "code": code}, ECHO)


def t_v1_flow(c, cl, state):
    cl.control("reset", {})
    cl.control("behaviour", {"approve_after_polls": 2, "interval": 1})
    r = device_code(cl)
    j = r.json or {}
    c.check("v1 devicecode 200", r.status == 200, r.raw[:300])
    c.check("v1 devicecode numbers are strings",
            j.get("expires_in") == "900" and j.get("interval") == "1", j)
    uc = j.get("user_code", "")
    c.check("user code 9 upper alnum", len(uc) == 9 and uc.isalnum() and uc.upper() == uc)
    c.check("verification_url", j.get("verification_url") == cl.base + "/device")
    c.check("message names code and url", uc in j.get("message", "")
            and cl.base + "/device" in j.get("message", ""))
    c.check("client-request-id echoed", r.headers.get("client-request-id") == CORR)
    c.check("json content type",
            r.headers.get("Content-Type") == "application/json; charset=utf-8")
    c.check("no-store", r.headers.get("Cache-Control") == "no-store")
    c.check("pending lists the code", cl.control("pending") == [uc])
    for i in (1, 2):
        p = poll_v1(cl, j["device_code"])
        e = p.json or {}
        c.check("poll %d authorization_pending" % i,
                p.status == 400 and e.get("error") == "authorization_pending"
                and e.get("error_codes") == [70016], p.raw[:200])
    c.check("AAD error shape", all(k in e for k in ("error_description", "timestamp",
                                                    "trace_id", "error_uri"))
            and e["error_description"].startswith("AADSTS70016: ")
            and "\r\nTrace ID: " in e["error_description"])
    c.check("error correlation_id = client-request-id", e.get("correlation_id") == CORR)
    p = poll_v1(cl, j["device_code"])
    t = p.json or {}
    c.check("poll 3 returns tokens", p.status == 200, p.raw[:300])
    c.check("v1 token numbers as strings", t.get("expires_in") == "3599"
            and t.get("ext_expires_in") == "3599" and t.get("expires_on", "").isdigit()
            and t.get("not_before", "").isdigit(), t)
    c.check("v1 token fields", t.get("token_type") == "Bearer" and t.get("resource") == RES
            and t.get("scope") == "user_impersonation" and t.get("refresh_token"))
    jwks = cl.get("/common/discovery/keys").json
    c.check("JWKS key fields", set(jwks["keys"][0]) >= {"kty", "use", "kid", "n", "e", "x5t"})
    c.check("access token verifies", jwt_verify(t["access_token"], jwks))
    c.check("id_token verifies", jwt_verify(t["id_token"], jwks))
    idc, atc = jwt_claims(t["id_token"]), jwt_claims(t["access_token"])
    c.check("id_token claims", idc.get("aud") == CID and idc.get("upn") == "alice@contoso.com"
            and idc.get("iss") == "https://sts.windows.net/%s/" % TID
            and idc.get("tid") == TID and idc.get("given_name") == "Alice"
            and idc.get("family_name") == "Liddell" and idc.get("oid"), idc)
    c.check("access token claims", atc.get("aud") == RES and atc.get("appid") == CID
            and atc.get("upn") == "alice@contoso.com" and atc.get("exp"), atc)
    p = poll_v1(cl, j["device_code"])
    c.check("redeemed code refused", (p.json or {}).get("error") == "invalid_grant")
    c.check("pending now empty", cl.control("pending") == [])
    state["v1"] = t


def t_refresh(c, cl, state):
    rt1 = state["v1"]["refresh_token"]
    r = cl.form("/contoso/oauth2/token", {"grant_type": "refresh_token", "client_id": CID,
                                          "resource": "https://graph.windows.net/",
                                          "refresh_token": rt1})
    t = r.json or {}
    c.check("refresh 200, other resource", r.status == 200
            and t.get("resource") == "https://graph.windows.net/", r.raw[:200])
    c.check("refresh rotates", t.get("refresh_token") not in (None, rt1))
    r = cl.form("/contoso/oauth2/token", {"grant_type": "refresh_token", "client_id": CID,
                                          "resource": RES, "refresh_token": rt1})
    c.check("old refresh token rejected", r.status == 400
            and (r.json or {}).get("error") == "invalid_grant"
            and (r.json or {}).get("error_codes") == [70008], r.raw[:200])
    cl.control("behaviour", {"invalidate_old_refresh_tokens": False})
    rt2 = t["refresh_token"]
    ok = all(cl.form("/contoso/oauth2/token", {"grant_type": "refresh_token",
                                               "client_id": CID, "resource": RES,
                                               "refresh_token": rt2}).status == 200
             for _ in range(2))
    c.check("no rotation when invalidate_old_refresh_tokens false", ok)
    r = cl.form("/contoso/oauth2/token", {"grant_type": "refresh_token", "client_id": "other",
                                          "resource": RES, "refresh_token": rt2})
    c.check("refresh token bound to client", (r.json or {}).get("error") == "invalid_grant")


def t_v2_flow(c, cl, state):
    cl.control("reset", {})
    scope = "api://aadcred-test/.default openid offline_access"
    tenant = "0d5f7e4c-1111-2222-3333-444455556666"
    r = cl.form("/%s/oauth2/v2.0/devicecode" % tenant, {"client_id": CID, "scope": scope})
    j = r.json or {}
    c.check("v2 devicecode ints + verification_uri", r.status == 200
            and j.get("expires_in") == 900 and j.get("interval") == 5
            and j.get("verification_uri") == cl.base + "/device", j)
    urn = "urn:ietf:params:oauth:grant-type:device_code"
    poll = {"grant_type": urn, "client_id": CID, "device_code": j.get("device_code")}
    p = cl.form("/%s/oauth2/v2.0/token" % tenant, poll)
    c.check("v2 pending", (p.json or {}).get("error") == "authorization_pending")
    a = cl.control("device/%s/approve" % j["user_code"].lower(), {"user": "bob@contoso.com"})
    c.check("control approve", (a or {}).get("status") == "approved", a)
    p = cl.form("/%s/oauth2/v2.0/token" % tenant, poll)
    t = p.json or {}
    c.check("v2 token ints, scope, no resource", p.status == 200
            and t.get("expires_in") == 3599 and t.get("scope") == scope
            and "resource" not in t and t.get("refresh_token") and t.get("id_token"), t)
    idc = jwt_claims(t["id_token"])
    c.check("v2 id_token: GUID tenant, iss, bob",
            idc.get("tid") == tenant and idc.get("preferred_username") == "bob@contoso.com"
            and idc.get("iss") == "https://%s/%s/v2.0" % (urllib.parse.urlsplit(
                cl.base).netloc, tenant), idc)
    c.check("v2 access token aud from scope",
            jwt_claims(t["access_token"]).get("aud") == "api://aadcred-test")
    r = cl.form("/%s/oauth2/v2.0/token" % tenant, {"grant_type": "refresh_token",
                                                   "client_id": CID, "scope": scope,
                                                   "refresh_token": t["refresh_token"]})
    c.check("v2 refresh", r.status == 200 and isinstance((r.json or {}).get("expires_in"), int))
    d = cl.get("/%s/v2.0/.well-known/openid-configuration" % tenant).json or {}
    c.check("v2 discovery", d.get("device_authorization_endpoint", "").endswith(
        "/%s/oauth2/v2.0/devicecode" % tenant) and d.get("jwks_uri")
        and d.get("id_token_signing_alg_values_supported") == ["RS256"], d)
    d1 = cl.get("/organizations/.well-known/openid-configuration").json or {}
    c.check("v1 discovery", d1.get("issuer") == "https://sts.windows.net/%s/" % TID
            and d1.get("token_endpoint") == cl.base + "/organizations/oauth2/token", d1)
    state["v2"] = t


def t_terminal_errors(c, cl):
    cl.control("reset", {})
    j = device_code(cl).json
    cl.control("device/%s/expire" % j["user_code"], {})
    c.check("v1 expired -> code_expired",
            (poll_v1(cl, j["device_code"]).json or {}).get("error") == "code_expired")
    j = cl.form("/common/oauth2/v2.0/devicecode", {"client_id": CID, "scope": "openid"}).json
    cl.control("device/%s/expire" % j["user_code"], {})
    p = cl.form("/common/oauth2/v2.0/token", {
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code", "client_id": CID,
        "device_code": j["device_code"]})
    c.check("v2 expired -> expired_token", (p.json or {}).get("error") == "expired_token")
    j = device_code(cl).json
    cl.control("device/%s/decline" % j["user_code"], {})
    e = poll_v1(cl, j["device_code"]).json or {}
    c.check("declined", e.get("error") == "authorization_declined"
            and e.get("error_codes") == [70000], e)
    c.check("unknown code", (poll_v1(cl, "nope").json or {}).get("error")
            == "bad_verification_code")
    cl.control("behaviour", {"auto_approve_after_seconds": 0, "user": "bob@contoso.com"})
    j = device_code(cl).json
    t = poll_v1(cl, j["device_code"]).json or {}
    c.check("auto approve as behaviour user",
            jwt_claims(t.get("id_token", "x.e30.x")).get("upn") == "bob@contoso.com", t)
    r = cl.form("/contoso/oauth2/devicecode", {"client_id": CID})
    c.check("missing resource -> 400 AAD error", r.status == 400
            and (r.json or {}).get("error") == "invalid_request"
            and "resource" in (r.json or {}).get("error_description", ""), r.raw[:200])


def t_faults(c, cl):
    cl.control("reset", {})
    j = device_code(cl).json
    q = cl.control("faults", [{"endpoint": "token", "kind": "status", "status": 503,
                               "headers": {"Retry-After": "1"}},
                              {"endpoint": "token", "kind": "malformed"}])
    c.check("faults queued", q == {"queued": 2}, q)
    p = device_code(cl)
    c.check("devicecode not hit by token faults", p.status == 200)
    p = poll_v1(cl, j["device_code"])
    c.check("503 with Retry-After", p.status == 503 and p.headers.get("Retry-After") == "1")
    p = poll_v1(cl, j["device_code"])
    c.check("malformed body", p.status == 200 and p.raw == b"{not json")
    p = poll_v1(cl, j["device_code"])
    c.check("then normal again", (p.json or {}).get("error") == "authorization_pending")
    cl.control("faults", [{"kind": "slow_down", "endpoint": "token"},
                          {"kind": "delay", "seconds": 0.5},
                          {"kind": "json", "body": {"hello": 1}, "count": 2},
                          {"kind": "huge", "size": 3000000}, {"kind": "close"}])
    c.check("slow_down", (poll_v1(cl, j["device_code"]).json or {}).get("error") == "slow_down")
    t0 = time.time()
    p = cl.get("/common/discovery/keys")
    c.check("delay then normal", p.status == 200 and time.time() - t0 >= 0.5)
    c.check("json fault x2", [cl.get("/common/discovery/keys").json for _ in range(2)]
            == [{"hello": 1}] * 2)
    p = cl.get("/common/discovery/keys")
    c.check("huge body streamed", p.status == 200 and len(p.raw) == 3000000)
    try:
        cl.get("/common/discovery/keys")
        c.check("close drops connection", False)
    except Exception:  # noqa: BLE001
        c.check("close drops connection", True)
    c.check("queue drained", cl.control("faults") == [])
    c.check("bad fault refused", cl.control("faults", [{"kind": "nope"}]).get("error"))


def t_discovery_introspection_log(c, cl, state):
    def inst(host):
        ep = urllib.parse.quote("https://%s/contoso/oauth2/authorize" % host, safe="~()*!.'")
        return cl.get("/common/discovery/instance?authorization_endpoint=%s&api-version=1.0"
                      % ep)
    own = urllib.parse.urlsplit(cl.base).netloc
    r = inst(own)
    c.check("instance discovery own host", r.status == 200 and (r.json or {}).get(
        "tenant_discovery_endpoint") == "https://%s/contoso/.well-known/openid-configuration"
        % own, r.raw[:200])
    r = inst("login.example.com")
    c.check("foreign instance refused", r.status == 400 and (r.json or {}).get("error")
            == "invalid_instance" and (r.json or {}).get("error_codes") == [50049])
    cl.control("instance", {"host": "login.example.com"})
    c.check("instance added by control", inst("login.example.com").status == 200)

    cl.control("reset", {})
    cl.control("behaviour", {"approve_after_polls": 0})
    j = device_code(cl).json
    t = poll_v1(cl, j["device_code"]).json
    i = cl.control("introspect", {"token": t["access_token"]})
    c.check("introspect active", i.get("active") is True and i.get("upn")
            == "alice@contoso.com" and i.get("aud") == RES and i.get("exp"), i)
    c.check("introspect id_token inactive",
            cl.control("introspect", {"token": t["id_token"]}) .get("active") is False)
    c.check("introspect garbage inactive",
            cl.control("introspect", {"token": "a.b.c"}).get("active") is False)
    log = cl.control("log")
    dc = [e for e in log if e["path"] == "/contoso/oauth2/devicecode"]
    c.check("log records form and lower-case headers", dc and dc[0]["form"].get("client_id")
            == CID and dc[0]["headers"].get("client-request-id") == CORR
            and dc[0]["query"].get("api-version") == "1.0" and dc[0]["method"] == "POST")
    c.check("log has no control requests", not any(e["path"].startswith("/_control")
                                                   for e in log))
    cl.control("behaviour", {"access_token_lifetime": 1})
    j = device_code(cl).json
    t = poll_v1(cl, j["device_code"]).json
    time.sleep(1.2)  # let the one-second token expire
    c.check("expired token inactive",
            cl.control("introspect", {"token": t["access_token"]}).get("active") is False)
    c.check("unknown behaviour key refused",
            "error" in cl.control("behaviour", {"approve_after_pols": 1}))
    page = cl.get("/device")
    c.check("approval page", page.status == 200 and b"<form" in page.raw)
    cl.control("reset", {})
    j = device_code(cl).json
    r = cl.form("/device", {"user_code": j["user_code"], "user": "bob@contoso.com",
                            "action": "approve"})
    c.check("page approves", r.status == 200 and b"bob@contoso.com" in r.raw)
    t = poll_v1(cl, j["device_code"]).json or {}
    c.check("page approval yields bob's token",
            jwt_claims(t.get("id_token", "x.e30.x")).get("upn") == "bob@contoso.com")
    r = cl.form("/device", {"user_code": "<script>", "action": "approve"})
    c.check("page escapes input", r.status == 400 and b"<script>" not in r.raw)


def main():
    c = Checks()
    state = {}
    with tempfile.TemporaryDirectory(prefix="aadcred-selftest-") as tmp:
        d = os.path.join(tmp, "pki")
        log = os.path.join(tmp, "servers.log")
        made = subprocess.run([PYTHON, "make_ca.py", "--out", d],
                              cwd=os.path.dirname(os.path.abspath(__file__)))
        c.check("make_ca.py", made.returncode == 0)
        auth = Server(["authority.py", "--cert", os.path.join(d, "server.pem"),
                       "--key", os.path.join(d, "server.key"), "--log", log], log)
        cl = Client(auth.url, os.path.join(d, "ca.pem"))
        c.check("READY line", auth.url.startswith("https://127.0.0.1:"))
        c.run("pki", t_pki, c, d)
        c.run("tls", t_tls, c, cl, d, log)
        c.run("v1 device flow", t_v1_flow, c, cl, state)
        if "v1" in state:
            c.run("refresh rotation", t_refresh, c, cl, state)
        c.run("v2 device flow", t_v2_flow, c, cl, state)
        c.run("terminal errors", t_terminal_errors, c, cl)
        c.run("faults", t_faults, c, cl)
        c.run("discovery, introspection, log, page", t_discovery_introspection_log,
              c, cl, state)
        c.run("git", selftest_clients.t_git, c, cl, d, tmp, log)
        c.run("adal", selftest_clients.t_adal, c, cl, d)
        c.run("confidential clients, auth codes", selftest_confidential.t_confidential, c, cl)
        c.run("username/password", selftest_wstrust.t_wstrust, c, cl)
        with open(log, encoding="utf-8", errors="replace") as f:
            text = f.read()
        c.check("server log has no tokens", "eyJ" not in text and "RT." not in text)
        c.check("authority exits 0 on SIGTERM", auth.stop() == 0)
        if c.failed:
            print("server log:\n" + text[-3000:])
    print("%d passed, %d failed" % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
