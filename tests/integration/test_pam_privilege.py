#!/usr/bin/python3
"""pam_aadcred.so inside privileged hosts (issue 9): whose tokens reach whose session.

The module runs in su, sudo, login and sshd as root. pam_steps.c drives one PAM handle
through a host's steps: sudo's authenticate, PAM_USER set to the run-as user, then
open_session; sshd's authentication in a forked child that exits without pam_end while
its parent opens the session. Only the account whose identity was verified may receive
the tokens, only the login that signed in may pick up what was staged, and a sign-in
that is declined or refused later in the stack leaves nothing another session can take.
The PAM user is the account running the tests (root in CI); "nobody" plays the other
account.
"""
import json
import os
import pwd
import shutil
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_pam import AUTH_ERR, UPN, USER, PamTestCase  # noqa: E402

OTHER = "nobody"
OTHER_UID = pwd.getpwnam(OTHER).pw_uid


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("cc"), "needs root and cc")
class PrivilegeTestCase(PamTestCase):
    def service_denying_accounts(self):
        """A stack where pam_aadcred authenticates and a later account module refuses."""
        (self.services / "aadcred-denied").write_text(
            f"auth required {self.module} {self.auth_args()}\n"
            f"account required {self.module}\n"
            "account required pam_deny.so\n"
            "session required pam_permit.so\n"
            f"session required {self.module} runtime_dir={self.runtime}\n")
        return "aadcred-denied"

    def handovers(self):
        """Every hand-over file anywhere under the runtime dir."""
        return sorted(str(p.relative_to(self.runtime)) for p in self.runtime.rglob("handover.json"))

    def staged(self):
        staging = self.runtime / "aadcred" / "staging"
        return sorted(p.name for p in staging.iterdir()) if staging.exists() else []

    def other_session_gets_nothing(self):
        """Another login's session (another process) opening now receives no tokens."""
        r = self.pamtester("open_session", input="")
        self.assertEqual(r.returncode, 0, r.output)
        self.assertEqual(self.handovers(), [], r.output)

    def run_waiting(self, steps, between):
        """Runs pam_steps with one `wait`, calling between(proc, output) while it waits."""
        proc = self.spawn_steps(*steps)
        try:
            before = self.until_waiting(proc)
            between(proc, before)
            out, err = proc.communicate("\n", timeout=90)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        return before + out + err


class RunAsAnotherUserTest(PrivilegeTestCase):
    """sudo -u bob after alice signed in: PAM_USER changes before open_session."""

    def test_sudo_to_another_user_hands_nothing_over(self):
        self.service()
        r = self.steps("authenticate", "acct_mgmt", f"user={OTHER}", "open_session")
        self.assertIn("authenticate: Success", r.output)
        self.assertIn("open_session: Success", r.output)  # sudo goes on, without SSO
        self.assertEqual(self.handovers(), [])
        self.assertEqual(self.staged(), [])
        self.assertIn(f"PAM_USER is {OTHER} but {USER} signed in: nothing handed over",
                      r.output)

    def test_forked_authentication_then_another_user_hands_nothing_over(self):
        """sshd-style: the child staged for its parent; PAM_USER then changes. The staged
        copy is dropped, not left for a later session of the signed-in user."""
        self.service()
        r = self.steps("fork:authenticate", f"user={OTHER}", "open_session")
        self.assertIn("fork:authenticate: Success", r.output)
        self.assertEqual(self.handovers(), [])
        self.assertEqual(self.staged(), [])
        self.assertIn("nothing handed over", r.output)
        self.other_session_gets_nothing()

    @unittest.skipUnless(shutil.which("unshare"), "needs unshare")
    def test_same_name_with_another_uid_hands_nothing_over(self):
        """The account's uid changes between authenticate and open_session (a private
        mount namespace shows another /etc/passwd): the name alone is not enough."""
        self.service()
        moved = self.world.tmp / f"passwd-{self._testMethodName}"
        lines = []
        with open("/etc/passwd") as passwd:
            for line in passwd:
                f = line.split(":")
                if f[0] == USER:
                    f[2] = f[3] = "4242"
                lines.append(":".join(f))
        moved.write_text("".join(lines))
        r = self.steps("authenticate", f"passwd={moved}", "open_session",
                       prefix=["unshare", "-m", "--propagation", "private"])
        self.assertIn(f"passwd={moved}: Success", r.output)
        self.assertIn("open_session: Success", r.output)
        self.assertEqual(self.handovers(), [])
        self.assertIn("nothing handed over", r.output)


