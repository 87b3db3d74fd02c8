#!/usr/bin/python3
"""Create the throw-away PKI the local authority and the tests use.

Writes into --out:
  ca.pem / ca.key                 the test CA clients are told to trust (explicitly, by path)
  server.pem / server.key         leaf for 127.0.0.1, ::1 and localhost (plus any --name), signed by ca
  other-ca.pem                    an unrelated CA: a client trusting only it must refuse our server
  wrong-host.pem / wrong-host.key leaf signed by the good CA but only for not-this-host.invalid,
                                  so a client must fail on the host name, not on the chain

Validity starts an hour in the past (clock skew between processes) and lasts two days:
long enough for any test run, short enough that a leaked key is worthless.
"""
import argparse
import datetime
import ipaddress
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _window():
    now = datetime.datetime.now(datetime.timezone.utc)
    return now - datetime.timedelta(hours=1), now + datetime.timedelta(days=2)


def _name(common_name):
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "aadcred tests"),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


def make_ca(common_name):
    key = _new_key()
    start, end = _window()
    subject = _name(common_name)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=False, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return cert, key


def _san_entries(names):
    entries = []
    for n in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(n)))
        except ValueError:
            entries.append(x509.DNSName(n))
    return entries


def make_leaf(ca_cert, ca_key, names):
    """A TLS server certificate for `names`; the CN is informational only (clients use SANs)."""
    key = _new_key()
    start, end = _window()
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(names[0])).issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=True,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName(_san_entries(names)), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                       critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return cert, key


def _write(path, data, private):
    # Create with the final mode so a private key is never briefly world-readable.
    mode = 0o600 if private else 0o644
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, mode)  # O_CREAT ignores mode for an existing file


def _cert_pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.TraditionalOpenSSL,
                             serialization.NoEncryption())


def main(argv=None):
    ap = argparse.ArgumentParser(description="Create the test CA and server certificates.")
    ap.add_argument("--out", required=True, help="directory to write into (created if missing)")
    ap.add_argument("--name", action="append", default=[],
                    help="extra DNS name or IP for the server certificate (repeatable)")
    args = ap.parse_args(argv)

    os.makedirs(args.out, exist_ok=True)
    out = lambda f: os.path.join(args.out, f)  # noqa: E731

    ca_cert, ca_key = make_ca("aadcred test CA")
    names = ["127.0.0.1", "::1", "localhost"] + [n for n in args.name if n]
    srv_cert, srv_key = make_leaf(ca_cert, ca_key, names)
    other_cert, _ = make_ca("aadcred unrelated CA")
    wrong_cert, wrong_key = make_leaf(ca_cert, ca_key, ["not-this-host.invalid"])

    _write(out("ca.pem"), _cert_pem(ca_cert), False)
    _write(out("ca.key"), _key_pem(ca_key), True)
    _write(out("server.pem"), _cert_pem(srv_cert), False)
    _write(out("server.key"), _key_pem(srv_key), True)
    _write(out("other-ca.pem"), _cert_pem(other_cert), False)
    _write(out("wrong-host.pem"), _cert_pem(wrong_cert), False)
    _write(out("wrong-host.key"), _key_pem(wrong_key), True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
