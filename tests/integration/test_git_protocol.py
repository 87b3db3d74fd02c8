#!/usr/bin/python3
"""git-credential-aadcred speaks git's credential protocol (SPEC §5).

Real `git credential fill|approve|reject` with the helper configured, stdout compared byte
for byte like git's t/lib-credential.sh, against the local authority and a private
gnome-keyring; then the helper alone, fed hostile input directly.
"""
import os
import random
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

import harness  # noqa: E402
from connect_proxy import closed_port_url  # noqa: E402

HELPER_MESSAGE = "git-credential-aadcred: "
ADO_AUTHORITY = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47"


def scrub_git_tls_environment(world):
    """git's own TLS variables override http.<url>.sslCAInfo; harness keeps them (told the
    lead), so drop them here: git must trust exactly the world's CA."""
    for name in ("GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "GIT_SSL_NO_VERIFY", "GIT_SSL_CERT",
                 "GIT_SSL_KEY", "GIT_HTTP_PROXY_AUTHMETHOD", "GIT_PROXY_SSL_CAINFO"):
        world.env.pop(name, None)


class GitProtocolTest(harness.WorldTestCase):
    world_options = {"keyring": True, "git": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        scrub_git_tls_environment(cls.world)
        w = cls.world
        w.configure_helper()
        cls.url = w.git_server.url
        cls.host = cls.url.split("://", 1)[1]
        cls.helper = harness.binary("git-credential-aadcred")
        # Plain http: one non-loopback host and one loopback host, both fully configured,
        # so a refusal can only come from the http rule.
        for prefix, allow in (("http://git.example.test", "true"),
                              ("http://127.0.0.1:9418", "false"),
                              ("http://localhost:9419", "true")):
            w.git_config_global(
                (f"credential.{prefix}.aadcredAuthority", w.authority_url),
                (f"credential.{prefix}.aadcredClientId", harness.CLIENT_ID),
                (f"credential.{prefix}.aadcredResource", harness.RESOURCE),
                (f"credential.{prefix}.aadcredCaFile", w.ca),
                (f"credential.{prefix}.aadcredAllowHttp", allow))
        # Azure DevOps needs no settings but a store: keep its tokens in memory.
        w.git_config_global(("credential.https://dev.azure.com.aadcredStore", "memory"))

    def setUp(self):
        super().setUp()
        # Tokens issued before the authority's reset are unknown to it: start each test
        # with an empty keyring as well.
        self.world.secret_tool("clear", "xdg:schema", "org.aadcred.Token")
        # Should a broken helper start a device flow, it finishes at once instead of hanging.
        self.world.behaviour(approve_after_polls=1)

    # -- helpers -----------------------------------------------------------------------
    def description(self, *extra):
        return "".join(f"{line}\n" for line in ("protocol=https", f"host={self.host}", *extra))

    def git_credential(self, action, text, env=None):
        return self.world.run(["git", "credential", action], input=text + "\n", env=env)

    def helper_raw(self, action, data, env=None, timeout=120):
        """Runs the helper alone with bytes on stdin; returns CompletedProcess (bytes)."""
        full_env = dict(self.world.env)
        full_env.update(env or {})
        result = subprocess.run(harness.wrapped([self.helper, action]), input=data, capture_output=True,
                                env=full_env, timeout=timeout)
        self.world.logs.sink([self.helper, action]).append(
            result.stderr.decode("utf-8", "replace"))
        return result

    def fill(self, *extra, env=None):
        """`git credential fill`; asserts its shape and returns (token, stderr)."""
        result = self.git_credential("fill", self.description(*extra), env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        m = re.search(r"^password=(.*)$", result.stdout, re.M)
        self.assertIsNotNone(m, result.stdout)
        token = m.group(1)
        user = next((e.split("=", 1)[1] for e in extra if e.startswith("username=")),
                    harness.ALICE)
        self.assertEqual(result.stdout, self.description() + f"username={user}\n"
                         f"password={token}\n" + self._expiry_line(result.stdout))
        return token, result.stderr

    @staticmethod
    def _expiry_line(stdout):
        # git >= 2.41 passes password_expiry_utc on; 2.39 drops attributes it does not know.
        m = re.search(r"^password_expiry_utc=\d+\n", stdout, re.M)
        return m.group(0) if m else ""

    def device_requests(self):
        return self.world.requests("/oauth2/devicecode")

    def assert_no_authority_request(self):
        self.assertEqual(self.world.requests(), [])

    def assert_refused(self, result, exit_code):
        self.assertEqual(result.stdout, b"")
        self.assertEqual(result.returncode, exit_code, result.stderr)
        self.assert_no_authority_request()

    # -- git credential fill / approve / reject ----------------------------------------------
    def test_fill_signs_in_once_then_is_silent(self):
        token, stderr = self.fill()
        self.assertEqual(len(self.device_requests()), 1)
        info = self.world.introspect(token)
        self.assertTrue(info["active"])
        self.assertEqual(info["upn"], harness.ALICE)
        # The person saw the authority's page and a code the authority issued.
        self.assertIn(f"{self.world.authority_base}/device", stderr)
        code = re.search(r"enter the code (\w+)", stderr).group(1)
        self.assertEqual(self.world.control(f"device/{code}")["user_code"], code)
        self.assertTrue(stderr.startswith(f"{HELPER_MESSAGE}sign-in needed for {self.url}\n"),
                        stderr)

        before = len(self.world.requests())
        again, stderr = self.fill()
        self.assertEqual(again, token)
        self.assertEqual(stderr, "")
        self.assertEqual(len(self.world.requests()), before)

    def test_approve_stores_nothing_and_prints_nothing(self):
        token, _ = self.fill()
        before = len(self.world.requests())
        result = self.git_credential(
            "approve", self.description(f"username={harness.ALICE}", f"password={token}"))
        self.assertEqual((result.returncode, result.stdout, result.stderr), (0, "", ""))
        self.assertEqual(len(self.world.requests()), before)
        self.assertEqual(self.fill()[0], token)

    def test_reject_drops_the_access_token_and_fill_refreshes(self):
        token, _ = self.fill()
        result = self.git_credential(
            "reject", self.description(f"username={harness.ALICE}", f"password={token}"))
        self.assertEqual((result.returncode, result.stdout), (0, ""), result.stderr)
        new, stderr = self.fill()
        self.assertNotEqual(new, token)
        self.assertTrue(self.world.introspect(new)["active"])
        self.assertNotIn("enter the code", stderr)
        self.assertEqual(len(self.world.token_requests("refresh_token")), 1)
        self.assertEqual(len(self.device_requests()), 1)

    def test_reject_of_another_password_keeps_our_token(self):
        token, _ = self.fill()
        before = len(self.world.requests())
        self.git_credential("reject", self.description(f"username={harness.ALICE}",
                                                       "password=somebody-elses-password"))
        self.assertEqual(self.fill()[0], token)
        self.assertEqual(len(self.world.requests()), before)

    def test_reply_carries_the_expiry_and_a_token_valid_ten_minutes(self):
        self.fill()
        result = self.helper_raw("get", self.description().encode() + b"\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        text = result.stdout.decode()
        token = re.search(r"^password=(.*)$", text, re.M).group(1)
        exp = self.world.introspect(token)["exp"]
        self.assertEqual(text, f"username={harness.ALICE}\npassword={token}\n"
                               f"password_expiry_utc={exp}\n")
        self.assertGreaterEqual(exp - time.time(), 600)

    def test_token_expiring_within_ten_minutes_is_refreshed(self):
        # 450 s: past ADAL's own 5-minute expiry buffer, inside git's 10-minute window.
        self.world.behaviour(access_token_lifetime=450)
        token, _ = self.fill()
        self.world.behaviour(access_token_lifetime=3599)
        new, stderr = self.fill()
        self.assertNotEqual(new, token)
        self.assertNotIn("enter the code", stderr)
        self.assertEqual(len(self.world.token_requests("refresh_token")), 1)
        self.assertGreaterEqual(self.world.introspect(new)["exp"] - time.time(), 600)

    def test_no_prompt_with_empty_store_prints_nothing(self):
        env = {"GIT_TERMINAL_PROMPT": "0"}
        result = self.git_credential("fill", self.description(), env=env)
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(result.stdout, "")
        self.assertIn(f"{HELPER_MESSAGE}a sign-in to {self.world.authority_url} is needed",
                      result.stderr)
        self.assertIn("GIT_TERMINAL_PROMPT=0", result.stderr)
        self.assertEqual(self.device_requests(), [])
        direct = self.helper_raw("get", self.description().encode() + b"\n", env=env)
        self.assertEqual((direct.returncode, direct.stdout), (3, b""))
        self.assertEqual(self.device_requests(), [])

    def test_no_prompt_still_answers_from_the_store(self):
        token, _ = self.fill()
        again, stderr = self.fill(env={"GIT_TERMINAL_PROMPT": "0"})
        self.assertEqual((again, stderr), (token, ""))

    def test_authtype_capability_gets_a_bearer_credential(self):
        token, _ = self.fill()
        result = self.helper_raw(
            "get", ("capability[]=authtype\n" + self.description() + "\n").encode())
        self.assertEqual(result.returncode, 0, result.stderr)
        exp = self.world.introspect(token)["exp"]
        self.assertEqual(result.stdout.decode(),
                         "capability[]=authtype\nauthtype=Bearer\n"
                         f"credential={token}\nephemeral=1\npassword_expiry_utc={exp}\n")
        self.assertNotIn(b"oauth_refresh_token", result.stdout)

    def test_several_accounts_are_never_guessed(self):
        alice, _ = self.fill(f"username={harness.ALICE}")
        self.world.behaviour(user=harness.BOB)
        bob, _ = self.fill(f"username={harness.BOB}")
        self.assertEqual(self.world.introspect(bob)["upn"], harness.BOB)
        before = len(self.world.requests())
        result = self.helper_raw("get", self.description().encode() + b"\n",
                                 env={"GIT_TERMINAL_PROMPT": "0"})
        self.assertEqual(result.stdout, b"")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(b"ambiguous", result.stderr)
        self.assertIn(f"{HELPER_MESSAGE}name the account: git config credential.{self.url}"
                      ".username".encode(), result.stderr)
        self.assertEqual(self.fill(f"username={harness.ALICE}")[0], alice)
        self.assertEqual(self.fill(f"username={harness.BOB}")[0], bob)
        self.assertEqual(len(self.world.requests()), before)

    def test_log_level_shows_library_lines_without_tokens(self):
        result = self.helper_raw("get", self.description().encode() + b"\n",
                                 env={"AADCRED_LOG_LEVEL": "verbose"})
        self.assertEqual(result.returncode, 0, result.stderr)
        token = re.search(rb"^password=(.*)$", result.stdout, re.M).group(1)
        self.assertRegex(result.stderr, rb"(?m)^.*[0-9a-f-]{36} - TokenRequest:")
        self.assertNotIn(token, result.stderr)
        self.assertNotIn(b"eyJ", result.stderr)  # no JWT (access or id token) at all

    # -- issue 11: a failure one setting cures names the git setting --------------------
    def hinted_get(self, host, authority, *settings):
        """`get` for `host`, configured with `authority` and `settings` (no CA file unless
        given), prompting allowed: the sign-in fails before any code is shown."""
        prefix = f"https://{host}"
        self.world.git_config_global(
            (f"credential.{prefix}.aadcredAuthority", authority),
            (f"credential.{prefix}.aadcredClientId", harness.CLIENT_ID),
            (f"credential.{prefix}.aadcredResource", harness.RESOURCE),
            (f"credential.{prefix}.aadcredStore", "memory"),
            *((f"credential.{prefix}.{key}", value) for key, value in settings))
        result = self.helper_raw("get", f"protocol=https\nhost={host}\n\n".encode())
        self.assertEqual((result.returncode, result.stdout), (1, b""), result.stderr)
        self.assertEqual(self.device_requests(), [])
        return result.stderr.decode()

    def test_private_ca_names_aadcred_ca_file(self):
        stderr = self.hinted_get("private-ca.example.test", self.world.authority_url)
        self.assertIn("certificate", stderr.lower())
        self.assertIn(f"{HELPER_MESSAGE}the authority's certificate is signed by a CA that is "
                      "not trusted here: for a private CA, git config "
                      "credential.https://private-ca.example.test.aadcredCaFile", stderr)
        # With the CA given, the same host signs in: the hint named the cure.
        self.world.git_config_global(
            ("credential.https://private-ca.example.test.aadcredCaFile", self.world.ca))
        result = self.helper_raw("get", b"protocol=https\nhost=private-ca.example.test\n\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"password=", result.stdout)

    def test_unknown_authority_host_names_aadcred_validate_authority(self):
        unknown = "https://login.example.invalid/contoso"
        stderr = self.hinted_get("unknown-authority.example.test", unknown,
                                 ("aadcredCaFile", self.world.ca))
        self.assertIn("Instance Discovery request returned http error: 400", stderr)
        self.assertIn(f"{HELPER_MESSAGE}instance discovery does not know the authority's "
                      "host: if you trust that host, git config credential."
                      "https://unknown-authority.example.test.aadcredValidateAuthority false",
                      stderr)
        self.assertNotIn("aadcredCaFile", stderr)
        # Validation off: the host is asked for itself (it does not exist): no such hint.
        off = self.hinted_get("unknown-authority.example.test", unknown,
                              ("aadcredCaFile", self.world.ca),
                              ("aadcredValidateAuthority", "false"))
        self.assertNotIn("aadcredValidateAuthority", off)

    # -- the helper alone: input hardening -------------------------------------------
    def test_carriage_return_inside_a_value_is_refused(self):
        result = self.helper_raw("get", f"protocol=https\nhost={self.host}\rx\n\n".encode())
        self.assert_refused(result, 2)
        self.assertIn(b"carriage return", result.stderr)

    def test_crlf_line_endings_are_accepted(self):
        self.fill()
        result = self.helper_raw("get", f"protocol=https\r\nhost={self.host}\r\n\r\n".encode())
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.startswith(f"username={harness.ALICE}\n".encode()))

    def test_nul_byte_is_refused(self):
        result = self.helper_raw("get", f"protocol=https\nhost={self.host}\0\n\n".encode())
        self.assert_refused(result, 2)
        self.assertIn(b"NUL", result.stderr)

    def test_missing_host_or_protocol_is_no_match(self):
        for data in (b"protocol=https\n\n", f"host={self.host}\n\n".encode(),
                     f"protocol=\nhost={self.host}\n\n".encode(), b"protocol=https\nhost=\n\n"):
            with self.subTest(data=data):
                result = self.helper_raw("get", data)
                self.assertEqual((result.returncode, result.stdout, result.stderr),
                                 (0, b"", b""))
        self.assert_no_authority_request()

    def test_overlong_line_is_refused(self):
        data = self.description().encode() + b"path=" + b"a" * 70000 + b"\n\n"
        self.assert_refused(self.helper_raw("get", data), 2)

    def test_huge_input_is_refused(self):
        data = self.description().encode() + b"x=" + b"y" * 60000 + b"\n"
        self.assert_refused(self.helper_raw("get", data * 40), 2)

    def test_a_mebibyte_of_distinct_keys_is_parsed_in_linear_time(self):
        # Unknown keys are ignored (git adds attributes over time), so the answer is the
        # token. A quadratic duplicate check took 26 s here; 10 s (60 under a valgrind
        # wrapper) is far above what a linear parse needs on any machine.
        token, _ = self.fill()
        head = self.description().encode()
        lines, size, i = [], len(head) + 1, 0
        while True:
            line = b"k%d=v\n" % i
            if size + len(line) > 1024 * 1024:
                break
            lines.append(line)
            size += len(line)
            i += 1
        data = head + b"".join(lines) + b"\n"
        self.assertEqual(len(data), size)
        result = self.helper_raw("get", data, timeout=60 if harness.WRAPPER else 10)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.decode().split("\n")[:2],
                         [f"username={harness.ALICE}", f"password={token}"])

    def test_repeated_host_is_refused(self):
        data = f"protocol=https\nhost={self.host}\nhost=evil.example\n\n".encode()
        self.assert_refused(self.helper_raw("get", data), 2)

    def test_plain_http_is_refused_off_loopback_and_unless_allowed(self):
        for host in ("git.example.test", "127.0.0.1:9418"):
            with self.subTest(host=host):
                result = self.helper_raw("get", f"protocol=http\nhost={host}\n\n".encode())
                self.assert_refused(result, 0)
                self.assertIn(b"refusing to send a token over plain http", result.stderr)

    def test_plain_http_to_loopback_when_allowed(self):
        result = self.helper_raw("get", b"protocol=http\nhost=localhost:9419\n\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        token = re.search(rb"^password=(.*)$", result.stdout, re.M).group(1).decode()
        self.assertTrue(self.world.introspect(token)["active"])

    def test_unconfigured_host_and_other_protocols_are_no_match(self):
        for data in (b"protocol=https\nhost=unconfigured.example\n\n",
                     f"protocol=ssh\nhost={self.host}\n\n".encode(),
                     f"protocol=smtp\nhost={self.host}\n\n".encode()):
            with self.subTest(data=data):
                result = self.helper_raw("get", data)
                self.assertEqual((result.returncode, result.stdout, result.stderr),
                                 (0, b"", b""))
        self.assert_no_authority_request()

    def test_unknown_action_is_ignored(self):
        for action in ("frobnicate", "GET", ""):
            with self.subTest(action=action):
                result = self.helper_raw(action, self.description().encode() + b"\n")
                self.assertEqual((result.returncode, result.stdout), (0, b""))
        self.assert_no_authority_request()

    def test_store_does_nothing(self):
        data = self.description(f"username={harness.ALICE}", "password=x").encode() + b"\n"
        result = self.helper_raw("store", data)
        self.assertEqual((result.returncode, result.stdout, result.stderr), (0, b"", b""))
        self.assert_no_authority_request()

    def test_garbage_input_does_not_crash(self):
        rng = random.Random(20240611)
        samples = [bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 3000)))
                   for _ in range(25)]
        samples += [b"=\n", b"[]=x\n", b"capability[]=\n", b"\n\n\n", b"\r\n", b"\r",
                    b"protocol=https\nhost=[::1\n", b"protocol=https\nhost=a b\n",
                    b"protocol=https\nhost=h:99999999\n", b"protocol=https\nhost=h@evil\n"]
        for data in samples:
            for action in ("get", "erase", "store"):
                result = self.helper_raw(action, data, env={"GIT_TERMINAL_PROMPT": "0"})
                self.assertLess(result.returncode, 128, (action, data, result.stderr))
                self.assertGreaterEqual(result.returncode, 0, (action, data))
                self.assertEqual(result.stdout, b"", (action, data))
        self.assert_no_authority_request()

    # -- Azure DevOps built-ins ----------------------------------------------------------
    def test_azure_devops_tenant_comes_from_the_bearer_challenge(self):
        challenge = f"wwwauth[]=Bearer authorization_uri={ADO_AUTHORITY}\n"
        data = ("protocol=https\nhost=dev.azure.com\nusername=myorg\n"
                'wwwauth[]=Basic realm="https://dev.azure.com/"\n' + challenge + "\n").encode()
        result = self.helper_raw("get", data, env={"GIT_TERMINAL_PROMPT": "0"})
        self.assertEqual((result.returncode, result.stdout), (3, b""))
        self.assertIn(f"a sign-in to {ADO_AUTHORITY} is needed".encode(), result.stderr)

    def test_azure_devops_ignores_challenges_naming_other_hosts(self):
        data = (b"protocol=https\nhost=contoso.visualstudio.com\n"
                b'wwwauth[]=Bearer authorization_uri="https://evil.example/tenant"\n\n')
        # The tenant probe that follows must fail here, not reach the real server.
        result = self.helper_raw("get", data, env={"GIT_TERMINAL_PROMPT": "0",
                                                   "https_proxy": closed_port_url()})
        self.assertEqual((result.returncode, result.stdout), (3, b""))
        self.assertIn(b"https://login.microsoftonline.com/organizations is needed",
                      result.stderr)


if __name__ == "__main__":
    harness.main()  # exit 77 (SKIP) when every test was skipped
