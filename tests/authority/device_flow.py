"""Device codes and refresh tokens: the authority's only long-lived state.

Time-based transitions (expiry, --auto-approve-after) are evaluated lazily whenever a code
is looked at, so there are no timer threads to race with /_control/reset or shutdown.
"""
import secrets
import threading
import time

# Unambiguous characters only (no 0/O, 1/I): people type these codes from a terminal.
_USER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _user_code():
    return "".join(secrets.choice(_USER_CODE_ALPHABET) for _ in range(9))


def normalise_user_code(text):
    return (text or "").strip().upper().replace("-", "").replace(" ", "")


class DeviceCodes:
    def __init__(self):
        self._lock = threading.Lock()
        self._by_device = {}
        self._by_user = {}

    def reset(self):
        with self._lock:
            self._by_device.clear()
            self._by_user.clear()

    def issue(self, behaviour, client_id, api, tenant, tid, resource=None, scope=None):
        now = time.time()
        auto = behaviour["auto_approve_after_seconds"]
        with self._lock:
            user_code = _user_code()
            while user_code in self._by_user:
                user_code = _user_code()
            code = {
                "device_code": secrets.token_urlsafe(96),
                "user_code": user_code,
                "client_id": client_id, "api": api, "tenant": tenant, "tid": tid,
                "resource": resource, "scope": scope,
                "issued": now,
                "expires_at": now + behaviour["expires_in"],
                "interval": behaviour["interval"],
                "expires_in": behaviour["expires_in"],
                "approve_after_polls": behaviour["approve_after_polls"],
                "decline": behaviour["decline"],
                "blocked": behaviour["device_blocked"],
                "default_user": behaviour["user"],
                "auto_approve_at": None if auto is None else now + auto,
                "polls": 0,
                "status": "pending",   # pending | approved | declined | expired | redeemed
                "user": None,          # who approved
            }
            self._by_device[code["device_code"]] = code
            self._by_user[user_code] = code
            return dict(code)

    def _settle(self, code, now):
        """Apply expiry and auto-approval that have come due (caller holds the lock)."""
        if code["status"] == "pending" and code["auto_approve_at"] is not None \
                and now >= code["auto_approve_at"] and now < code["expires_at"]:
            code["status"], code["user"] = "approved", code["default_user"]
        if code["status"] in ("pending", "declined") and now >= code["expires_at"]:
            code["status"] = "expired"

    def poll(self, device_code, client_id):
        """(outcome, code copy). outcome: 'ok' or the aad_errors name to answer with;
        'expired' is left for the caller, which knows if the client speaks v1 or RFC 8628."""
        now = time.time()
        with self._lock:
            code = self._by_device.get(device_code or "")
            if code is None:
                return "bad_verification_code", None
            if code["client_id"] != client_id:
                return "device_code_wrong_client", dict(code)
            if code["status"] == "redeemed":
                return "device_code_redeemed", dict(code)
            self._settle(code, now)
            if code["status"] == "expired":
                return "expired", dict(code)
            code["polls"] += 1
            if code["blocked"]:
                return "device_blocked", dict(code)
            after = code["approve_after_polls"]
            if code["decline"] and after is None:
                after = 0  # "decline" alone means: refuse at the first poll
            if code["status"] == "pending" and after is not None and code["polls"] > after:
                if code["decline"]:
                    code["status"] = "declined"
                else:
                    code["status"], code["user"] = "approved", code["default_user"]
            if code["status"] == "pending":
                return "authorization_pending", dict(code)
            if code["status"] == "declined":
                return "authorization_declined", dict(code)
            code["status"] = "redeemed"
            return "ok", dict(code)

    def act(self, user_code, action, user=None):
        """Approve/decline/expire by user code. (ok, message, code copy)."""
        now = time.time()
        with self._lock:
            code = self._by_user.get(normalise_user_code(user_code))
            if code is None:
                return False, "unknown user code", None
            self._settle(code, now)
            if action == "expire":
                if code["status"] == "redeemed":
                    return False, "code already redeemed", dict(code)
                code["status"] = "expired"
                code["expires_at"] = min(code["expires_at"], now)
                return True, "expired", dict(code)
            if code["status"] != "pending":
                return False, "code is %s, not pending" % code["status"], dict(code)
            if action == "approve":
                code["status"], code["user"] = "approved", user or code["default_user"]
            else:
                code["status"] = "declined"
            return True, code["status"], dict(code)

    def lookup_user_code(self, user_code):
        now = time.time()
        with self._lock:
            code = self._by_user.get(normalise_user_code(user_code))
            if code is None:
                return None
            self._settle(code, now)
            return dict(code)

    def pending(self):
        now = time.time()
        with self._lock:
            out = []
            for code in sorted(self._by_user.values(), key=lambda c: c["issued"]):
                self._settle(code, now)
                if code["status"] == "pending":
                    out.append(code["user_code"])
            return out


class RefreshTokens:
    """Opaque refresh tokens; each one remembers who and what it was issued for."""

    def __init__(self):
        self._lock = threading.Lock()
        self._tokens = {}

    def reset(self):
        with self._lock:
            self._tokens.clear()

    def issue(self, grant):
        token = "RT." + secrets.token_urlsafe(64)
        with self._lock:
            self._tokens[token] = dict(grant, valid=True)
        return token

    def redeem(self, token, client_id, tid, invalidate):
        """(error name or None, grant). With `invalidate` the token is spent (rotation)."""
        with self._lock:
            grant = self._tokens.get(token or "")
            if grant is None:
                return "refresh_unknown", None
            if not grant["valid"]:
                return "refresh_revoked", None
            if grant["client_id"] != client_id:
                return "refresh_wrong_client", None
            if grant["tid"] != tid:
                return "refresh_wrong_tenant", None
            if invalidate:
                grant["valid"] = False
            return None, dict(grant)
