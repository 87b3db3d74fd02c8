"""Confidential clients and authorization codes: the token endpoint's client_credentials
grant (client secret, or an RS256 client assertion per RFC 7523 §3) and its
authorization_code grant with PKCE (RFC 7636 §4.6).

State: registered client secrets (`app-1` / `s3cr3t&=` built in), certificates registered
through `POST /_control/certificates {"client_id", "certificate_pem"}`, and one-shot codes
minted through `POST /_control/auth_codes {"user", "client_id", "redirect_uri",
"code_challenge"?, "code_challenge_method"?}` (there is no interactive authorize page).
Error bodies are AAD's (`invalid_client` 401 with AADSTS7000215 for a wrong secret...).
"""
import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

import aad_errors
from directory import get_user, tenant_id
from jwt_signing import b64url, b64url_decode
from token_issuer import v1_issuer

GRANTS = ("client_credentials", "authorization_code")
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
BUILTIN_CLIENTS = {"app-1": "s3cr3t&="}
CODE_LIFETIME = 600          # AAD's codes live about 10 minutes
CLOCK_SKEW = 300             # AAD tolerates 5 minutes of clock skew on assertions
MAX_ASSERTION_LIFETIME = 3600
_APP_NAMESPACE = uuid.UUID("6f6a1c1e-0e3a-4c1e-9d0b-6a1d0c1e5f00")

# name -> (HTTP status, AADSTS code, wire error, text)
ERRORS = {
    "secret_invalid": (401, 7000215, "invalid_client", "Invalid client secret is provided."),
    "credential_missing": (401, 7000218, "invalid_client",
                           "The request body must contain the following parameter: "
                           "'client_assertion' or 'client_secret'."),
    "client_unknown": (400, 700016, "unauthorized_client",
                       "Application with the identifier was not found in the directory."),
    "assertion_type": (401, 50027, "invalid_client",
                       "Invalid client_assertion_type; expected '%s'." % JWT_BEARER),
    "assertion_malformed": (401, 50027, "invalid_client", "JWT token is invalid or malformed."),
    "assertion_key_unknown": (401, 700027, "invalid_client",
                              "Client assertion failed signature validation. [Reason - The key "
                              "was not found.]"),
    "assertion_signature": (401, 700027, "invalid_client",
                            "Client assertion contains an invalid signature."),
    "assertion_subject": (401, 700021, "invalid_client",
                          "Client assertion application identifier doesn't match "
                          "'client_id' parameter."),
    "assertion_audience": (401, 700038, "invalid_client",
                           "Client assertion audience claim does not match the token "
                           "endpoint."),
    "assertion_time": (401, 700024, "invalid_client",
                       "Client assertion is not within its valid time range."),
    "code_unknown": (400, 9002313, "invalid_grant",
                     "Invalid request. Request is malformed or invalid."),
    "code_redeemed": (400, 54005, "invalid_grant",
                      "OAuth2 Authorization code was already redeemed, please retry with a "
                      "new valid code or use an existing refresh token."),
    "code_expired": (400, 70008, "invalid_grant",
                     "The provided authorization code or refresh token has expired."),
    "code_wrong_client": (400, 70000, "invalid_grant",
                          "Provided grant is invalid or malformed. The code was issued to a "
                          "different client."),
    "code_redirect": (400, 50148, "invalid_grant",
                      "The redirect_uri does not match the one the authorization code was "
                      "issued for."),
    "pkce_missing": (400, 9002325, "invalid_request",
                     "Proof Key for Code Exchange is required: the request must contain "
                     "'code_verifier'."),
    "pkce_mismatch": (400, 501481, "invalid_grant",
                      "The Code_Verifier does not match the code_challenge supplied in the "
                      "authorization request."),
}


def _send_error(h, name):
    status, code, wire, text = ERRORS[name]
    _, body = aad_errors.body(name, h.correlation_id(), code=code, text=text, wire_error=wire)
    h.send_json(status, body)


def _missing(h, param):
    status, body = aad_errors.missing_parameter(param, h.correlation_id())
    h.send_json(status, body)


def thumbprint_of(cert):
    return cert.fingerprint(hashes.SHA1())


