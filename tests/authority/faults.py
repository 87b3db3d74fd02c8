"""One-shot faults queued by tests through POST /_control/faults.

Faults are consumed in queue order by the next requests whose endpoint class matches, so a
test can script "503, then 503, then normal" without timing. Everything is validated when
queued: a malformed fault must fail the test's setup call, not a later unrelated request.
"""
import json
import socket
import threading
import time

import aad_errors

ENDPOINTS = ("token", "devicecode", "discovery", "authorize", "any")
KINDS = ("status", "slow_down", "malformed", "huge", "delay", "close", "json", "edit", "truncate")
# "edit" and "truncate" (issue 9) let the endpoint answer for real, then spoil its 2xx JSON
# reply: "edit" sets members to any JSON ("set": {"access_token": 42}) or appends text to
# string members ("append": {"access_token": "\r\nX: 1"}), so live tokens stay live;
# "truncate" drops the last "cut" bytes (default 1, the closing brace) and sends the rest
# as the whole body, live tokens and all. A reply that is not 2xx (authorization_pending)
# passes untouched and the fault waits for the next request.
_EDIT_KINDS = ("edit", "truncate")
_KEYS = {"endpoint", "count", "kind", "status", "body", "headers", "size", "seconds",
         "set", "append", "cut"}
_CHUNK = 64 * 1024


def _check(fault):
    if not isinstance(fault, dict):
        raise ValueError("each fault must be a JSON object")
    unknown = set(fault) - _KEYS
    if unknown:
        raise ValueError("unknown fault keys: %s" % ", ".join(sorted(unknown)))
    f = dict(fault)
    f.setdefault("endpoint", "any")
    f.setdefault("count", 1)
    f.setdefault("kind", "status")
    if f["endpoint"] not in ENDPOINTS:
        raise ValueError("fault endpoint must be one of %s" % ", ".join(ENDPOINTS))
    if f["kind"] not in KINDS:
        raise ValueError("fault kind must be one of %s" % ", ".join(KINDS))
    if not isinstance(f["count"], int) or isinstance(f["count"], bool) or f["count"] < 1:
        raise ValueError("fault count must be a positive integer")
    if "status" in f and (not isinstance(f["status"], int) or not 100 <= f["status"] <= 599):
        raise ValueError("fault status must be an HTTP status code")
    headers = f.get("headers", {})
    if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and "\n" not in k + v and "\r" not in k + v
            for k, v in headers.items()):
        raise ValueError("fault headers must map strings to single-line strings")
    if f["kind"] == "huge" and not isinstance(f.get("size", 0), int):
        raise ValueError("fault size must be an integer")
    if f["kind"] == "delay" and not isinstance(f.get("seconds", 1), (int, float)):
        raise ValueError("fault seconds must be a number")
    if f["kind"] == "malformed" and not isinstance(f.get("body", ""), str):
        raise ValueError("malformed fault body must be a string")
    if f["kind"] == "edit":
        if not isinstance(f.get("set", {}), dict) or not isinstance(f.get("append", {}), dict) \
                or not all(isinstance(v, str) for v in f.get("append", {}).values()) \
                or not (f.get("set") or f.get("append")):
            raise ValueError("edit fault needs 'set' (an object) and/or 'append' (strings)")
    if f["kind"] == "truncate" and (not isinstance(f.get("cut", 1), int)
                                    or isinstance(f.get("cut", 1), bool) or f.get("cut", 1) < 1):
        raise ValueError("truncate fault cut must be a positive integer")
    return f


class FaultQueue:
    def __init__(self):
        self._lock = threading.Lock()
        self._queue = []

    def reset(self):
        with self._lock:
            self._queue.clear()

    def add(self, faults):
        """Append one fault or a list of them; returns the new queue length."""
        items = faults if isinstance(faults, list) else [faults]
        checked = [_check(f) for f in items]  # all or nothing
        with self._lock:
            self._queue.extend(checked)
            return len(self._queue)

    def put_back(self, fault):
        """Returns a fault taken for a reply it could not spoil, at the head of the queue."""
        with self._lock:
            self._queue.insert(0, dict(fault, count=1))

    def snapshot(self):
        with self._lock:
            return [dict(f) for f in self._queue]

    def take(self, endpoint):
        """The fault this request must suffer, or None. endpoint: a class from ENDPOINTS."""
        with self._lock:
            for i, f in enumerate(self._queue):
                if f["endpoint"] in ("any", endpoint):
                    f["count"] -= 1
                    if f["count"] <= 0:
                        del self._queue[i]
                    return dict(f)
        return None


def apply(handler, fault, correlation_id):
    """Carry out `fault` on the request `handler` is serving.

    Returns True if the fault produced the whole response, False if normal handling must
    still run (only `delay` does that)."""
    kind = fault["kind"]
    status = fault.get("status")
    headers = fault.get("headers", {})
    if kind == "delay":
        time.sleep(max(0.0, float(fault.get("seconds", 1))))
        return False
    if kind in _EDIT_KINDS:
        handler.reply_edit = fault  # carried out by the handler's send_json (edit_reply)
        return False
    if kind == "close":
        # Drop the connection without a response (no TLS close_notify either), the way a
        # crashed front end or a load balancer reset looks to the client.
        handler.close_connection = True
        try:
            handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return True
    if kind == "huge":
        _stream_huge(handler, status or 200, int(fault.get("size", 50_000_000)), headers)
        return True
    if kind == "slow_down":
        code, body = aad_errors.body("slow_down", correlation_id)
        handler.send_json(status or code, body, headers)
        return True
    if kind == "malformed":
        raw = fault.get("body", "{not json").encode("utf-8")
        handler.send_raw(status or 200, raw, "application/json; charset=utf-8", headers)
        return True
    if kind == "json":
        handler.send_json(status or 200, fault.get("body", {}), headers)
        return True
    # kind == "status"
    status = status or 503
    body = fault.get("body")
    if body is None:
        _, err = aad_errors.body("temporarily_unavailable", correlation_id)
        handler.send_json(status, err, headers)
    elif isinstance(body, str):
        handler.send_raw(status, body.encode("utf-8"), "application/json; charset=utf-8",
                         headers)
    else:
        handler.send_json(status, body, headers)
    return True


def edit_reply(authority, fault, status, obj):
    """(obj, body bytes or None) for a reply spoilt by an "edit" or "truncate" fault; the
    reply as it was, and the fault put back, when there is nothing to spoil."""
    if not 200 <= status < 300 or not isinstance(obj, dict):
        authority.faults.put_back(fault)
        return obj, None
    authority.remember_secrets(obj)  # the live tokens, before they are spoilt
    if fault["kind"] == "truncate":
        data = json.dumps(obj).encode("utf-8")
        return obj, data[:max(0, len(data) - fault.get("cut", 1))]
    edited = dict(obj)
    edited.update(fault.get("set", {}))
    for name, text in fault.get("append", {}).items():
        if isinstance(edited.get(name), str):
            edited[name] += text
    return edited, None


def _stream_huge(handler, status, size, headers):
    """Send `size` bytes that start like JSON, without ever holding them in memory."""
    handler.send_response(status)
    handler.send_common_headers("application/json; charset=utf-8", size, headers)
    handler.end_headers()
    prefix = b'{"access_token": "'[:size]
    chunk = b"A" * _CHUNK
    try:
        handler.wfile.write(prefix)
        left = size - len(prefix)
        while left > 0:
            n = min(left, _CHUNK)
            handler.wfile.write(chunk[:n])
            left -= n
        handler.wfile.flush()
    except (OSError, ValueError):
        handler.close_connection = True  # the client gave up reading: expected
