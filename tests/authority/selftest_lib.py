"""Helpers for selftest.py: child processes, an HTTPS client, and the pass/fail tally."""
import base64
import json
import os
import select
import signal
import ssl
import subprocess
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"

# Variables that would let a test pass by accident (a CA or proxy taken from the
# environment) or that change git's behaviour; children and ADAL must do without them.
_ENV_DROP_PREFIXES = ("GIT_",)
_ENV_DROP = {"SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE",
             "NIX_SSL_CERT_FILE", "HTTPLIB2_CA_CERTS", "http_proxy", "https_proxy",
             "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"}


def clean_env(extra=None):
    env = {k: v for k, v in os.environ.items()
           if k not in _ENV_DROP and not k.startswith(_ENV_DROP_PREFIXES)}
    env.update(extra or {})
    return env


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
            print("ok   %s" % name)
        else:
            self.failed += 1
            print("FAIL %s %s" % (name, detail))
        sys.stdout.flush()
        return ok

    def run(self, name, func, *args):
        """Run a group of checks; an exception in it counts as one failure."""
        print("--- %s" % name)
        try:
            func(*args)
        except Exception:  # noqa: BLE001 - report and keep going with the next group
            self.check(name + " (raised)", False, "\n" + traceback.format_exc())


class Server:
    """A child server that announces itself with a READY line (no sleeping to wait)."""

    def __init__(self, args, log_path, timeout=30):
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen([PYTHON] + args, stdout=subprocess.PIPE,
                                     stderr=self.log, env=clean_env(), cwd=HERE)
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline().decode() if ready else ""
        if not line.startswith("READY https://"):
            self.proc.kill()
            raise RuntimeError("no READY line from %s (got %r); see %s" % (args[0], line,
                                                                          log_path))
        self.url = line.split()[1]

    def stop(self, sig=signal.SIGTERM):
        """Signal (SIGTERM by default) and wait; returns the exit code (0 = clean)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return "killed"
        finally:
            self.proc.stdout.close()
            self.log.close()


class Reply:
    def __init__(self, status, headers, raw):
        self.status, self.headers, self.raw = status, headers, raw
        try:
            self.json = json.loads(raw.decode("utf-8"))
        except ValueError:
            self.json = None


class Client:
    """urllib with one CA and no proxies; never raises for HTTP error statuses."""

    def __init__(self, base, cafile):
        self.base = base.rstrip("/")
        self.context = ssl.create_default_context(cafile=cafile)
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=self.context))

    def request(self, method, path, data=None, headers=None, timeout=20):
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers=headers or {})
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                return Reply(resp.status, resp.headers, resp.read())
        except urllib.error.HTTPError as e:
            with e:
                return Reply(e.code, e.headers, e.read())

    def form(self, path, fields, headers=None):
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.request("POST", path, urllib.parse.urlencode(fields).encode(), h)

    def get(self, path, headers=None):
        return self.request("GET", path, None, headers)

    def control(self, path, body=None, method=None):
        data = None if body is None else json.dumps(body).encode()
        method = method or ("GET" if body is None else "POST")
        r = self.request(method, "/_control/" + path, data,
                         {"Content-Type": "application/json"})
        return r.json


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_claims(token):
    return json.loads(b64url_decode(token.split(".")[1]))


def jwt_verify(token, jwks):
    """Verify an RS256 JWT against a JWKS document independently of the server's code."""
    head_b64, body_b64, sig_b64 = token.split(".")
    header = json.loads(b64url_decode(head_b64))
    for key in jwks["keys"]:
        if key["kid"] != header.get("kid"):
            continue
        pub = rsa.RSAPublicNumbers(int.from_bytes(b64url_decode(key["e"]), "big"),
                                   int.from_bytes(b64url_decode(key["n"]), "big")).public_key()
        try:
            pub.verify(b64url_decode(sig_b64), (head_b64 + "." + body_b64).encode(),
                       padding.PKCS1v15(), hashes.SHA256())
            return header.get("alg") == "RS256"
        except InvalidSignature:
            return False
    return False


def wait_until(predicate, timeout=10, step=0.05):
    """Poll `predicate` until true (for events in other threads, not for server start)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def git(args, cwd=None, env_extra=None, check=True):
    env = clean_env(dict({"HOME": cwd or HERE, "GIT_CONFIG_NOSYSTEM": "1",
                          "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "",
                          "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
                          "GIT_COMMITTER_NAME": "t",
                          "GIT_COMMITTER_EMAIL": "t@example.invalid"}, **(env_extra or {})))
    p = subprocess.run(["git"] + args, cwd=cwd, env=env, capture_output=True, timeout=120)
    if check and p.returncode != 0:
        raise RuntimeError("git %s failed: %s" % (" ".join(args[:3]), p.stderr.decode()))
    return p
