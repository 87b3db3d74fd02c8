#!/usr/bin/python3
"""`aadcred` against the local authority: the device code flow and everything that can go
wrong in it, the user-code/device-token pair, usage and configuration errors (SPEC §4).

Tokens go to the in-memory store (`--store memory`) so every run starts signed out; the
Secret Service has its own file, test_cli_store.py.
"""
import json
import os
import re
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (ALICE, AUTHORITY_DIR, CLIENT_ID, PYTHON, RESOURCE, WorldTestCase,  # noqa: E402
                     _Server, binary, skip_unless)

GRAPH = "https://graph.microsoft.com/"
CODE_LINE = re.compile(r"enter the code (\S+)")


class CliTestCase(WorldTestCase):
    world_options = {"keyring": False}

    def token(self, *args, **kwargs):
        return self.world.aadcred("--store", "memory", "token", "--resource", RESOURCE,
                                  *args, **kwargs)

    def spawn_token(self, *args):
        argv = [binary("aadcred"), "--authority", self.world.authority_url, "--client-id",
                CLIENT_ID, "--ca-file", self.world.ca, "--store", "memory", "token",
                "--resource", RESOURCE, *args]
        return self.world.spawn(argv)

    def wait_for_code(self, proc):
        """Reads the child's stderr until the sign-in instructions; returns the user code."""
        seen = []
        for line in proc.stderr:
            seen.append(line)
            match = CODE_LINE.search(line)
            if match:
                return match.group(1).rstrip(".")
        proc.kill()
        proc.wait()
        self.fail("no device code shown; stderr was: %r" % "".join(seen))

    def assert_active(self, access_token, upn=ALICE):
        info = self.world.introspect(access_token)
        self.assertTrue(info["active"], info)
        self.assertEqual(info["upn"], upn)

    def assert_token_only(self, result):
        """stdout is the access token and one newline, nothing else (SPEC §4)."""
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.endswith("\n"))
        token = result.stdout[:-1]
        self.assertNotIn("\n", token)
        self.assert_active(token)
        return token

    def device_polls(self):
        return [r for r in self.world.token_requests()
                if r["form"].get("grant_type") in
                ("device_code", "urn:ietf:params:oauth:grant-type:device_code")]


