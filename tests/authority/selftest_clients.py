"""selftest groups that drive real clients: git through git_server.py, and python3-adal."""
import os
import threading
import urllib.parse

from selftest_lib import Client, Server, git, wait_until

CID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
RES = "499b84ac-1321-427f-aa17-267ca6975798"
TID = "cceba14c-6a00-49ac-b806-84de52bf1d42"


def _token(cl, user="alice@contoso.com"):
    cl.control("reset", {})
    cl.control("behaviour", {"approve_after_polls": 0, "user": user})
    j = cl.form("/contoso/oauth2/devicecode", {"client_id": CID, "resource": RES}).json
    t = cl.form("/contoso/oauth2/token", {"grant_type": "device_code", "client_id": CID,
                                          "resource": RES, "code": j["device_code"]}).json
    return t["access_token"]


def _make_repo(tmp):
    repos = os.path.join(tmp, "repos")
    os.makedirs(repos)
    bare = os.path.join(repos, "demo.git")
    git(["init", "-q", "--bare", "-b", "main", bare], cwd=tmp)
    work = os.path.join(tmp, "seed")
    git(["init", "-q", "-b", "main", work], cwd=tmp)
    with open(os.path.join(work, "README"), "w") as f:
        f.write("hello from the test repository\n")
    git(["add", "README"], cwd=work)
    git(["commit", "-q", "-m", "seed"], cwd=work)
    git(["push", "-q", bare, "main"], cwd=work)
    return repos, bare


def t_git(c, cl, d, tmp, log):
    ca = os.path.join(d, "ca.pem")
    repos, bare = _make_repo(tmp)
    srv = Server(["git_server.py", "--cert", os.path.join(d, "server.pem"),
                  "--key", os.path.join(d, "server.key"), "--repos", repos,
                  "--authority", cl.base, "--ca", ca], log)
    try:
        token = _token(cl)
        url = srv.url + "/demo.git"
        base = ["-c", "http.sslCAInfo=" + ca, "-c", "credential.helper="]
        bearer = base + ["-c", "http.extraHeader=Authorization: Bearer " + token]

        p = git(bearer + ["clone", "-q", url, "c1"], cwd=tmp, check=False)
        c.check("git clone with Bearer header", p.returncode == 0
                and os.path.exists(os.path.join(tmp, "c1", "README")), p.stderr.decode())

        netloc = urllib.parse.urlsplit(srv.url).netloc
        with_pw = "https://alice%%40contoso.com:%s@%s/demo.git" % (token, netloc)
        p = git(base + ["clone", "-q", with_pw, "c2"], cwd=tmp, check=False)
        c.check("git clone with token as Basic password", p.returncode == 0,
                p.stderr.decode())

        p = git(base + ["clone", "-q", url, "c3"], cwd=tmp, check=False)
        c.check("git clone without token fails", p.returncode != 0)
        bad = base + ["-c", "http.extraHeader=Authorization: Bearer " + token[:-4] + "AAAA"]
        p = git(bad + ["clone", "-q", url, "c4"], cwd=tmp, check=False)
        c.check("git clone with forged token fails", p.returncode != 0)

        work = os.path.join(tmp, "c1")
        # Incompressible and over git's 1 MiB http.postBuffer: the push goes out chunked.
        with open(os.path.join(work, "pushed.bin"), "wb") as f:
            f.write(os.urandom(3 * 1024 * 1024))
        git(["add", "pushed.bin"], cwd=work)
        git(["commit", "-q", "-m", "push test"], cwd=work)
        p = git(bearer + ["push", "-q", "origin", "main"], cwd=work, check=False)
        c.check("git push (chunked, 3 MiB)", p.returncode == 0, p.stderr.decode())
        logp = git(["--git-dir", bare, "log", "--format=%s", "-1"], cwd=tmp, check=False)
        c.check("push reached the bare repo", logp.stdout.strip() == b"push test")
        p = git(bearer + ["fetch", "-q", "origin"], cwd=os.path.join(tmp, "c2"), check=False)
        c.check("git fetch", p.returncode == 0, p.stderr.decode())

        g = Client(srv.url, ca)
        r = g.get("/demo.git/info/refs?service=git-upload-pack")
        challenges = r.headers.get_all("WWW-Authenticate") or []
        c.check("401 with Basic and Bearer challenges", r.status == 401
                and 'Basic realm="aadcred test git"' in challenges
                and 'Bearer authorization_uri="%s/%s/oauth2/authorize"' % (cl.base, TID)
                in challenges, challenges)
        entries = g.get("/_log").json or []
        c.check("git log: authenticated as alice",
                any(e["auth"] and e["user"] == "alice@contoso.com" for e in entries))
        c.check("git log: refusals recorded",
                any(e["auth"] is False and e["status"] == 401 for e in entries))
    finally:
        c.check("git server exits 0 on SIGTERM", srv.stop() == 0)