class NulInClaimTest(PrivilegeTestCase):
    """A upn holding U+0000 must not be cut at the NUL and pass as the local user."""

    def test_claim_with_a_nul_is_refused(self):
        for domain, upn in (("contoso.com", f"{UPN}\u0000@evil.example"),
                            (None, f"{USER}\u0000@evil.example")):
            with self.subTest(domain=domain):
                self.world.behaviour(id_token_claims={"upn": upn})
                self.service(self.auth_args(domain=domain))
                r = self.pamtester("authenticate", "open_session")
                self.assert_pam(r, AUTH_ERR, 1)
                self.assertNotIn("successfully", r.output)
                self.assertIn("holds control characters", r.output)
                self.assertEqual(self.handovers(), [])

    def test_other_controls_in_the_claim_are_refused(self):
        for upn in (f"{UPN}\n", f"{UPN}\u001b[2J", f"{UPN}\u0085"):
            with self.subTest(upn=upn):
                self.world.behaviour(id_token_claims={"upn": upn})
                self.service()
                r = self.pamtester("authenticate")
                self.assert_pam(r, AUTH_ERR, 1)
                self.assertIn("holds control characters", r.output)


class NothingLeftStagedTest(PrivilegeTestCase):
    """What one login staged can be taken by that login's session only, and not at all
    once it is declined, refused or ended."""

    def test_staged_sign_in_is_only_for_the_login_that_made_it(self):
        self.make_user_runtime()
        self.service()

        def meanwhile(proc, output):
            self.assertIn("fork:authenticate: Success", output)
            self.other_session_gets_nothing()  # another process: not for it

        out = self.run_waiting(["fork:authenticate", "wait", "open_session"], meanwhile)
        self.assertIn("open_session: Success", out)
        self.assertEqual(self.handovers(), [f"user/{os.getuid()}/aadcred/handover.json"])
        self.assertEqual(json.loads(self.handover_file().read_text())[0]["userId"], UPN)
        self.assertEqual(self.staged(), [])

    def test_refused_later_in_the_stack_same_process(self):
        """login/su: authenticate succeeds, a later account module refuses, pam_end."""
        name = self.service_denying_accounts()
        r = self.steps("authenticate", "acct_mgmt", service=name)
        self.assertIn("authenticate: Success", r.output)
        self.assertRegex(r.output, r"\nacct_mgmt: (?!Success)")
        self.assertEqual(self.staged(), [])
        self.service()
        self.other_session_gets_nothing()

    def test_refused_later_in_the_stack_forked(self):
        """sshd: the child authenticates, the account step refuses, no session follows."""
        name = self.service_denying_accounts()
        r = self.steps("fork:authenticate,acct_mgmt", service=name)
        self.assertIn("authenticate: Success", r.output)
        self.assertRegex(r.output, r"\nacct_mgmt: (?!Success)")
        self.service()
        self.other_session_gets_nothing()

    def test_declined_sign_in_drops_an_earlier_one(self):
        """A first sign-in on this login succeeds, a second is declined: the session
        opened afterwards gets nothing from the first."""
        self.service()

        def decline_next(proc, output):
            self.assertIn("fork:authenticate: Success", output)
            self.world.behaviour(decline=True)

        out = self.run_waiting(["fork:authenticate", "wait", "fork:authenticate",
                                "open_session"], decline_next)
        self.assertIn("authorization_declined", out)
        self.assertIn("fork:authenticate: Authentication failure", out)
        self.assertEqual(self.handovers(), [])
        self.assertEqual(self.staged(), [])

    def test_handle_ended_without_session_removes_the_staged_copy(self):
        """A forked child that ends its handle with pam_end (no PAM_DATA_SILENT) takes its
        staged copy with it; with PAM_DATA_SILENT (a child's copy) it stays for the
        parent, as Linux-PAM documents."""
        self.make_user_runtime()
        self.service()
        r = self.steps("fork:authenticate,end", "open_session")
        self.assertIn("end: done", r.output)
        self.assertEqual(self.handovers(), [])
        self.assertEqual(self.staged(), [])
        r = self.steps("fork:authenticate,end-silent", "open_session")
        self.assertIn("end-silent: done", r.output)
        self.assertEqual(self.handovers(), [f"user/{os.getuid()}/aadcred/handover.json"])


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