class DeviceFlowTest(CliTestCase):
    def test_pending_then_success(self):
        self.world.behaviour(approve_after_polls=2, user=ALICE)
        result = self.token()
        self.assert_token_only(result)
        code = CODE_LINE.search(result.stderr)
        self.assertIsNotNone(code, result.stderr)
        self.assertIn(self.world.authority_base, result.stderr)  # the verification URL
        statuses = [r["status"] for r in self.device_polls()]
        self.assertEqual(statuses, [400, 400, 200])  # pending twice, then the token

    def test_json_prints_the_token_object(self):
        self.world.behaviour(approve_after_polls=0)
        result = self.token("--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        token = json.loads(result.stdout)
        self.assertEqual(token["resource"], RESOURCE)
        self.assertEqual(token["userId"], ALICE)
        self.assertEqual(token["_clientId"], CLIENT_ID)
        self.assertIsInstance(token["expiresIn"], int)
        self.assertRegex(token["expiresOn"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")
        self.assert_active(token["accessToken"])

    def test_slow_down_keeps_polling(self):
        self.world.behaviour(approve_after_polls=1)
        self.world.faults({"endpoint": "token", "kind": "slow_down"})
        result = self.token()
        self.assert_token_only(result)
        polls = self.device_polls()
        errors = [p["status"] for p in polls[:-1]]
        self.assertEqual(polls[-1]["status"], 200)
        self.assertEqual(polls[0]["status"], 400)  # the slow_down answer
        self.assertGreaterEqual(len(polls), 3, "polling stopped at slow_down")
        self.assertTrue(all(s == 400 for s in errors), errors)

    def test_v2_scopes(self):
        self.world.behaviour(approve_after_polls=0)
        result = self.world.aadcred("--store", "memory", "--api", "v2", "--scope",
                                    GRAPH + "User.Read", "--scope", "offline_access",
                                    "token")
        self.assert_token_only(result)
        [request] = self.world.requests("/devicecode")
        self.assertTrue(request["path"].endswith("/oauth2/v2.0/devicecode"), request["path"])
        sent = request["form"]["scope"].split()  # the library may add openid, profile
        self.assertEqual(sent[:2], [GRAPH + "User.Read", "offline_access"])

    def test_verbose_log_goes_to_stderr_without_tokens(self):
        self.world.behaviour(approve_after_polls=0)
        result = self.token("--log-level", "verbose", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        token = json.loads(result.stdout)  # stdout holds the JSON and nothing else
        log_lines = [line for line in result.stderr.splitlines() if " - " in line]
        self.assertTrue(log_lines, result.stderr)
        self.assertNotIn(token["accessToken"], result.stderr)
        self.assertNotIn(token["refreshToken"], result.stderr)

    def test_pii_and_verbose_logs_hold_no_secret_the_authority_issued(self):
        self.world.behaviour(approve_after_polls=1)
        result = self.token("--log-level", "verbose", "--log-pii", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("VERBOSE", result.stderr)
        issued = self.world.control("issued")
        device_codes = [r["form"]["code"] for r in self.device_polls() if "code" in r["form"]]
        self.assertTrue(device_codes and set(device_codes) <= set(issued), issued)
        self.assertEqual(self.world.secret_leaks(), [])  # no token, no device code
        # The check itself finds a secret that does reach a log.
        self.world.logs.sink(["aadcred", "planted"]).append("x " + issued[0] + " y\n")
        self.assertEqual(len(self.world.secret_leaks()), 1)

    def test_unwritable_stdout_fails(self):
        self.world.behaviour(approve_after_polls=0)
        argv = [binary("aadcred"), "--authority", self.world.authority_url, "--client-id",
                CLIENT_ID, "--ca-file", self.world.ca, "--store", "memory", "token",
                "--resource", RESOURCE]
        with open("/dev/full", "w") as full:
            proc = subprocess.run(argv, stdout=full, stderr=subprocess.PIPE, text=True,
                                  env=self.world.env, timeout=120)
        self.world.logs.sink(argv).append(proc.stderr)
        self.assertEqual(proc.returncode, 1)
        self.assertIn("cannot write to stdout", proc.stderr)

    def test_qr_code_of_the_url_on_stderr(self):
        skip_unless("built:qrencode")
        self.world.behaviour(approve_after_polls=0)
        result = self.token("--qr")
        self.assert_token_only(result)
        rows = [line for line in result.stderr.splitlines() if "\u2588" in line]
        self.assertGreaterEqual(len(rows), 10, result.stderr)  # a 21+ module code, 2 per row
        self.assertEqual(len(set(len(r) for r in rows)), 1)  # a square, not noise

    def test_declined(self):
        self.world.behaviour(decline=True)
        result = self.token()
        self.assertEqual(result.returncode, 1)
        self.assertIn("authorization_declined", result.stderr)
        self.assertEqual(result.stdout, "")

    def test_declined_json_gives_the_error_object(self):
        self.world.behaviour(decline=True)
        result = self.token("--json")
        self.assertEqual(result.returncode, 1)
        error = json.loads(result.stdout)
        self.assertEqual(error["error"], "authorization_declined")
        self.assertEqual(error["error_response"]["error"], "authorization_declined")
        self.assertIn("authorization_declined", result.stderr)

    def test_expired(self):
        proc = self.spawn_token()
        code = self.wait_for_code(proc)
        self.world.control(f"device/{code}/expire", {})
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 1, err)
        self.assertEqual(out, "")
        self.assertIn("expired", err.lower())

    def test_ctrl_c_cancels_promptly(self):
        proc = self.spawn_token()
        self.wait_for_code(proc)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)  # raises if the poller sleeps on
        out, err = proc.communicate(timeout=10)
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(out, "")
        self.assertIn("cancelled", err)

    def test_transient_503_then_success(self):
        self.world.behaviour(approve_after_polls=1)
        self.world.faults({"endpoint": "token", "kind": "status", "status": 503, "count": 2})
        result = self.token()
        self.assert_token_only(result)
        statuses = [r["status"] for r in self.device_polls()]
        self.assertEqual(statuses[:2], [503, 503])
        self.assertEqual(statuses[-1], 200)

    def test_malformed_reply(self):
        self.world.faults({"endpoint": "devicecode", "kind": "malformed",
                           "body": "{\"user_code\": \"AB"})
        result = self.token()
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        self.assertIn("json", result.stderr.lower())
        self.assertNotIn("internal error", result.stderr)

    def test_malformed_poll_reply(self):
        self.world.faults({"endpoint": "token", "kind": "malformed", "status": 200})
        result = self.token()
        self.assertEqual(result.returncode, 1)
        self.assertIn("json", result.stderr.lower())

    def test_oversized_reply(self):
        self.world.faults({"endpoint": "devicecode", "kind": "huge", "size": 50_000_000})
        result = self.token(timeout=60)
        self.assertEqual(result.returncode, 1)
        self.assertIn("too large", result.stderr.lower())

    def test_wrong_ca_is_refused(self):
        result = self.token("--ca-file", self.world.other_ca)
        self.assertEqual(result.returncode, 1)
        self.assertIn("certificate", result.stderr.lower())
        self.assertEqual(self.world.requests(), [])  # nothing reached the authority

    def test_server_text_is_sanitised(self):
        self.world.faults({"endpoint": "devicecode", "kind": "json", "body": {
            "user_code": "ESC-CODE", "device_code": "dc-1", "expires_in": "900",
            "interval": "1", "verification_url": "https://example.test/device\x1b]2;owned\x07",
            "message": "Sign in \x1b[2J\x1b[31mnow\r\n"}})
        self.world.faults({"endpoint": "token", "kind": "json", "status": 400,
                           "body": {"error": "authorization_declined\x1b[2J"}})
        result = self.token()
        self.assertEqual(result.returncode, 1)
        self.assertNotIn("\x1b", result.stderr)
        self.assertNotIn("\x07", result.stderr)
        self.assertIn("ESC-CODE", result.stderr)


class UserCodeTest(CliTestCase):
    def test_user_code_then_device_token(self):
        result = self.world.aadcred("user-code", "--resource", RESOURCE)
        self.assertEqual(result.returncode, 0, result.stderr)
        info = json.loads(result.stdout)
        for key in ("userCode", "deviceCode", "verificationUrl", "message", "correlationId"):
            self.assertIsInstance(info[key], str, key)
        self.assertIsInstance(info["expiresIn"], int)
        self.assertIsInstance(info["interval"], int)
        self.assertEqual(self.world.pending_codes(), [info["userCode"]])

        self.world.control(f"device/{info['userCode']}/approve", {"user": ALICE})
        result = self.world.aadcred("device-token", "--resource", RESOURCE,
                                    "--user-code-info", "-", input=result.stdout)
        self.assert_token_only(result)

    def test_device_token_reads_adal_snake_case_from_a_file(self):
        result = self.world.aadcred("user-code", "--resource", RESOURCE)
        info = json.loads(result.stdout)
        snake = {"user_code": info["userCode"], "device_code": info["deviceCode"],
                 "verification_url": info["verificationUrl"], "expires_in": info["expiresIn"],
                 "interval": info["interval"], "message": info["message"]}
        path = self.world.tmp / "code.json"
        path.write_text(json.dumps(snake))
        self.world.behaviour(approve_after_polls=0)
        self.world.control(f"device/{info['userCode']}/approve", {"user": ALICE})
        result = self.world.aadcred("device-token", "--resource", RESOURCE, "--json",
                                    "--user-code-info", str(path))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assert_active(json.loads(result.stdout)["accessToken"])

    def test_device_token_ctrl_c_cancels_promptly(self):
        result = self.world.aadcred("user-code", "--resource", RESOURCE)
        self.assertEqual(result.returncode, 0, result.stderr)
        argv = [binary("aadcred"), "--authority", self.world.authority_url, "--client-id",
                CLIENT_ID, "--ca-file", self.world.ca, "device-token", "--resource", RESOURCE,
                "--user-code-info", "-"]
        proc = self.world.spawn(argv)
        proc.stdin.write(result.stdout)
        proc.stdin.close()
        self.assertEqual(self.wait_for_code(proc), json.loads(result.stdout)["userCode"])
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)  # raises if the cancel was lost
        out, err = proc.stdout.read(), proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(out, "")
        self.assertIn("cancelled", err)

    def test_device_token_rejects_bad_input(self):
        for text in ("", "not json", "{}", "[1,2]", "{\"user_code\": 5}", "x" * 100_000):
            with self.subTest(text=text[:20]):
                result = self.world.aadcred("device-token", "--resource", RESOURCE,
                                            "--user-code-info", "-", input=text)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertTrue(result.stderr.startswith("aadcred: "), result.stderr)
        self.assertEqual(self.world.requests(), [])

    def test_no_prompt_with_empty_store(self):
        result = self.token("--no-prompt")
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("--no-prompt", result.stderr)
        self.assertEqual(self.world.requests("/devicecode"), [])


class UsageTest(CliTestCase):
    def assert_usage_error(self, *args, env=None, message=None):
        result = self.world.aadcred(*args, env=env)
        self.assertEqual(result.returncode, 2, (args, result.stderr))
        self.assertEqual(result.stdout, "")
        self.assertTrue(result.stderr.startswith("aadcred: "), result.stderr)
        if message:
            self.assertIn(message, result.stderr)
        return result

    def test_usage_errors(self):
        cases = [
            ((), "no command"),
            (("frobnicate",), "unknown command"),
            (("token", "--bogus"), "unknown option '--bogus'"),
            (("token", "--resource"), "needs a value"),
            (("token", "--resource", RESOURCE, "--json=yes"), "takes no value"),
            (("token", "--resource", RESOURCE, "extra"), "unexpected argument"),
            (("list", "--no-prompt"), "does not apply to 'list'"),
            (("token", "--resource", RESOURCE, "--timeout", "soon"), "--timeout: invalid"),
            (("token", "--resource", RESOURCE, "--api", "v3"), "invalid api"),
            (("token", "--resource", RESOURCE, "--store", "floppy"), "invalid store"),
            (("token",), "no resource given"),
            (("token", "--api", "v2", "--resource", RESOURCE), "no scope (--api v2 and oidc ask for scopes) given"),
            (("device-token", "--resource", RESOURCE), "--user-code-info"),
            (("logout",), "--user UPN or --all"),
            (("logout", "--all", "--user", ALICE), "not both"),
            (("token", "--resource", RESOURCE, "--thumbprint", "ab"),
             "--thumbprint needs --certificate"),  # issue 3: the secret flows work
            (("cache", "export", "a", "b"), "unexpected argument"),  # issue 3: cache works
            (("cache", "shred"), "unknown cache action"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                result = self.assert_usage_error(*args, message=message)
                if "invalid" not in message and "given" not in message:
                    self.assertIn("--help", result.stderr)  # the hint
        self.assertEqual(self.world.requests(), [])

    def test_help_and_version(self):
        for args in (("--help",), ("token", "--help"), ("help", "logout"), ("--version",)):
            with self.subTest(args=args):
                result = self.world.run([binary("aadcred"), *args])
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertTrue(result.stdout)
                self.assertEqual(result.stderr, "")

    def test_missing_authority(self):
        result = self.world.run([binary("aadcred"), "token", "--resource", RESOURCE])
        self.assertEqual(result.returncode, 2)
        self.assertIn("no authority given", result.stderr)


class ConfigTest(CliTestCase):
    """Precedence: options > AADCRED_* > config file ([profile] over [default]) > defaults.
    What won is read from the `resource` the authority received."""

    def setUp(self):
        super().setUp()
        self.config = self.world.home / ".config" / "aadcred" / "config"
        self.config.parent.mkdir(parents=True, exist_ok=True)
        self.addCleanup(lambda: self.config.unlink(missing_ok=True))

    def sent_resource(self, *args, env=None):
        self.world.reset()
        result = self.world.aadcred(*args, "user-code", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return self.world.requests("/devicecode")[-1]["form"]["resource"]

    def test_precedence(self):
        self.config.write_text(
            "# test config\n[default]\nresource = https://default.example/\n"
            "timeout = 20\n\n; graph\n[profile graph]\nresource = \"%s\"\n" % GRAPH)
        self.assertEqual(self.sent_resource(), "https://default.example/")
        self.assertEqual(self.sent_resource("--profile", "graph"), GRAPH)
        self.assertEqual(self.sent_resource(env={"AADCRED_PROFILE": "graph"}), GRAPH)
        self.assertEqual(self.sent_resource(env={"AADCRED_PROFILE": "graph",
                                                 "AADCRED_RESOURCE": "https://env.example/"}),
                         "https://env.example/")
        self.assertEqual(self.sent_resource("--resource", "https://opt.example/",
                                            env={"AADCRED_RESOURCE": "https://env.example/"}),
                         "https://opt.example/")

    def test_settings_from_the_file_alone(self):
        self.config.write_text("[default]\nauthority = %s\nclient-id = %s\nca-file = %s\n"
                               "resource = %s\n" % (self.world.authority_url, CLIENT_ID,
                                                    self.world.ca, RESOURCE))
        result = self.world.run([binary("aadcred"), "user-code"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("userCode", json.loads(result.stdout))

    def test_config_errors_name_file_and_line(self):
        cases = [
            ("[default]\nresourse = x\n", ":2: unknown key 'resourse'"),
            ("[default]\nresource\n", ":2: expected 'key = value'"),
            ("resource = x\n", ":1: 'resource' before any"),
            ("[default]\n\n[work]\n", ":3: unknown section"),
            ("[default]\ntimeout = forever\n", ":2: invalid timeout"),
            ("[default]\nvalidate-authority = maybe\n", ":2: invalid validate-authority"),
        ]
        for text, message in cases:
            with self.subTest(text=text):
                self.config.write_text(text)
                result = self.world.aadcred("token", "--resource", RESOURCE, "--no-prompt")
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(str(self.config) + message, result.stderr)

    def test_unknown_profile(self):
        self.config.write_text("[default]\nresource = %s\n" % RESOURCE)
        result = self.world.aadcred("--profile", "nope", "token")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no [profile nope] section", result.stderr)

    def test_system_config_under_the_users(self):
        system = self.world.home / "etc-aadcred-config"
        self.addCleanup(lambda: system.unlink(missing_ok=True))
        system.write_text("[default]\nresource = https://admin.example/\n"
                          "[profile graph]\nresource = https://admin-graph.example/\n"
                          "[profile admin-only]\nresource = https://admin-only.example/\n")
        # The admin's default stands until the user's file says otherwise.
        self.assertEqual(self.sent_resource(), "https://admin.example/")
        self.assertEqual(self.sent_resource("--profile", "admin-only"),
                         "https://admin-only.example/")
        self.config.write_text("[profile graph]\nresource = \"%s\"\n" % GRAPH)
        self.assertEqual(self.sent_resource(), "https://admin.example/")
        self.assertEqual(self.sent_resource("--profile", "graph"), GRAPH)
        self.config.write_text("[default]\nresource = https://user.example/\n")
        self.assertEqual(self.sent_resource(), "https://user.example/")
        # A profile in neither file is still an error naming both.
        result = self.world.aadcred("--profile", "nope", "token")
        self.assertEqual(result.returncode, 2)
        self.assertIn("no [profile nope] section is in " + str(system), result.stderr)

    def test_bad_environment_is_named(self):
        result = self.world.aadcred("token", "--resource", RESOURCE,
                                    env={"AADCRED_TIMEOUT": "-1"})
        self.assertEqual(result.returncode, 2)
        self.assertIn("AADCRED_TIMEOUT: invalid timeout", result.stderr)


class SettingHintTest(CliTestCase):
    """Issue 11: a failure one setting cures says which: a private CA (--ca-file), an
    authority host instance discovery does not know (--no-validate-authority)."""

    CA_HINT = "pass its PEM file with --ca-file"
    INSTANCE_HINT = "pass --no-validate-authority"

    def bare_token(self, authority, *args, env=None):
        """`aadcred token` with only what is given here: no --ca-file unless in args."""
        return self.world.run([binary("aadcred"), "--authority", authority, "--client-id",
                               CLIENT_ID, "--store", "memory", "token", "--resource", RESOURCE,
                               *args], env=env)

    def test_private_ca_without_ca_file_names_the_option(self):
        # The harness clears SSL_CERT_FILE and CURL_CA_BUNDLE: the system's store is used,
        # which does not hold the test CA.
        result = self.bare_token(self.world.authority_url)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("certificate", result.stderr.lower())
        self.assertIn(self.CA_HINT, result.stderr)
        self.assertNotIn(self.INSTANCE_HINT, result.stderr)
        self.assertNotIn("tls_untrusted_ca", result.stderr)  # the hint stands in for it
        self.assertEqual(self.world.requests(), [])  # nothing reached the authority
        as_json = self.bare_token(self.world.authority_url, "--json")
        self.assertEqual(json.loads(as_json.stdout)["error"], "tls_untrusted_ca")

    def test_wrong_ca_file_names_the_option_too(self):
        result = self.token("--ca-file", self.world.other_ca)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn(self.CA_HINT, result.stderr)

    def test_a_wrong_host_name_is_no_ca_problem(self):
        # The right CA but a certificate for another name: no CA file cures that.
        impostor = harness_server(self.world, "wrong-host")
        try:
            result = self.bare_token(f"{impostor.url}/contoso", "--ca-file", self.world.ca,
                                     env={"AADCRED_INSTANCE_DISCOVERY_URL": impostor.url})
        finally:
            impostor.stop()
            impostor.proc.stdout.close()
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertRegex(result.stderr.lower(), "host name|hostname|subject name")
        self.assertNotIn(self.CA_HINT, result.stderr)

    def test_unknown_authority_host_names_no_validate_authority(self):
        # Instance discovery (the local authority, as AADCRED_INSTANCE_DISCOVERY_URL) knows
        # loopback hosts only; the authority's host itself is never contacted.
        unknown = "https://login.example.invalid/contoso"
        result = self.bare_token(unknown, "--ca-file", self.world.ca)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("Instance Discovery request returned http error: 400", result.stderr)
        self.assertIn(self.INSTANCE_HINT, result.stderr)
        self.assertNotIn(self.CA_HINT, result.stderr)
        self.assertEqual(len(self.world.requests("/common/discovery/instance")), 1)
        # Validation off: the host is asked for itself (and does not exist): no such hint.
        off = self.bare_token(unknown, "--ca-file", self.world.ca, "--no-validate-authority")
        self.assertEqual(off.returncode, 1, off.stderr)
        self.assertNotIn(self.INSTANCE_HINT, off.stderr)
        self.assertEqual(len(self.world.requests("/common/discovery/instance")), 1)


def harness_server(world, cert_name):
    """A second authority on its own port, serving the certificate `cert_name`.pem."""
    return _Server([PYTHON, str(AUTHORITY_DIR / "authority.py"), "--cert",
                    str(world.certs / f"{cert_name}.pem"), "--key",
                    str(world.certs / f"{cert_name}.key")],
                   world.env, world.tmp / f"{cert_name}-authority.log")


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
