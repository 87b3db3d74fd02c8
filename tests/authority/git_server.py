#!/usr/bin/python3
"""HTTPS git server for tests: `git http-backend` behind access-token authentication.

Every request must carry an access token from the local authority, either as the password
of HTTP Basic (what git sends after asking a credential helper) or as a Bearer token. The
token is checked by the authority's /_control/introspect, so this server needs no key
material of its own. Prints `READY https://HOST:PORT` when listening.
"""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from control import _loopback  # noqa: E402
from directory import DEFAULT_TENANT_ID  # noqa: E402
from tls_server import TLSThreadingHTTPServer, client_context, serve_until_signal, \
    server_context  # noqa: E402

MAX_BODY = 200 * 1024 * 1024
_COPY = 64 * 1024


class Introspector:
    def __init__(self, authority, cafile):
        self.url = authority.rstrip("/") + "/_control/introspect"
        # Trust only --ca, and ignore *_proxy variables: the authority is on loopback.
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),
            urllib.request.HTTPSHandler(context=client_context(cafile)))

    def check(self, token):
        """The introspection result (dict); raises OSError if the authority is unreachable."""
        req = urllib.request.Request(self.url, data=json.dumps({"token": token}).encode(),
                                     headers={"Content-Type": "application/json"})
        with self._opener.open(req, timeout=10) as resp:
            return json.loads(resp.read().decode("utf-8"))


def token_from_header(value):
    """The access token in an Authorization header value, or None."""
    scheme, _, rest = (value or "").strip().partition(" ")
    if scheme.lower() == "bearer":
        return rest.strip() or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(rest.strip(), validate=True).decode("utf-8")
        except ValueError:
            return None
        _, sep, password = decoded.partition(":")
        return password if sep and password else None
    return None


class GitHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "aadcred-test-git"

    def version_string(self):
        return self.server_version  # no Python version in the Server header

    def log_message(self, fmt, *args):
        pass  # one line per request in _note(), never with credentials

    def do_GET(self):
        self._serve()

    def do_POST(self):
        self._serve()

    def _note(self, path, user, ok, status):
        srv = self.server
        entry = {"method": self.command, "path": path, "user": user, "auth": ok,
                 "status": status, "time": time.time()}
        with srv.log_lock:
            srv.requests.append(entry)
        sys.stderr.write("git_server: %s %s %s %s\n" % (self.command, path, user or "-", status))
        sys.stderr.flush()

    def _send_small(self, status, body, ctype, headers=()):
        data = body.encode("utf-8")
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def _serve(self):
        split = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(split.path)
        if path == "/_log" and self.command == "GET":
            if not _loopback(self.client_address[0]):
                self._send_small(403, "forbidden\n", "text/plain")
                return
            with self.server.log_lock:
                data = json.dumps(self.server.requests)
            self._send_small(200, data, "application/json; charset=utf-8")
            return
        user = self._authenticate()
        if user is None:
            # Unread request bodies would corrupt a kept-alive connection: close it.
            self.close_connection = True
            auth_uri = "%s/%s/oauth2/authorize" % (self.server.authority_url,
                                                   self.server.tenant)
            # Azure DevOps names the organisation's tenant in X-VSS-ResourceTenant too.
            self._send_small(401, "authentication required\n", "text/plain", [
                ("WWW-Authenticate", 'Basic realm="aadcred test git"'),
                ("WWW-Authenticate", 'Bearer authorization_uri="%s"' % auth_uri),
                ("X-VSS-ResourceTenant", self.server.tenant)])
            self._note(path, None, False, 401)
            return
        if user is False:
            self.close_connection = True
            self._send_small(502, "authority unreachable\n", "text/plain")
            self._note(path, None, False, 502)
            return
        status = self._run_backend(path, split.query, user)
        self._note(path, user, True, status)

    def _authenticate(self):
        """The user's UPN; None when unauthenticated; False if the authority is down."""
        token = token_from_header(self.headers.get("Authorization"))
        if not token:
            return None
        try:
            result = self.server.introspector.check(token)
        except (OSError, ValueError) as e:
            sys.stderr.write("git_server: introspection failed: %s\n" % e)
            return False
        return result.get("upn") or None if result.get("active") is True else None

    def _request_body(self, sink):
        """Copy the request body into the file `sink`; returns its length."""
        total = 0
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    break
                total += size
                if total > MAX_BODY:
                    raise ValueError("body too large")
                shutil.copyfileobj(_Limited(self.rfile, size), sink, _COPY)
                self.rfile.readline()
        else:
            total = int(self.headers.get("Content-Length") or 0)
            if total < 0 or total > MAX_BODY:
                raise ValueError("body too large")
            shutil.copyfileobj(_Limited(self.rfile, total), sink, _COPY)
        sink.flush()
        sink.seek(0)
        return total

    def _run_backend(self, path, query, user):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.server.repos, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_PROJECT_ROOT": self.server.repos, "GIT_HTTP_EXPORT_ALL": "1",
            "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1",
            "SERVER_SOFTWARE": self.server_version, "REQUEST_METHOD": self.command,
            "PATH_INFO": path, "QUERY_STRING": query, "REMOTE_USER": user,
            "REMOTE_ADDR": self.client_address[0],
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
        }
        # Protocol v2 and gzip-compressed requests are announced in headers git expects here.
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        with tempfile.TemporaryFile() as body:
            try:
                env["CONTENT_LENGTH"] = str(self._request_body(body))
            except ValueError:
                self.close_connection = True
                self._send_small(413, "request too large\n", "text/plain")
                return 413
            # stdin from a file (not a pipe) so a backend that writes before it has read
            # everything can never deadlock against us.
            proc = subprocess.Popen(["git", "http-backend"], stdin=body,
                                    stdout=subprocess.PIPE, env=env)
            try:
                return self._relay(proc)
            finally:
                proc.stdout.close()
                proc.wait()

    def _relay(self, proc):
        """Turn the CGI reply into an HTTP/1.1 chunked response (keeps connections reusable)."""
        status, headers = 200, []
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode("latin-1").rstrip("\r\n")
            if not line:
                break
            name, _, value = line.partition(":")
            if name.strip().lower() == "status":
                status = int(value.strip().split()[0])
            else:
                headers.append((name.strip(), value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        while True:
            data = proc.stdout.read1(_COPY)
            if not data:
                break
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
        return status


class _Limited:
    """A reader that returns at most `n` bytes of `f` (for shutil.copyfileobj)."""

    def __init__(self, f, n):
        self.f, self.left = f, n

    def read(self, size=-1):
        if self.left <= 0:
            return b""
        size = self.left if size < 0 else min(size, self.left)
        data = self.f.read(size)
        if not data:
            raise ValueError("request body ended early")
        self.left -= len(data)
        return data


def main(argv=None):
    ap = argparse.ArgumentParser(description="HTTPS git server authenticating with the "
                                             "local authority's access tokens.")
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--repos", required=True, help="directory holding bare repositories")
    ap.add_argument("--authority", required=True, help="base URL of authority.py")
    ap.add_argument("--ca", required=True, help="CA that signed the authority's certificate")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--tenant", default=DEFAULT_TENANT_ID,
                    help="tenant named in the Bearer challenge and X-VSS-ResourceTenant "
                         "(default: the test tenant id)")
    args = ap.parse_args(argv)

    server = TLSThreadingHTTPServer((args.host, args.port), GitHandler,
                                    server_context(args.cert, args.key))
    server.repos = os.path.abspath(args.repos)
    server.authority_url = args.authority.rstrip("/")
    server.tenant = args.tenant
    server.introspector = Introspector(args.authority, args.ca)
    server.requests = []
    server.log_lock = threading.Lock()
    return serve_until_signal(server)


if __name__ == "__main__":
    sys.exit(main())