def t_adal(c, cl, d):
    import adal  # python3-adal, the reference behaviour

    ca = os.path.join(d, "ca.pem")
    cl.control("reset", {})
    cl.control("behaviour", {"interval": 1})
    ctx = adal.AuthenticationContext(cl.base + "/contoso", validate_authority=False,
                                     verify_ssl=ca, timeout=20,
                                     proxies={"http": None, "https": None})
    uc = ctx.acquire_user_code(RES, CID)
    c.check("adal user code: ints, correlation id echoed",
            uc.get("expires_in") == 900 and uc.get("interval") == 1
            and bool(uc.get("correlation_id")), uc)

    def approve_once_polling():
        # Approve only after ADAL has polled at least once, to cover the pending path.
        polled = wait_until(lambda: any(e["path"] == "/contoso/oauth2/token"
                                        and e["form"].get("code") == uc["device_code"]
                                        for e in cl.control("log")), timeout=30)
        if polled:
            cl.control("device/%s/approve" % uc["user_code"], {})

    approver = threading.Thread(target=approve_once_polling, daemon=True)
    approver.start()
    tok = ctx.acquire_token_with_device_code(RES, uc, CID)
    approver.join(5)
    c.check("adal token: expiresIn int", isinstance(tok.get("expiresIn"), int)
            and tok["expiresIn"] == 3599, tok.get("expiresIn"))
    c.check("adal token: userId alice", tok.get("userId") == "alice@contoso.com"
            and tok.get("isUserIdDisplayable") is True)
    c.check("adal token: id claims", tok.get("givenName") == "Alice"
            and tok.get("familyName") == "Liddell" and tok.get("tenantId") == TID
            and tok.get("isMRRT") is True and tok.get("tokenType") == "Bearer", tok.keys())
    c.check("adal token introspects active",
            cl.control("introspect", {"token": tok.get("accessToken")}).get("active") is True)
    polls = [e for e in cl.control("log") if e["path"] == "/contoso/oauth2/token"]
    c.check("adal polled with code= and same client-request-id",
            polls and all(e["form"].get("grant_type") == "device_code"
                          and e["headers"].get("client-request-id") == uc["correlation_id"]
                          for e in polls))

    again = ctx.acquire_token_with_refresh_token(tok["refreshToken"], CID, RES)
    c.check("adal refresh token grant", isinstance(again.get("expiresIn"), int)
            and again.get("refreshToken") != tok["refreshToken"])
    try:
        ctx.acquire_token_with_refresh_token(tok["refreshToken"], CID, RES)
        c.check("adal sees rotated refresh token rejected", False)
    except adal.AdalError as e:
        c.check("adal sees rotated refresh token rejected",
                (e.error_response or {}).get("error") == "invalid_grant", e)

    cl.control("behaviour", {"decline": True})
    uc = ctx.acquire_user_code(RES, CID)
    try:
        ctx.acquire_token_with_device_code(RES, uc, CID)
        c.check("adal decline raises", False)
    except adal.AdalError as e:
        c.check("adal decline raises", "authorization_declined" in str(e)
                and (e.error_response or {}).get("error_codes") == [70000], e)
