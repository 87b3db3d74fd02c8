#!/usr/bin/python3
"""The confidential-client and authorization code flows (issue 3) through `aadcred token`
against the local authority, each side by side with python3-adal on the same authority:
the same dict keys, value types and values (timestamps and random ids aside), and the same
error text for a wrong client secret.

python3-adal runs in this process (Debian's Python has it); the CLI runs as a child with
the world's scrubbed environment.
"""
import base64
import hashlib
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import AUTHORITY_DIR, RESOURCE, WorldTestCase, binary  # noqa: E402

sys.path.insert(0, str(AUTHORITY_DIR))
from confidential import new_client_certificate  # noqa: E402

from harness import require  # noqa: E402

require("python3-adal")  # every test compares with it: the module skips (77) without it
import adal  # noqa: E402  python3-adal, the reference

APP = "app-1"
APP_SECRET = "s3cr3t&="  # '&' and '=' prove the form encoding
WEB = "web-client-1"
REDIRECT = "http://localhost:8400/callback"
# Values that differ between two requests by nature: tokens and times.
RANDOM_KEYS = {"accessToken", "refreshToken", "expiresOn"}
TIME_TOLERANCE = 5  # seconds between the two clients' expiresIn

# ADAL reads these; the test passes its CA explicitly and talks to loopback only.
for _name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE", "http_proxy",
              "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(_name, None)


def message_line(stderr):
    """The CLI's error line (log lines of the library come before it)."""
    return next((line for line in stderr.splitlines() if line.startswith("aadcred: ")), "")


