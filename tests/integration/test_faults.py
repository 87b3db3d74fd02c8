#!/usr/bin/python3
"""Issue 5: headless operation and the fault matrix. Each fault checks what a user sees:
a clear message on stderr, the documented exit code (SPEC §4: 1 authentication failed,
3 interaction required) and a store left as it was.

Faults already covered by test_cli_device_flow.py (5xx, malformed JSON, 50 MB body, wrong
CA, slow_down, declined, expired) and test_cli_store.py (no D-Bus) are not repeated here.

Tokens go to the kernel keyring in a session keyring of this test's own (joined in setUp,
inherited by every aadcred it runs, AADCRED_KEYRING=session), so the keyrings of the
person running the tests are never touched. Where the kernel refuses keyctl (containers)
those tests are skipped with the reason.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (ALICE, AUTHORITY_DIR, BOB, CLIENT_ID, PYTHON, RESOURCE,  # noqa: E402
                     TENANT, WorldTestCase, _Server, binary, fresh_session_keyring)

CODE_LINE = re.compile(r"enter the code (\S+)")
FALLBACK_LINE = "using the kernel keyring"


class FaultTestCase(WorldTestCase):
    world_options = {"keyring": False}
    store = ("--store", "keyring")

    def setUp(self):
        super().setUp()
        why = fresh_session_keyring()
        if why:
            self.skipTest(why)
        self.world.env["AADCRED_KEYRING"] = "session"

    def aadcred(self, *args, **kwargs):
        return self.world.aadcred(*self.store, "--resource", RESOURCE, *args, **kwargs)

    def sign_in(self, user=ALICE, **behaviour):
        """A device code sign-in approved at the first poll; returns the token object."""
        self.world.behaviour(approve_after_polls=0, user=user, **behaviour)
        result = self.aadcred("token", "--json", "--user", user)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def listing(self):
        result = self.aadcred("list", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def assert_fails(self, result, code=1, *phrases):
        """The documented exit code, nothing on stdout, one of `phrases` on stderr, whose
        last line is the error (sign-in instructions or log lines may come before it)."""
        self.assertEqual(result.returncode, code, result.stderr)
        self.assertEqual(result.stdout, "")
        lines = result.stderr.splitlines()
        self.assertTrue(lines and lines[-1].startswith("aadcred: "), result.stderr)
        self.assertNotIn("internal error", result.stderr.lower())
        lowered = result.stderr.lower()
        self.assertTrue(any(p in lowered for p in phrases), (phrases, result.stderr))

    def bob_signs_in_under(self, *faults, args=(), **kwargs):
        """Alice is stored; Bob's device flow meets `faults`. Returns (result, before)."""
        self.sign_in()
        before = self.listing()
        self.world.behaviour(approve_after_polls=0, user=BOB)
        if faults:
            self.world.faults(*faults)
        result = self.aadcred("token", "--user", BOB, *args, **kwargs)
        self.assertEqual(self.listing(), before)  # nothing stored, nothing lost
        return result, before


class HeadlessTest(FaultTestCase):
    store = ("--store", "auto")

    def test_auto_without_secret_service_uses_the_kernel_keyring_and_says_so_once(self):
        self.assertNotIn("DBUS_SESSION_BUS_ADDRESS", self.world.env)
        self.world.behaviour(approve_after_polls=0, user=ALICE)
        first = self.aadcred("token")
        self.assertEqual(first.returncode, 0, first.stderr)
        notices = [line for line in first.stderr.splitlines() if FALLBACK_LINE in line]
        self.assertEqual(len(notices), 1, first.stderr)
        self.assertRegex(notices[0], r"^aadcred: no Secret Service \(.+\); using the kernel "
                                     r"keyring$")
        self.assertIn("enter the code", first.stderr)
        requests = len(self.world.requests())

        second = self.aadcred("token")
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertEqual(second.stderr, "")  # silent: no notice, no sign-in
        self.assertEqual(second.stdout, first.stdout)
        self.assertEqual(len(self.world.requests()), requests)

        [account] = self.listing()
        self.assertEqual(account["userId"], ALICE)
        # The entry is a kernel key only its owner can use, named by a hash, not the user.
        shown = subprocess.run(["keyctl", "show", "@s"], capture_output=True, text=True)
        if shown.returncode == 0:
            ours = [line for line in shown.stdout.splitlines() if "aadcred:" in line]
            self.assertEqual(len(ours), 1, shown.stdout)
            self.assertRegex(ours[0], r"--alswrv\s.*user: aadcred:[0-9a-f]{64}$")
            self.assertNotIn(ALICE, shown.stdout)

    def test_keyring_store_named_explicitly_says_nothing(self):
        self.world.behaviour(approve_after_polls=0, user=ALICE)
        result = self.world.aadcred("--store", "keyring", "--resource", RESOURCE, "token")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn(FALLBACK_LINE, result.stderr)


