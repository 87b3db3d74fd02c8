"""The control API under /_control/: how tests steer the authority and read what it saw.

JSON in, JSON out. Only loopback clients are served: the control API can approve sign-ins
and introspect tokens, which nothing off this machine should be able to do.
"""
import ipaddress

import confidential
from directory import get_user


def _loopback(address):
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        return ip.is_loopback or (ip.version == 6 and ip.ipv4_mapped is not None
                                  and ip.ipv4_mapped.is_loopback)
    except ValueError:
        return False


def _bad(h, message, status=400):
    h.send_json(status, {"error": message})


def handle(h, a, segments):
    if not _loopback(h.client_address[0]):
        _bad(h, "control API is for loopback clients only", 403)
        return
    try:
        body = h.json_body()
    except ValueError:
        _bad(h, "request body is not JSON")
        return
    method = h.command
    route = tuple(segments)
    try:
        if method == "POST" and route == ("reset",):
            a.reset()
            h.send_json(200, {"ok": True})
        elif route == ("behaviour",) and method in ("GET", "POST"):
            result = a.update_behaviour(body or {}) if method == "POST" \
                else a.current_behaviour()
            h.send_json(200, result)
        elif method == "POST" and len(route) == 3 and route[0] == "device" \
                and route[2] in ("approve", "decline", "expire"):
            _device_action(h, a, route[1], route[2], body)
        elif route == ("faults",) and method in ("GET", "POST"):
            if method == "POST":
                if body is None:
                    raise ValueError("body must be a fault object or a list of them")
                h.send_json(200, {"queued": a.faults.add(body)})
            else:
                h.send_json(200, a.faults.snapshot())
        elif method == "GET" and route == ("log",):
            h.send_json(200, a.requests())
        elif method == "GET" and route == ("issued",):
            h.send_json(200, a.issued_secrets())
        elif method == "GET" and route == ("pending",):
            h.send_json(200, a.codes.pending())
        elif method == "GET" and len(route) == 2 and route[0] == "device":
            code = a.codes.lookup_user_code(route[1])
            if code is None:
                _bad(h, "unknown user code", 404)
            else:
                h.send_json(200, _public_code(code))
        elif method == "POST" and route == ("introspect",):
            token = (body or {}).get("token") if isinstance(body, dict) else None
            h.send_json(200, a.issuer.introspect(token, a.now()))
        elif method == "POST" and route == ("instance",):
            host = (body or {}).get("host") if isinstance(body, dict) else None
            if not isinstance(host, str) or not host or "/" in host:
                raise ValueError("body must be {\"host\": \"name[:port]\"}")
            a.add_instance(host)
            h.send_json(200, {"ok": True})
        elif method == "POST" and route == ("rotate_keys",):
            keep_old = (body or {}).get("keep_old", False) if isinstance(body, dict) else False
            h.send_json(200, {"kid": a.issuer.rotate_key(keep_old is True)})
        elif method == "POST" and route in (("certificates",), ("auth_codes",)):
            confidential.control(h, a, route[0], body)
        else:
            _bad(h, "unknown control endpoint %s %s" % (method, "/".join(route)), 404)
    except ValueError as e:
        _bad(h, str(e))


def _device_action(h, a, user_code, action, body):
    upn = None
    if action == "approve" and isinstance(body, dict) and body.get("user") is not None:
        user = get_user(body.get("user"))
        if user is None:
            raise ValueError("'user' is not a UPN")
        upn = user["upn"]
    ok, message, code = a.codes.act(user_code, action, upn)
    if code is None:
        _bad(h, message, 404)
    elif not ok:
        h.send_json(409, {"error": message, "status": code["status"]})
    else:
        h.send_json(200, {"ok": True, "user_code": code["user_code"],
                          "status": code["status"], "user": code["user"]})


def _public_code(code):
    # Everything but the device code itself: that one is the client's secret.
    return {k: v for k, v in code.items() if k != "device_code"}
