#!/usr/bin/python3
"""Issue 9: hostile token and device code replies, through the real CLI against the local
authority (faults.py's "edit" and "truncate" spoil the authority's real replies, so the
tokens in them are live). What a user checks: the exit code (SPEC §4: 1 authentication
failed, not 2 usage), one clear line on stderr, no token of the failed reply on stdout,
in --json output or in the store, the store as it was, and later calls that work.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from fault_case import FaultTestCase  # noqa: E402
from harness import ALICE, BOB, RESOURCE  # noqa: E402

CONTROLS = ("\r", "\n", "\0", "\x1b")


def edit(endpoint="token", **changes):
    return {"endpoint": endpoint, "kind": "edit", **changes}


class HostileReplyCase(FaultTestCase):
    """Helpers over the session keyring store fault_case.py sets up."""

    def stored_payloads(self):
        """The JSON text of every aadcred key in this test's session keyring."""
        listed = subprocess.run(["keyctl", "rlist", "@s"], capture_output=True, text=True,
                                check=True)
        payloads = {}
        for key in listed.stdout.split():
            described = subprocess.run(["keyctl", "rdescribe", key], capture_output=True,
                                       text=True)
            if described.returncode != 0 or ";aadcred:" not in described.stdout:
                continue
            payload = subprocess.run(["keyctl", "pipe", key], capture_output=True, check=True)
            payloads[key] = payload.stdout.decode("utf-8", "replace")
        return payloads

    def rewrite_stored(self, change):
        """Rewrites each stored entry with change(entry dict) -> JSON text, as a past
        version could have stored it."""
        for key, payload in self.stored_payloads().items():
            subprocess.run(["keyctl", "pupdate", key], input=change(json.loads(payload)).encode(),
                           check=True)

    def issued(self):
        return set(self.world.control("issued"))

    def assert_no_secret_of(self, secrets, *texts):
        """None of `secrets` (what the authority sent in the failed reply) in `texts`, nor
        in the store."""
        stored = "\n".join(self.stored_payloads().values())
        for secret in secrets:
            for text in (*texts, stored):
                self.assertNotIn(secret, text)

    def bob_meets(self, *faults, args=()):
        """Alice is stored; Bob's sign-in meets `faults`. Checks that the store is as it
        was and that no secret the authority sent Bob reached stdout, stderr or the store.
        Returns (result, those secrets, Bob's polls)."""
        self.sign_in()
        before = self.listing()
        self.world.behaviour(approve_after_polls=0, user=BOB)
        issued = self.issued()
        polls = len(self.world.token_requests("device_code"))
        self.world.faults(*faults)
        result = self.aadcred("token", "--user", BOB, *args)
        self.assertEqual(self.listing(), before)  # nothing stored, nothing lost
        fresh = self.issued() - issued
        self.assert_no_secret_of(fresh, result.stdout, result.stderr)
        return result, fresh, len(self.world.token_requests("device_code")) - polls

    def assert_later_calls_work(self):
        """After the refused reply nothing crashes: Alice's token still comes from the
        store, Bob (whose reply was refused) still has none."""
        alice = self.aadcred("token", "--user", ALICE, "--no-prompt")
        self.assertEqual(alice.returncode, 0, alice.stderr)
        self.assertTrue(self.world.introspect(alice.stdout.strip())["active"])
        bob = self.aadcred("token", "--user", BOB, "--no-prompt")
        self.assertEqual(bob.returncode, 3, bob.stderr)
        self.assertEqual(bob.stdout, "")
        listed = self.aadcred("list")
        self.assertEqual(listed.returncode, 0, listed.stderr)


class NonStringTokenTest(HostileReplyCase):
    def test_non_string_access_token_is_refused_and_not_stored(self):
        # Today: SIGSEGV (aadcred_token_access_token is NULL), the entry stored, and every
        # later call crashes the same way.
        for value in (42, True, ["x" * 20], {"token": "y" * 20}, 1.5):
            with self.subTest(access_token=value):
                result, _, _ = self.bob_meets(edit(set={"access_token": value}))
                self.assert_fails(result, 1, "access_token is not a string")
                self.assert_later_calls_work()

    def test_other_token_fields_must_be_strings_too(self):
        for field, value in (("refresh_token", 7), ("token_type", ["Bearer"]),
                             ("id_token", {"alg": "none"}), ("resource", 5)):
            with self.subTest(field=field):
                result, _, _ = self.bob_meets(edit(set={field: value}))
                self.assert_fails(result, 1, field + " is not a string")
                self.assert_later_calls_work()

    def test_json_output_of_the_refusal_holds_no_token(self):
        result, fresh, _ = self.bob_meets(edit(set={"access_token": 42}), args=("--json",))
        self.assertEqual(result.returncode, 1, result.stderr)
        error = json.loads(result.stdout)
        self.assertEqual(error["message"], "wire_response's access_token is not a string")
        # The reply stays readable with its tokens blanked.
        self.assertEqual(error["error_response"]["access_token"], "...")
        self.assertEqual(error["error_response"]["refresh_token"], "...")
        self.assertEqual(error["error_response"]["id_token"], "...")
        self.assertEqual(error["error_response"]["token_type"], "Bearer")
        self.assertGreaterEqual(len(fresh), 3)  # it did carry a live refresh and id token
        self.assert_later_calls_work()


