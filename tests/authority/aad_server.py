"""HTTP plumbing of the authority: shared state, request parsing, replies, routing, logs.

The endpoint logic lives in aad_endpoints.py, control.py and approval_page.py; this file
only decides which of them runs and makes every reply look like AAD's (headers, echo of
client-request-id, JSON content type, no caching).
"""
import json
import re
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler

import aad_endpoints
import approval_page
import behaviour as behaviour_mod
import confidential
import control
import faults as faults_mod
from device_flow import DeviceCodes, RefreshTokens
from directory import valid_tenant_segment
from jwt_signing import Signer
from token_issuer import TokenIssuer
import wstrust_endpoints

MAX_BODY = 1024 * 1024
MAX_LOG_ENTRIES = 10000
# Keys of a JSON reply whose values are secrets (tokens, device and authorization codes);
# shorter values (test fixtures like "AT") would match innocent text.
SECRET_KEYS = ("access_token", "refresh_token", "id_token", "device_code", "code")
MIN_SECRET_LENGTH = 16
_HOST_HEADER = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$")


class Authority:
    """Everything the handlers share. Each store has its own lock; this one guards the rest."""

    def __init__(self, args, log_stream):
        self.args = args
        self.issuer = TokenIssuer(Signer())
        self.codes = DeviceCodes()
        self.refresh = RefreshTokens()
        self.confidential = confidential.ConfidentialClients()  # secrets, certs, codes
        self.faults = faults_mod.FaultQueue()
        self._lock = threading.Lock()
        self._log_stream = log_stream
        self._defaults = behaviour_mod.defaults(args)
        self._behaviour = dict(self._defaults)
        self._requests = []
        self._instances = set()
        # Every secret this authority ever sent, kept across resets: the test harness
        # greps every log the suites write for them (secret hygiene, issue 5).
        self._issued_secrets = set()
        self.default_host = None  # "host:port" of the listening socket, set once bound

    def reset(self):
        self.codes.reset()
        self.refresh.reset()
        self.confidential.reset()
        self.faults.reset()
        self.issuer.reset()
        with self._lock:
            self._behaviour = dict(self._defaults)
            self._requests = []
            self._instances = set()

    def current_behaviour(self):
        with self._lock:
            return dict(self._behaviour)

    def now(self):
        """This authority's clock: the machine's, off by the clock_skew_seconds behaviour
        (what a client sees when its own clock and Azure AD's disagree)."""
        return int(time.time()) + self.current_behaviour()["clock_skew_seconds"]

    def update_behaviour(self, update):
        with self._lock:
            self._behaviour = behaviour_mod.merge(self._behaviour, update)
            return dict(self._behaviour)

    def add_instance(self, host):
        with self._lock:
            self._instances.add(host.lower())

    def known_instance(self, hostname, netloc):
        with self._lock:
            extra = set(self._instances)
        return (hostname in aad_endpoints.LOOPBACK_HOSTS or hostname in extra
                or netloc.lower() in extra)

    def record(self, entry):
        with self._lock:
            self._requests.append(entry)
            if len(self._requests) > MAX_LOG_ENTRIES:
                del self._requests[0]

    def requests(self):
        with self._lock:
            return json.loads(json.dumps(self._requests))  # deep copy, safe to serialise

    def remember_secrets(self, obj):
        """Notes the tokens and codes in a JSON body about to be sent."""
        if not isinstance(obj, dict):
            return
        found = [v for k, v in obj.items() if k in SECRET_KEYS and isinstance(v, str)
                 and len(v) >= MIN_SECRET_LENGTH]
        if found:
            with self._lock:
                self._issued_secrets.update(found)

    def issued_secrets(self):
        with self._lock:
            return sorted(self._issued_secrets)

    def log_line(self, text):
        # Method, path and status only: never bodies, queries or headers, so no token leaks.
        with self._lock:
            self._log_stream.write(text + "\n")
            self._log_stream.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: clients may reuse one connection to poll
    server_version = "aadcred-test-authority"
    # TCP_NODELAY, as Azure AD's front ends answer: http.server writes the headers and the
    # body in two sends, and with Nagle on the body waits for the client's delayed ACK of
    # the headers (40 ms on Linux) on every reply, which made each request to this
    # authority cost ~40 ms more than it does against login.microsoftonline.com.
    disable_nagle_algorithm = True

    def version_string(self):
        return self.server_version  # no Python version in the Server header

    # ---- request parsing -------------------------------------------------------------
    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass  # trailers
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
                if len(data) > MAX_BODY:
                    raise ValueError("body too large")
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length) if length else b""

    def _parse(self):
        split = urllib.parse.urlsplit(self.path)
        self.url_path = split.path
        self.query = {k: v[-1] for k, v in urllib.parse.parse_qs(split.query).items()}
        self.body = self._read_body()
        self.form = {}
        ctype = self.headers.get("Content-Type", "")
        if self.body and not ctype.startswith("application/json"):
            parsed = urllib.parse.parse_qs(self.body.decode("utf-8", "replace"),
                                           keep_blank_values=True)
            self.form = {k: v[-1] for k, v in parsed.items()}

    def correlation_id(self):
        return self.headers.get("client-request-id") or None

    def public_host(self):
        """The host:port the client used (so URLs we hand out work from its side)."""
        host = self.headers.get("Host", "")
        return host if _HOST_HEADER.match(host) else self.server.authority.default_host

    def json_body(self):
        """The request body as JSON (empty body: None); raises ValueError if malformed."""
        return json.loads(self.body.decode("utf-8")) if self.body.strip() else None

    # ---- replies ---------------------------------------------------------------------
    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def send_common_headers(self, content_type, length, extra=None):
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Pragma", "no-cache")
        self.send_header("x-ms-request-id", str(uuid.uuid4()))
        cid = self.headers.get("client-request-id")
        if cid and self.headers.get("return-client-request-id", "").lower() == "true" \
                and "\r" not in cid and "\n" not in cid:
            self.send_header("client-request-id", cid)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")

    def send_raw(self, status, data, content_type, headers=None):
        self.send_response(status)
        self.send_common_headers(content_type, len(data), headers)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_json(self, status, obj, headers=None):
        edit = self.__dict__.pop("reply_edit", None)  # an "edit"/"truncate" fault (faults.py)
        data = None
        if edit is not None:
            obj, data = faults_mod.edit_reply(self.server.authority, edit, status, obj)
        self.server.authority.remember_secrets(obj)
        data = data if data is not None else json.dumps(obj).encode("utf-8")
        self.send_raw(status, data, "application/json; charset=utf-8", headers)

    def send_html(self, status, text):
        self.send_raw(status, text.encode("utf-8"), "text/html; charset=utf-8")

    def send_not_found(self):
        self.send_json(404, {"error": "not_found", "error_description": "No such endpoint."})

    # ---- dispatch --------------------------------------------------------------------
    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_HEAD(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def _dispatch(self):
        a = self.server.authority
        self._status = None
        started = time.time()
        try:
            self._parse()
        except ValueError:
            self.close_connection = True
            self.send_json(413, {"error": "invalid_request",
                                 "error_description": "Request body unreadable or too large."})
            self._finish_log(None, started)
            return
        segments = [s for s in self.url_path.split("/") if s]
        entry = None
        if not segments or segments[0] != "_control":
            entry = {"method": self.command, "path": self.url_path, "query": self.query,
                     "headers": {k.lower(): v for k, v in self.headers.items()},
                     "form": self.form, "time": started, "status": None}
            a.record(entry)
        try:
            self._route(a, segments)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        self._finish_log(entry, started)

    def _route(self, a, segments):
        if segments and segments[0] == "_control":
            control.handle(self, a, segments[1:])
            return
        if segments == ["device"]:
            approval_page.handle(self, a)
            return
        if wstrust_endpoints.handle(self, a, segments):  # user realm, MEX, WS-Trust
            return
        if not segments or not valid_tenant_segment(segments[0]):
            self.send_not_found()
            return
        tenant, rest = segments[0], tuple(segments[1:])
        method = "GET" if self.command == "HEAD" else self.command
        route = aad_endpoints.ROUTES.get((method, rest))
        if route is None:
            if any(path == rest for (_, path) in aad_endpoints.ROUTES):
                self.send_json(405, {"error": "invalid_request",
                                     "error_description": "Method not allowed."})
            else:
                self.send_not_found()
            return
        func, api, endpoint_class = route
        fault = a.faults.take(endpoint_class)
        if fault and faults_mod.apply(self, fault, self.correlation_id()):
            return
        func(self, a, tenant, api)
        self.__dict__.pop("reply_edit", None)  # never carried over to the next request

    def _finish_log(self, entry, started):
        status = self._status if self._status is not None else "closed"
        if entry is not None:
            entry["status"] = status  # the list holds this dict; visible to /_control/log
        self.server.authority.log_line("%s %s %s %s %.3fs" % (
            time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(started)), self.command,
            self.url_path, status, time.time() - started))

    def log_message(self, fmt, *args):
        pass  # replaced by _finish_log: one line per request, without the query string


def open_log(path):
    return open(path, "a", encoding="utf-8") if path else sys.stderr
