"""FaultTestCase: the fixture the fault-matrix tests (issue 5) share.

Tokens go to the kernel keyring in a session keyring of this test's own (joined in setUp,
inherited by every aadcred it runs, AADCRED_KEYRING=session), so the keyrings of the
person running the tests are never touched. Where the kernel refuses keyctl (containers)
those tests are skipped with the reason.
"""
import json

from harness import ALICE, BOB, RESOURCE, WorldTestCase, fresh_session_keyring


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

    def bob_signs_in_under(self, *faults, args=(), behaviour=None, **kwargs):
        """Alice is stored; Bob's device flow meets `faults` (and `behaviour`, which
        replaces "approve at the first poll"). Returns (result, before)."""
        self.sign_in()
        before = self.listing()
        self.world.behaviour(**(behaviour or {"approve_after_polls": 0}), user=BOB)
        if faults:
            self.world.faults(*faults)
        result = self.aadcred("token", "--user", BOB, *args, **kwargs)
        self.assertEqual(self.listing(), before)  # nothing stored, nothing lost
        return result, before