class StoredByAPastVersionTest(HostileReplyCase):
    """Entries a past version stored from such replies: skipped with a message, and the
    account signs in again instead of crashing on every call."""

    def check_bad_entry_is_skipped(self, change, why):
        self.sign_in()
        self.rewrite_stored(change)
        self.world.behaviour(approve_after_polls=0, user=ALICE)
        result = self.aadcred("--log-level", "warning", "token", "--user", ALICE)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Skipping a kernel keyring key that is not a token entry: "
                      "token entry's " + why, result.stderr)
        self.assertIn("enter the code", result.stderr)  # a new sign-in, not the bad token
        token = result.stdout.strip()
        self.assertFalse(any(c in result.stdout[:-1] for c in CONTROLS), repr(result.stdout))
        self.assertTrue(self.world.introspect(token)["active"])
        # The new sign-in replaced the bad entry: the next call is quiet and cached.
        again = self.aadcred("token", "--user", ALICE, "--no-prompt")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout.strip(), token)
        self.assertEqual([a["userId"] for a in self.listing()], [ALICE])

    def test_stored_non_string_access_token(self):
        # Today: SIGSEGV on this and every later call.
        self.check_bad_entry_is_skipped(
            lambda e: json.dumps(dict(e, accessToken=12345)), "accessToken is not a string")

    def test_stored_access_token_with_crlf(self):
        # Today: printed raw, CR/LF and all, to stdout.
        self.check_bad_entry_is_skipped(
            lambda e: json.dumps(dict(e, accessToken=e["accessToken"] + "\r\nX-Injected: 1")),
            "accessToken holds a control or non-ASCII character")

    def test_file_store_holding_a_non_string_access_token(self):
        # Today: SIGSEGV on every call. The file is ADAL's cache as a whole, read whole:
        # it is refused, named, with the reason, and left as it is for the user to mend.
        path = self.world.tmp / "hostile-cache.json"
        store = ("--store", "file:%s" % path, "--resource", RESOURCE)
        self.world.behaviour(approve_after_polls=0, user=ALICE)
        first = self.world.aadcred(*store, "token")
        self.assertEqual(first.returncode, 0, first.stderr)
        entries = json.loads(path.read_text())
        entries[0]["accessToken"] = 12345
        path.write_text(json.dumps(entries))
        before = path.read_bytes()
        for _ in range(2):
            result = self.world.aadcred(*store, "token")
            self.assert_fails(result, 1, "invalid token cache: token entry's accesstoken is "
                                         "not a string")
            self.assertIn(str(path), result.stderr)
            self.assertEqual(path.read_bytes(), before)


class ControlCharacterTest(HostileReplyCase):
    def test_token_with_control_characters_is_refused(self):
        # Today: `aadcred token` prints the access token raw, CR/LF included, and stores it.
        for field in ("access_token", "refresh_token"):
            for text in ("\r\nX-Injected: yes", "\nsecond line", "\u0000tail", "\u001b[2J"):
                with self.subTest(field=field, text=text):
                    result, _, _ = self.bob_meets(edit(append={field: text}))
                    self.assert_fails(result, 1,
                                      field + " holds a control or non-ascii character")
                    self.assert_later_calls_work()

    def test_token_with_control_characters_in_json_output(self):
        result, _, _ = self.bob_meets(edit(append={"access_token": "\r\n"}), args=("--json",))
        self.assertEqual(result.returncode, 1, result.stderr)
        error = json.loads(result.stdout)
        self.assertEqual(error["message"],
                         "wire_response's access_token holds a control or non-ASCII character")
        self.assertEqual(error["error_response"]["access_token"], "...")


class TruncatedReplyTest(HostileReplyCase):
    def test_truncated_token_reply_keeps_no_token(self):
        # Today: with --json the whole cut body, live access, refresh and id tokens, is the
        # error_response on stdout.
        for cut in (1, 2, 200):
            with self.subTest(cut=cut):
                result, fresh, _ = self.bob_meets(
                    {"endpoint": "token", "kind": "truncate", "cut": cut}, args=("--json",))
                self.assertEqual(result.returncode, 1, result.stderr)
                error = json.loads(result.stdout)
                self.assertIn("token response is not valid JSON", error["message"])
                self.assertRegex(error["error_response"],
                                 r"^the reply was not valid JSON \(\d+ bytes\)$")
                # Live tokens were in the cut reply (an id_token minted in the same second
                # as an earlier subtest's is the same, so not new).
                self.assertTrue(any(t.startswith("RT.") for t in fresh), fresh)
                self.assertGreaterEqual(len(fresh), 3)
                self.assert_later_calls_work()

    def test_truncated_token_reply_without_json(self):
        result, _, _ = self.bob_meets({"endpoint": "token", "kind": "truncate"})
        self.assert_fails(result, 1, "token response is not valid json")
        self.assert_later_calls_work()


class PollingIntervalTest(HostileReplyCase):
    def test_interval_zero_or_negative_is_an_authentication_failure(self):
        # Today: exit 2 ("invalid refresh interval"), the exit code of a usage error.
        for interval in ("0", 0, -1, "-30"):
            with self.subTest(interval=interval):
                result, _, polls = self.bob_meets(edit("devicecode", set={"interval": interval}))
                self.assert_fails(result, 1, "wire_response has an invalid interval: %d"
                                  % int(interval))
                self.assertEqual(polls, 0)
                self.assert_later_calls_work()

    def test_user_code_with_interval_zero_fails(self):
        # Today: exit 0, printing {"interval": 0, ...} that device-token then refuses as
        # a usage error.
        self.world.faults(edit("devicecode", set={"interval": 0}))
        result = self.aadcred("user-code")
        self.assert_fails(result, 1, "wire_response has an invalid interval: 0")


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
