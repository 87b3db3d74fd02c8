#!/usr/bin/python3
"""Issue 5: headless operation and the fault matrix, part one: the network and the
replies. Each fault checks what a user sees: a clear message on stderr, the documented
exit code (SPEC §4: 1 authentication failed, 3 interaction required) and a store left as
it was (fault_case.py). Part two, tokens and stores, is test_faults_store.py;
test_cli_device_flow.py has more shapes of some rows, test_pam.py the PAM side of skew.
"""
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fault_case import FaultTestCase  # noqa: E402
from harness import (ALICE, AUTHORITY_DIR, BOB, CLIENT_ID, PYTHON, RESOURCE, TENANT,  # noqa: E402
                     _Server, binary)

FALLBACK_LINE = "using the kernel keyring"


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


    def test_persistent_5xx_is_a_clear_error(self):
        result, _ = self.bob_signs_in_under({"endpoint": "devicecode", "kind": "status",
                                             "status": 500, "count": 20})
        self.assert_fails(result, 1, "500")

    def test_persistent_5xx_while_polling_gives_up_at_the_deadline(self):
        started = time.monotonic()
        result, _ = self.bob_signs_in_under(
            {"endpoint": "token", "kind": "status", "status": 503, "count": 1000},
            behaviour={"approve_after_polls": 0, "expires_in": 6})
        self.assertLess(time.monotonic() - started, 60)
        self.assert_fails(result, 1, "the code expired before the sign-in was completed")

    def test_wrong_ca_is_refused(self):
        # Verification cannot be turned off at all (docs: --ca-file is the way to trust a
        # private CA): not by ADAL's switch, curl's or git's variables, nor a CA bundle in
        # the environment that would trust the server.
        self.sign_in()
        before = self.listing()
        result = self.world.run(
            [binary("aadcred"), "--authority", self.world.authority_url, "--client-id",
             CLIENT_ID, "--ca-file", self.world.other_ca, *self.store, "--resource", RESOURCE,
             "token", "--user", BOB],
            env={"ADAL_PYTHON_SSL_NO_VERIFY": "1", "GIT_SSL_NO_VERIFY": "1",
                 "CURL_CA_BUNDLE": self.world.ca, "SSL_CERT_FILE": self.world.ca})
        self.assert_fails(result, 1, "certificate")
        self.assertEqual(self.listing(), before)

    def test_fifty_megabyte_body_is_cut_off(self):
        result, _ = self.bob_signs_in_under({"endpoint": "devicecode", "kind": "huge",
                                             "size": 50_000_000}, timeout=60)
        self.assert_fails(result, 1, "too large")


class ReplyFaultTest(FaultTestCase):
    def test_malformed_device_code_reply(self):
        result, _ = self.bob_signs_in_under({"endpoint": "devicecode", "kind": "malformed",
                                             "body": "{\"user_code\": \"AB"})
        self.assert_fails(result, 1, "json")

    def test_malformed_token_reply(self):
        result, _ = self.bob_signs_in_under({"endpoint": "token", "kind": "malformed",
                                             "status": 200})
        self.assert_fails(result, 1, "json")

    def test_slow_down_storm_backs_off_until_the_code_expires(self):
        # Every poll answers slow_down: RFC 8628 §3.5 says add 5 s each time. The code
        # lives 8 s, so after at most three polls the sign-in ends as expired.
        result, _ = self.bob_signs_in_under(
            {"endpoint": "token", "kind": "slow_down", "count": 1000},
            behaviour={"approve_after_polls": None, "expires_in": 8}, timeout=60)
        self.assert_fails(result, 1, "the code expired before the sign-in was completed")
        bobs_code = self.world.requests("/devicecode")[-1]["time"]
        polls = [p["time"] for p in self.world.token_requests()
                 if p["form"].get("grant_type") == "device_code" and p["time"] > bobs_code]
        self.assertGreaterEqual(len(polls), 2)
        self.assertLessEqual(len(polls), 3, "polling did not back off")
        gaps = [b - a for a, b in zip(polls, polls[1:])]
        self.assertTrue(all(g >= 5.5 for g in gaps), gaps)  # interval 1 s, +5 s per slow_down

    def test_declined(self):
        result, _ = self.bob_signs_in_under(
            behaviour={"approve_after_polls": 0, "decline": True})
        self.assert_fails(result, 1, "authorization_declined", "declined")

    def test_expired(self):
        result, _ = self.bob_signs_in_under(
            behaviour={"approve_after_polls": None, "expires_in": 3}, timeout=60)
        self.assert_fails(result, 1, "expired")

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


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