class NetworkFaultTest(FaultTestCase):
    def test_429_with_retry_after_while_polling_waits_and_goes_on(self):
        self.sign_in()
        self.world.behaviour(approve_after_polls=0, user=BOB)
        self.world.faults({"endpoint": "token", "kind": "status", "status": 429,
                           "headers": {"Retry-After": "3"},
                           "body": {"error": "temporarily_unavailable"}})
        result = self.aadcred("token", "--user", BOB)
        self.assertEqual(result.returncode, 0, result.stderr)
        polls = self.world.token_requests()[-2:]
        self.assertEqual([p["status"] for p in polls], [429, 200])
        # Retry-After (3 s) won over the 1 s polling interval.
        self.assertGreaterEqual(polls[1]["time"] - polls[0]["time"], 2.5)
        self.assertEqual(sorted(a["userId"] for a in self.listing()), [ALICE, BOB])

    def test_timeout_is_a_clear_error(self):
        started = time.monotonic()
        result, _ = self.bob_signs_in_under(
            {"endpoint": "devicecode", "kind": "delay", "seconds": 8}, args=("--timeout", "1"))
        self.assertLess(time.monotonic() - started, 30)
        self.assert_fails(result, 1, "timed out", "timeout")

    def test_connection_refused_is_a_clear_error(self):
        self.sign_in()
        before = self.listing()
        # A bound socket that never listens: connecting to it is refused at once.
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
            dead = f"https://127.0.0.1:{port}"
            started = time.monotonic()
            result = self.world.run(
                [binary("aadcred"), "--authority", f"{dead}/{TENANT}", "--client-id", CLIENT_ID,
                 "--ca-file", self.world.ca, *self.store, "--resource", RESOURCE, "token",
                 "--user", BOB], env={"AADCRED_INSTANCE_DISCOVERY_URL": dead})
        self.assertLess(time.monotonic() - started, 30)
        self.assert_fails(result, 1, "refused", "failed to connect", "couldn't connect")
        self.assertEqual(self.listing(), before)

    def test_hostname_mismatch_is_refused(self):
        self.sign_in()
        before = self.listing()
        certs = self.world.certs
        impostor = _Server([PYTHON, str(AUTHORITY_DIR / "authority.py"), "--cert",
                            str(certs / "wrong-host.pem"), "--key", str(certs / "wrong-host.key")],
                           self.world.env, self.world.tmp / "impostor.log")
        try:
            result = self.world.run(
                [binary("aadcred"), "--authority", f"{impostor.url}/{TENANT}", "--client-id",
                 CLIENT_ID, "--ca-file", self.world.ca, *self.store, "--resource", RESOURCE,
                 "token", "--user", BOB], env={"AADCRED_INSTANCE_DISCOVERY_URL": impostor.url})
        finally:
            impostor.stop()
            impostor.proc.stdout.close()
        self.assert_fails(result, 1, "host name", "hostname", "subject name")
        self.assertEqual(self.listing(), before)

    def test_truncated_body_is_a_clear_error(self):
        # Three times: curl itself retries once when a reused connection dies unanswered.
        result, _ = self.bob_signs_in_under({"endpoint": "devicecode", "kind": "close",
                                             "count": 3})
        self.assert_fails(result, 1, "connection", "network", "empty reply", "recv", "closed")


class ReplyFaultTest(FaultTestCase):
    def test_wrong_types_in_the_device_code_reply(self):
        result, _ = self.bob_signs_in_under({"endpoint": "devicecode", "kind": "json", "body": {
            "user_code": 12345, "device_code": ["dc"], "expires_in": "soon", "interval": "1",
            "verification_url": "https://example.test/device", "message": "hi"}})
        # ADAL's own words (python3-adal raises int()'s ValueError for these).
        self.assert_fails(result, 1, "user_code", "device_code", "expires_in", "json", "type",
                          "invalid literal")

    def test_missing_fields_in_the_device_code_reply(self):
        result, _ = self.bob_signs_in_under({"endpoint": "devicecode", "kind": "json",
                                             "body": {"message": "hi"}})
        self.assert_fails(result, 1, "user_code", "device_code", "missing", "json")

    def test_token_reply_without_an_access_token(self):
        result, _ = self.bob_signs_in_under({"endpoint": "token", "kind": "json", "status": 200,
                                             "body": {"token_type": "Bearer",
                                                      "expires_in": "3600"}})
        self.assert_fails(result, 1, "access_token", "accesstoken", "missing", "json")

    def test_token_reply_with_wrong_types(self):
        result, _ = self.bob_signs_in_under({"endpoint": "token", "kind": "json", "status": 200,
                                             "body": {"token_type": "Bearer",
                                                      "access_token": {"x": 1},
                                                      "expires_in": [3600]}})
        self.assert_fails(result, 1, "access_token", "expires_in", "json", "type", "int()")


