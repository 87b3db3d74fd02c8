"""RS256 JWTs and the JWKS that lets clients verify them.

The signing key is made fresh at every start, so tokens from one test run can never be
accepted by another. A self-signed certificate wraps the key only because AAD's JWKS carries
`x5t`/`x5c` and clients (and aadcred's PAM module) may look at them; AAD uses the x5t as kid.
"""
import base64
import datetime
import hashlib
import json

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    if isinstance(text, str):
        text = text.encode("ascii")
    return base64.urlsafe_b64decode(text + b"=" * (-len(text) % 4))


def _int_b64(n):
    return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


class Signer:
    def __init__(self):
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = datetime.datetime.now(datetime.timezone.utc)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "aadcred test token signing")])
        self._cert = (
            x509.CertificateBuilder()
            .subject_name(name).issuer_name(name)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .sign(self._key, hashes.SHA256())
        )
        der = self._cert.public_bytes(serialization.Encoding.DER)
        self._x5c = base64.b64encode(der).decode("ascii")
        self.kid = b64url(hashlib.sha1(der).digest())  # AAD: kid == x5t

    def sign(self, claims):
        header = {"typ": "JWT", "alg": "RS256", "x5t": self.kid, "kid": self.kid}
        signing_input = "%s.%s" % (
            b64url(json.dumps(header, separators=(",", ":")).encode()),
            b64url(json.dumps(claims, separators=(",", ":")).encode()))
        sig = self._key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(sig)

    def verify(self, token):
        """Claims of a token we signed, or None. Does not look at exp: callers decide."""
        try:
            head_b64, body_b64, sig_b64 = token.split(".")
            header = json.loads(b64url_decode(head_b64))
            if header.get("alg") != "RS256" or header.get("kid") != self.kid:
                return None
            self._key.public_key().verify(b64url_decode(sig_b64),
                                          ("%s.%s" % (head_b64, body_b64)).encode("ascii"),
                                          padding.PKCS1v15(), hashes.SHA256())
            claims = json.loads(b64url_decode(body_b64))
            return claims if isinstance(claims, dict) else None
        except (ValueError, TypeError, AttributeError, InvalidSignature):
            return None

    def jwks(self, issuer=None):
        pub = self._key.public_key().public_numbers()
        key = {"kty": "RSA", "use": "sig", "kid": self.kid, "x5t": self.kid,
               "n": _int_b64(pub.n), "e": _int_b64(pub.e), "x5c": [self._x5c]}
        if issuer:
            key["issuer"] = issuer  # v2 JWKS entries carry it; harmless elsewhere
        return {"keys": [key]}