class ConfidentialClients:
    """Secrets, certificates and authorization codes; one lock guards them all."""

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._secrets = dict(BUILTIN_CLIENTS)
            self._certs = {}   # client_id -> {sha1 thumbprint bytes: certificate}
            self._codes = {}   # code -> record

    # ---- control --------------------------------------------------------------------
    def add_certificate(self, body):
        if not isinstance(body, dict) or not isinstance(body.get("client_id"), str) \
                or not isinstance(body.get("certificate_pem"), str):
            raise ValueError('body must be {"client_id", "certificate_pem"}')
        cert = x509.load_pem_x509_certificate(body["certificate_pem"].encode("ascii"))
        if not isinstance(cert.public_key(), rsa.RSAPublicKey):
            raise ValueError("only RSA certificates are supported")
        thumbprint = thumbprint_of(cert)
        with self._lock:
            self._certs.setdefault(body["client_id"], {})[thumbprint] = cert
        return {"ok": True, "thumbprint": thumbprint.hex().upper()}

    def add_code(self, body):
        if not isinstance(body, dict):
            raise ValueError("body must be a JSON object")
        for field in ("client_id", "redirect_uri"):
            if not isinstance(body.get(field), str) or not body[field]:
                raise ValueError("'%s' is required" % field)
        user = get_user(body.get("user") or "alice@contoso.com")
        if user is None:
            raise ValueError("'user' is not a UPN")
        method = body.get("code_challenge_method") or "plain"  # RFC 7636 §4.3 default
        challenge = body.get("code_challenge")
        if challenge is not None and (not isinstance(challenge, str) or
                                      method not in ("plain", "S256")):
            raise ValueError("code_challenge must be a string, method plain or S256")
        code = "AC." + secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = {"client_id": body["client_id"], "upn": user["upn"],
                                 "redirect_uri": body["redirect_uri"],
                                 "challenge": challenge, "method": method,
                                 "expires": time.time() + CODE_LIFETIME, "used": False}
        return {"code": code}

    # ---- checks ---------------------------------------------------------------------
    def check_secret(self, client_id, secret):
        with self._lock:
            expected = self._secrets.get(client_id)
        if expected is None:
            return "client_unknown"
        if not hmac.compare_digest(expected.encode(), (secret or "").encode()):
            return "secret_invalid"
        return None

    def is_confidential(self, client_id):
        with self._lock:
            return client_id in self._secrets or client_id in self._certs

    def check_assertion(self, client_id, assertion, token_url):
        """RFC 7523 §3: signature by a registered certificate (found by x5t), iss = sub =
        client_id, aud = the token endpoint, nbf/exp around now."""
        try:
            head_b64, body_b64, sig_b64 = assertion.split(".")
            header = json.loads(b64url_decode(head_b64))
            claims = json.loads(b64url_decode(body_b64))
            signature = b64url_decode(sig_b64)
            # ADAL pads x5t with '='; RFC 7515 does not. Both decode the same.
            thumbprint = base64.urlsafe_b64decode(header["x5t"] + "=" * (-len(header["x5t"]) % 4))
        except (ValueError, KeyError, TypeError, AttributeError):
            return "assertion_malformed"
        if not isinstance(header, dict) or not isinstance(claims, dict) \
                or header.get("alg") != "RS256":
            return "assertion_malformed"
        with self._lock:
            cert = self._certs.get(client_id, {}).get(thumbprint)
        if cert is None:
            return "assertion_key_unknown"
        try:
            cert.public_key().verify(signature, ("%s.%s" % (head_b64, body_b64)).encode("ascii"),
                                     padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return "assertion_signature"
        if claims.get("iss") != client_id or claims.get("sub") != client_id:
            return "assertion_subject"
        if claims.get("aud") != token_url:
            return "assertion_audience"
        now = time.time()
        nbf, exp = claims.get("nbf"), claims.get("exp")
        if not isinstance(exp, int) or exp + CLOCK_SKEW < now or \
                (isinstance(nbf, int) and (nbf - CLOCK_SKEW > now or exp - nbf >
                                           MAX_ASSERTION_LIFETIME)):
            return "assertion_time"
        return None

    def redeem_code(self, code, client_id, redirect_uri, verifier):
        """(error name or None, record). A code is spent by its first redemption."""
        with self._lock:
            record = self._codes.get(code or "")
            if record is None:
                return "code_unknown", None
            if record["used"]:
                return "code_redeemed", None
            record["used"] = True
        if record["expires"] < time.time():
            return "code_expired", None
        if record["client_id"] != client_id:
            return "code_wrong_client", None
        if record["redirect_uri"] != redirect_uri:
            return "code_redirect", None
        if record["challenge"] is not None:
            if not verifier:
                return "pkce_missing", None
            if record["method"] == "S256":
                computed = b64url(hashlib.sha256(verifier.encode("ascii", "replace")).digest())
            else:
                computed = verifier
            if not hmac.compare_digest(computed.encode(), record["challenge"].encode()):
                return "pkce_mismatch", None
        return None, record


def control(h, a, name, body):
    """POST /_control/certificates and /_control/auth_codes."""
    if name == "certificates":
        h.send_json(200, a.confidential.add_certificate(body))
    else:
        h.send_json(200, a.confidential.add_code(body))


def _token_url(h, tenant, api):
    path = "oauth2/token" if api == "v1" else "oauth2/v2.0/token"
    return "https://%s/%s/%s" % (h.public_host(), tenant, path)


def _authenticate(h, a, tenant, api, client_id):
    """Checks the client's credential in the form; returns (error name or None, acr)."""
    form = h.form
    if form.get("client_assertion") or form.get("client_assertion_type"):
        if form.get("client_assertion_type") != JWT_BEARER:
            return "assertion_type", None
        return a.confidential.check_assertion(client_id, form.get("client_assertion", ""),
                                              _token_url(h, tenant, api)), "2"
    if "client_secret" in form:
        return a.confidential.check_secret(client_id, form["client_secret"]), "1"
    return "credential_missing", None


def token(h, a, tenant, api, grant_type):
    client_id = h.form.get("client_id")
    if not client_id:
        _missing(h, "client_id")
    elif grant_type == "client_credentials":
        _client_credentials(h, a, tenant, api, client_id)
    else:
        _authorization_code(h, a, tenant, api, client_id)


def _client_credentials(h, a, tenant, api, client_id):
    target = h.form.get("resource") if api == "v1" else h.form.get("scope")
    if not target:
        _missing(h, "resource" if api == "v1" else "scope")
        return
    err, acr = _authenticate(h, a, tenant, api, client_id)
    if err:
        _send_error(h, err)
        return
    lifetime = a.current_behaviour()["access_token_lifetime"]
    tid = tenant_id(tenant)
    now = a.now()
    app_oid = str(uuid.uuid5(_APP_NAMESPACE, client_id))
    aud = target if api == "v1" else target.rsplit("/", 1)[0] if "/" in target else target
    claims = {"aud": aud, "iss": v1_issuer(tid), "iat": now, "nbf": now, "exp": now + lifetime,
              "appid": client_id, "appidacr": acr, "idtyp": "app", "oid": app_oid,
              "sub": app_oid, "tid": tid, "ver": "1.0"}
    at = a.issuer.issue_app_token(claims)
    if api == "v1":  # AAD v1: numbers as strings, no refresh token, no id_token
        body = {"token_type": "Bearer", "expires_in": str(lifetime),
                "ext_expires_in": str(lifetime), "expires_on": str(now + lifetime),
                "not_before": str(now), "resource": target, "access_token": at}
    else:
        body = {"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime,
                "access_token": at}
    h.send_json(200, body)


def _authorization_code(h, a, tenant, api, client_id):
    if not h.form.get("code"):
        _missing(h, "code")
        return
    if not h.form.get("redirect_uri"):
        _missing(h, "redirect_uri")
        return
    # Public clients redeem with PKCE alone; a registered confidential client must
    # authenticate, and anyone who sends a credential has it checked.
    sends_credential = any(k in h.form for k in
                           ("client_secret", "client_assertion", "client_assertion_type"))
    if sends_credential or a.confidential.is_confidential(client_id):
        err, _ = _authenticate(h, a, tenant, api, client_id)
        if err:
            _send_error(h, err)
            return
    err, record = a.confidential.redeem_code(h.form["code"], client_id,
                                             h.form["redirect_uri"], h.form.get("code_verifier"))
    if err:
        _send_error(h, err)
        return
    if api == "v1" and not h.form.get("resource"):
        _missing(h, "resource")
        return
    grant = {"api": api, "client_id": client_id, "upn": record["upn"], "tenant": tenant,
             "tid": tenant_id(tenant),
             "resource": h.form.get("resource") if api == "v1" else None,
             "scope": h.form.get("scope") or "openid offline_access" if api != "v1" else None}
    lifetime = a.current_behaviour()["access_token_lifetime"]
    h.send_json(200, a.issuer.respond(grant, h.public_host(), lifetime,
                                      lambda: a.refresh.issue(grant), a.now()))


def new_client_certificate(common_name="aadcred test client"):
    """(key PEM, certificate PEM, SHA-1 thumbprint as upper-case hex) of a fresh RSA 2048
    self-signed certificate, for tests that play a confidential client."""
    import datetime
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import NameOID
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM,
                                serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption()).decode("ascii")
    cert_pem = cert.public_bytes(serialization.Encoding.PEM).decode("ascii")
    return key_pem, cert_pem, thumbprint_of(cert).hex().upper()


def sign_assertion(key_pem, claims, x5t):
    """An RS256 client assertion the way a client builds one (tests only)."""
    from cryptography.hazmat.primitives import serialization
    key = serialization.load_pem_private_key(key_pem.encode("ascii"), None)
    header = {"typ": "JWT", "alg": "RS256", "x5t": x5t}
    signing_input = "%s.%s" % (b64url(json.dumps(header).encode()),
                               b64url(json.dumps(claims).encode()))
    sig = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return signing_input + "." + b64url(sig)