class RefreshFaultTest(FaultTestCase):
    def test_invalid_grant_on_refresh_keeps_the_store(self):
        # 60 s is inside the validity a cached token must have left: the next call refreshes.
        self.sign_in(access_token_lifetime=60)
        before = self.listing()
        sign_ins = len(self.world.requests("/devicecode"))
        self.world.faults({"endpoint": "token", "kind": "json", "status": 400, "body": {
            "error": "invalid_grant", "error_description": "AADSTS70008: The refresh token "
            "has expired due to inactivity.", "error_codes": [70008]}})
        result = self.aadcred("token", "--no-prompt")
        # SPEC §4: a rejected refresh token means a new sign-in, which --no-prompt forbids.
        self.assert_fails(result, 3, "sign-in is needed", "interaction required")
        self.assertIn("400", result.stderr)  # the ERROR log line says why
        self.assertEqual(len(self.world.token_requests("refresh_token")), 1)
        self.assertEqual(len(self.world.requests("/devicecode")), sign_ins)
        self.assertEqual(self.listing(), before)

    def test_invalid_grant_on_refresh_falls_back_to_a_sign_in(self):
        self.sign_in(access_token_lifetime=60)
        self.world.faults({"endpoint": "token", "kind": "json", "status": 400,
                           "body": {"error": "invalid_grant"}})
        self.world.behaviour(approve_after_polls=0, user=ALICE, access_token_lifetime=3600)
        result = self.aadcred("token")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("enter the code", result.stderr)
        self.assertTrue(self.world.introspect(result.stdout.strip())["active"])
        self.assertEqual([a["userId"] for a in self.listing()], [ALICE])


class SecretServiceFaultTest(WorldTestCase):
    """The Secret Service broken under aadcred: locked with no prompt, daemon gone."""
    world_options = {"keyring": True}

    def aadcred(self, *args, **kwargs):
        return self.world.aadcred("--store", "secret-service", "--resource", RESOURCE, *args,
                                  **kwargs)

    def stored_labels(self):
        result = self.world.secret_tool("search", "--all", "xdg:schema", "org.aadcred.Token")
        return sorted(re.findall(r"^label = (.*)$", result.stdout + result.stderr, re.M))

    def lock_login_collection(self, lock=True):
        method = "Lock" if lock else "Unlock"
        subprocess.run(["dbus-send", "--session", "--print-reply",
                        "--dest=org.freedesktop.secrets", "/org/freedesktop/secrets",
                        f"org.freedesktop.Secret.Service.{method}",
                        "array:objpath:/org/freedesktop/secrets/collection/login"],
                       env=self.world.env, check=True, capture_output=True, timeout=30)

    def test_locked_keyring_without_prompt(self):
        self.world.secret_tool("clear", "xdg:schema", "org.aadcred.Token")
        self.world.behaviour(approve_after_polls=0, user=ALICE)
        signed_in = self.aadcred("token")
        self.assertEqual(signed_in.returncode, 0, signed_in.stderr)
        before = self.stored_labels()
        self.assertEqual(before, [f"aadcred: {ALICE} ({RESOURCE})"])
        self.lock_login_collection()
        sign_ins = len(self.world.requests("/devicecode"))
        started = time.monotonic()
        result = self.aadcred("token", "--no-prompt", timeout=60)
        self.assertLess(time.monotonic() - started, 30)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("locked", result.stderr)
        self.assertEqual(len(self.world.requests("/devicecode")), sign_ins)
        self.assertEqual(self.stored_labels(), before)  # the item is still there



class KeyringDaemonKilledTest(WorldTestCase):
    """The Secret Service dies while aadcred waits for a sign-in (own World: no bus after)."""
    world_options = {"keyring": True}

    def test_daemon_killed_mid_call(self):
        self.world.behaviour(approve_after_polls=None, user=BOB)
        argv = [binary("aadcred"), "--authority", self.world.authority_url, "--client-id",
                CLIENT_ID, "--ca-file", self.world.ca, "--store", "secret-service",
                "--resource", RESOURCE, "token", "--user", BOB]
        proc = self.world.spawn(argv)
        code = None
        for line in proc.stderr:  # the store is open and the device flow is waiting
            match = CODE_LINE.search(line)
            if match:
                code = match.group(1).rstrip(".")
                break
        self.assertIsNotNone(code)
        self.world.kill_bus()  # gnome-keyring-daemon leaves with its bus
        started = time.monotonic()
        self.world.control(f"device/{code}/approve", {"user": BOB})
        out, err = proc.communicate(timeout=60)
        self.assertLess(time.monotonic() - started, 30)
        self.assertEqual(proc.returncode, 1, err)
        self.assertEqual(out, "")
        self.assertRegex(err.lower(), r"secret service|d-bus|dbus")
        self.assertNotIn("internal error", err.lower())


if __name__ == "__main__":
    unittest.main()
