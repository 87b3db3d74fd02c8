"""Token responses in AAD v1 and v2 shapes, and introspection of what we issued.

v1 puts every number in a string ("3599") because real AAD v1 does and ADAL int()s them;
v2 uses JSON numbers. v2, like real AAD, returns a refresh token only for `offline_access`
and an id_token only for `openid`, so a client that forgets those scopes finds out here.
"""
import hashlib
import secrets
import threading

from directory import display_name, get_user
from jwt_signing import Signer, b64url

OIDC_SCOPES = {"openid", "profile", "offline_access", "email"}
GRAPH = "https://graph.microsoft.com"


def v1_issuer(tid):
    return "https://sts.windows.net/%s/" % tid


def v2_issuer(host, tid):
    return "https://%s/%s/v2.0" % (host, tid)


def resource_of_scope(scope):
    """The audience AAD would give a v2 access token: `res/perm` -> `res`, bare -> Graph."""
    for item in (scope or "").split():
        if item in OIDC_SCOPES:
            continue
        if "/" in item:
            return item.rsplit("/", 1)[0]
        return GRAPH
    return GRAPH


def permissions_of_scope(scope):
    perms = []
    for item in (scope or "").split():
        if item in OIDC_SCOPES:
            continue
        perm = item.rsplit("/", 1)[-1]
        perms.append("user_impersonation" if perm == ".default" else perm)
    return " ".join(perms) or "User.Read"


def _pairwise_sub(oid, client_id):
    # AAD's `sub` differs per application for the same user; mimic that.
    return b64url(hashlib.sha256(("%s|%s" % (oid, client_id)).encode()).digest())


class TokenIssuer:
    def __init__(self, signer):
        self.signer = signer
        self._retired = []  # earlier signers still published (rotate_key keep_old)
        self._lock = threading.Lock()
        self._issued = set()  # `uti` of every access token issued since the last reset

    def reset(self):
        with self._lock:
            self._issued.clear()

    def _user_claims(self, user, client_id, tid):
        return {
            "tid": tid, "oid": user["oid"], "upn": user["upn"], "unique_name": user["upn"],
            "sub": _pairwise_sub(user["oid"], client_id),
            "family_name": user["family_name"], "given_name": user["given_name"],
            "name": display_name(user), "email": user["upn"],
        }

    def _access_token(self, grant, user, now, lifetime):
        uti = secrets.token_urlsafe(16)
        v2 = grant["api"] == "v2"
        aud = resource_of_scope(grant["scope"]) if v2 else grant["resource"]
        scp = permissions_of_scope(grant["scope"]) if v2 else "user_impersonation"
        claims = {"aud": aud, "iss": v1_issuer(grant["tid"]), "iat": now, "nbf": now,
                  "exp": now + lifetime, "appid": grant["client_id"], "appidacr": "0",
                  "amr": ["pwd", "mfa"], "scp": scp, "uti": uti, "ver": "1.0"}
        claims.update(self._user_claims(user, grant["client_id"], grant["tid"]))
        with self._lock:
            self._issued.add(uti)
        return self.signer.sign(claims)

    def _id_token(self, grant, user, host, now, extra_claims=None):
        v2 = grant["api"] == "v2"
        claims = {"aud": grant["client_id"],
                  "iss": v2_issuer(host, grant["tid"]) if v2 else v1_issuer(grant["tid"]),
                  "iat": now, "nbf": now, "exp": now + 3600, "amr": ["pwd", "mfa"],
                  "ver": "2.0" if v2 else "1.0"}
        claims.update(self._user_claims(user, grant["client_id"], grant["tid"]))
        if v2:
            claims["preferred_username"] = user["upn"]
        claims.update(extra_claims or {})
        return self.signer.sign(claims)

    def rotate_key(self, keep_old=False):
        """Signs from now on with a new key, as AAD's rollover does; the old key stays in
        the JWKS (and still verifies) with keep_old, else it is gone. Returns the new kid."""
        with self._lock:
            self._retired = ([self.signer] + self._retired) if keep_old else []
            self.signer = Signer()
            return self.signer.kid

    def jwks(self, issuer=None):
        with self._lock:
            signers = [self.signer] + self._retired
        return {"keys": [k for s in signers for k in s.jwks(issuer)["keys"]]}

    def respond(self, grant, host, lifetime, issue_refresh, now, id_token_claims=None):
        """The 200 body for `grant` (api, client_id, upn, tid, resource|scope).

        `issue_refresh` is a callable returning a new refresh token, so the caller's store
        decides its format and bookkeeping; `now` is the authority's clock (iat, nbf,
        exp, expires_on, not_before)."""
        user = get_user(grant["upn"])
        at = self._access_token(grant, user, now, lifetime)
        if grant["api"] == "v1":
            return {
                "token_type": "Bearer", "scope": "user_impersonation",
                "expires_in": str(lifetime), "ext_expires_in": str(lifetime),
                "expires_on": str(now + lifetime), "not_before": str(now),
                "resource": grant["resource"], "access_token": at,
                "refresh_token": issue_refresh(),
                "id_token": self._id_token(grant, user, host, now, id_token_claims),
            }
        scopes = set((grant["scope"] or "").split())
        body = {"token_type": "Bearer", "scope": grant["scope"], "expires_in": lifetime,
                "ext_expires_in": lifetime, "access_token": at}
        if "offline_access" in scopes:
            body["refresh_token"] = issue_refresh()
        if "openid" in scopes:
            body["id_token"] = self._id_token(grant, user, host, now, id_token_claims)
        return body

    def issue_app_token(self, claims):
        """Signs an application (client credentials) access token; claims carry no user."""
        claims = dict(claims, uti=secrets.token_urlsafe(16))
        with self._lock:
            self._issued.add(claims["uti"])
        return self.signer.sign(claims)

    def introspect(self, token, now):
        """RFC 7662-like: active only for unexpired access tokens issued since reset."""
        with self._lock:
            signers = [self.signer] + self._retired
        claims = None
        for signer in signers if isinstance(token, str) else []:
            claims = claims or signer.verify(token)
        if not claims or "uti" not in claims:
            return {"active": False}
        with self._lock:
            known = claims["uti"] in self._issued
        exp = claims.get("exp")
        if not known or not isinstance(exp, int) or exp <= now:
            return {"active": False, "exp": exp}
        return {"active": True, "upn": claims.get("upn"), "aud": claims.get("aud"),
                "exp": exp, "tid": claims.get("tid"), "appid": claims.get("appid"),
                "scp": claims.get("scp"), "oid": claims.get("oid")}