class AdalFlowsTest(WorldTestCase):
    world_options = {"keyring": False}

    # -- helpers ---------------------------------------------------------------------
    def adal_context(self):
        return adal.AuthenticationContext(self.world.authority_url, validate_authority=False,
                                          verify_ssl=self.world.ca)

    def secret_file(self, name, text):
        path = self.world.tmp / name
        path.write_text(text)
        path.chmod(0o600)
        return str(path)

    def cli(self, client_id, *args, input=None):
        """`aadcred token --json` with the flow options; returns (exit code, parsed stdout,
        stderr)."""
        result = self.world.run(
            [*self.world_cli_base(client_id), "--store", "memory", "token", "--resource",
             RESOURCE, "--json", *args], input=input)
        try:
            parsed = json.loads(result.stdout) if result.stdout.strip() else None
        except ValueError:
            parsed = None
        return result.returncode, parsed, result.stderr

    def world_cli_base(self, client_id):
        return [binary("aadcred"), "--authority", self.world.authority_url, "--client-id",
                client_id, "--ca-file", self.world.ca, "--no-validate-authority"]

    def assert_same_dict(self, ours, theirs):
        """Same keys, same value types, same values except tokens and times (ADAL §4)."""
        self.assertEqual(sorted(ours), sorted(theirs))
        for key, value in theirs.items():
            self.assertIs(type(ours[key]), type(value), key)
            if key == "expiresIn":
                self.assertLessEqual(abs(ours[key] - value), TIME_TOLERANCE)
            elif key not in RANDOM_KEYS:
                self.assertEqual(ours[key], value, key)
        # expiresOn is ADAL's local "YYYY-MM-DD HH:MM:SS[.ffffff]"
        self.assertRegex(ours["expiresOn"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?$")

    def assert_active(self, access_token, appid):
        info = self.world.introspect(access_token)
        self.assertTrue(info["active"], info)
        self.assertEqual(info["appid"], appid)
        return info

    def mint_code(self, **extra):
        body = {"user": "bob@contoso.com", "client_id": WEB, "redirect_uri": REDIRECT}
        body.update(extra)
        return self.world.control("auth_codes", body)["code"]

    # -- client credentials ----------------------------------------------------------
    def test_client_credentials_like_adal(self):
        code, ours, err = self.cli(APP, "--client-secret-file",
                                   self.secret_file("secret", APP_SECRET + "\n"))
        self.assertEqual(code, 0, err)
        theirs = self.adal_context().acquire_token_with_client_credentials(RESOURCE, APP,
                                                                           APP_SECRET)
        self.assert_same_dict(ours, theirs)
        self.assertTrue(ours["isMRRT"])
        self.assert_active(ours["accessToken"], APP)
        # Both sent ADAL's body (reference §2.3), byte for byte in form order.
        forms = [r["form"] for r in self.world.token_requests("client_credentials")]
        self.assertEqual(len(forms), 2)
        self.assertEqual(list(forms[0]), ["grant_type", "client_id", "resource",
                                          "client_secret"])
        self.assertEqual(forms[0], forms[1])

    def test_client_secret_from_stdin(self):
        code, ours, err = self.cli(APP, "--client-secret-file", "-", "--log-level", "verbose",
                                   "--log-pii", input=APP_SECRET)
        self.assertEqual(code, 0, err)
        self.assert_active(ours["accessToken"], APP)
        self.assertIn("OAuth2Client", err)  # the verbose log ran...
        self.assertNotIn(APP_SECRET, err)    # ...without the secret or the token
        self.assertNotIn(ours["accessToken"], err)

    def test_wrong_secret_same_error_text(self):
        code, ours, err = self.cli(APP, "--client-secret-file", self.secret_file("bad", "nope"))
        self.assertEqual(code, 1)
        with self.assertRaises(adal.AdalError) as caught:
            self.adal_context().acquire_token_with_client_credentials(RESOURCE, APP, "nope")
        theirs = str(caught.exception)
        prefix = "Get Token request returned http error: 401 and server response: "
        self.assertTrue(theirs.startswith(prefix), theirs)
        self.assertTrue(message_line(err).startswith("aadcred: " + prefix), err)
        # The server's reply differs only in trace/correlation ids and time; the OAuth
        # error itself is the same, and --json carries ADAL's error_response fields.
        self.assertEqual(ours["error"], caught.exception.error_response["error"])
        self.assertEqual(ours["error_codes"], caught.exception.error_response["error_codes"])
        self.assertIn("AADSTS7000215", ours["error_description"])
        self.assertNotIn("nope", err + json.dumps(ours))  # the secret is never echoed

    # -- client certificate ----------------------------------------------------------
    def register_certificate(self, client_id):
        key, cert, thumbprint = new_client_certificate()
        self.world.control("certificates", {"client_id": client_id, "certificate_pem": cert})
        return key, cert, thumbprint

    def test_client_certificate_like_adal(self):
        key, cert, thumbprint = self.register_certificate("cert-app")
        colons = ":".join(re.findall("..", thumbprint))  # ADAL accepts colons and spaces
        code, ours, err = self.cli("cert-app", "--certificate", self.secret_file("key", key),
                                   "--thumbprint", colons, "--public-certificate",
                                   self.secret_file("cert", cert))
        self.assertEqual(code, 0, err)
        theirs = self.adal_context().acquire_token_with_client_certificate(
            RESOURCE, "cert-app", key, thumbprint, cert)
        self.assert_same_dict(ours, theirs)
        self.assertNotIn("_clientId", ours)  # not cached, so not augmented (ADAL §1.1)
        info = self.assert_active(ours["accessToken"], "cert-app")
        self.assertEqual(info["aud"], RESOURCE)
        # Both assertions carry ADAL's padded x5t of the same thumbprint.
        x5t = base64.urlsafe_b64encode(bytes.fromhex(thumbprint)).decode()
        headers = []
        for form in (r["form"] for r in self.world.token_requests("client_credentials")):
            head = form["client_assertion"].split(".")[0]
            headers.append(json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))))
        self.assertEqual([h["x5t"] for h in headers], [x5t, x5t])
        self.assertTrue(all(h["alg"] == "RS256" and len(h["x5c"]) == 1 for h in headers))

    def test_certificate_errors(self):
        key, _, thumbprint = self.register_certificate("cert-app")
        code, _, err = self.cli("cert-app", "--certificate", self.secret_file("k", key),
                                "--thumbprint", "12:34")
        self.assertEqual(code, 2, err)  # a caller error (ADAL: AdalError before any request)
        self.assertIn("The thumbprint does not match a known format", err)
        with self.assertRaises(adal.AdalError) as caught:
            self.adal_context().acquire_token_with_client_certificate(
                RESOURCE, "cert-app", key, "12:34")
        self.assertIn("The thumbprint does not match a known format", str(caught.exception))
        # A key unknown to the authority: AAD's invalid_client.
        other_key, _, other_thumb = new_client_certificate()
        code, ours, err = self.cli("cert-app", "--certificate", self.secret_file("k2", other_key),
                                   "--thumbprint", other_thumb)
        self.assertEqual(code, 1, err)
        self.assertEqual(ours["error"], "invalid_client")

    # -- authorization code ----------------------------------------------------------
    def test_authorization_code_pkce_like_adal(self):
        verifier = "x" * 50
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()) \
            .decode().rstrip("=")
        ours_code = self.mint_code(code_challenge=challenge, code_challenge_method="S256")
        code, ours, err = self.cli(WEB, "--auth-code-file", self.secret_file("c", ours_code),
                                   "--redirect-uri", REDIRECT, "--code-verifier-file",
                                   self.secret_file("v", verifier))
        self.assertEqual(code, 0, err)
        theirs = self.adal_context().acquire_token_with_authorization_code(
            self.mint_code(code_challenge=challenge, code_challenge_method="S256"), REDIRECT,
            RESOURCE, WEB, None, verifier)
        self.assert_same_dict(ours, theirs)
        self.assertEqual(ours["userId"], "bob@contoso.com")
        self.assertTrue(ours["isUserIdDisplayable"])
        forms = [r["form"] for r in self.world.token_requests("authorization_code")]
        self.assertEqual([list(f) for f in forms], [["grant_type", "client_id", "resource",
                                                     "redirect_uri", "code",
                                                     "code_verifier"]] * 2)

    def test_authorization_code_confidential_client(self):
        # A confidential client redeems with its secret (ADAL's client_secret argument).
        code, ours, err = self.cli(
            APP, "--auth-code-file",
            self.secret_file("c", self.mint_code(client_id=APP)), "--redirect-uri", REDIRECT,
            "--client-secret-file", self.secret_file("s", APP_SECRET))
        self.assertEqual(code, 0, err)
        theirs = self.adal_context().acquire_token_with_authorization_code(
            self.mint_code(client_id=APP), REDIRECT, RESOURCE, APP, APP_SECRET)
        self.assert_same_dict(ours, theirs)

    def test_authorization_code_errors_like_adal(self):
        used = self.mint_code()
        self.assertEqual(self.cli(WEB, "--auth-code-file", self.secret_file("c", used),
                                  "--redirect-uri", REDIRECT)[0], 0)
        code, ours, err = self.cli(WEB, "--auth-code-file", self.secret_file("c2", used),
                                   "--redirect-uri", REDIRECT)
        self.assertEqual(code, 1)
        with self.assertRaises(adal.AdalError) as caught:
            self.adal_context().acquire_token_with_authorization_code(used, REDIRECT,
                                                                      RESOURCE, WEB)
        self.assertEqual(ours["error_codes"], caught.exception.error_response["error_codes"])
        self.assertIn("Get Token request returned http error: 400 and server response: ",
                      message_line(err))

    # -- refresh token ---------------------------------------------------------------
    def test_refresh_token_file(self):
        first = self.adal_context().acquire_token_with_authorization_code(
            self.mint_code(), REDIRECT, RESOURCE, WEB)
        code, ours, err = self.cli(WEB, "--refresh-token-file",
                                   self.secret_file("rt", first["refreshToken"]))
        self.assertEqual(code, 0, err)
        theirs = self.adal_context().acquire_token_with_refresh_token(
            ours["refreshToken"], WEB, RESOURCE)
        self.assert_same_dict(ours, theirs)

    # -- usage -----------------------------------------------------------------------
    def test_usage_errors(self):
        for args, text in (
                (["--thumbprint", "ab"], "--thumbprint needs --certificate"),
                (["--auth-code-file", "-"], "--auth-code-file needs --redirect-uri"),
                (["--code-verifier-file", "-"], "--code-verifier-file needs --auth-code-file"),
                (["--client-secret-file", "-", "--refresh-token-file", "-"],
                 "only one option may read stdin"),
                (["--client-secret-file", str(self.world.tmp / "missing")], "missing")):
            code, _, err = self.cli(APP, *args, input="")
            self.assertEqual(code, 2, (args, err))
            self.assertIn(text, err)


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
