#!/usr/bin/python3
"""The example PAM stanzas an admin copies (data/pam.d/, issue 10), run as written: their
auth lines, with `config=/etc/aadcred/pam.conf` replaced by the test's own arguments and
`@include common-auth` by Debian's pam_unix line, under pam_wrapper and pamtester.

  - aadcred-sshd-password-fallback.example: a sign-in lets the person in with no password;
    a declined or expired code is followed by pam_unix's "Password:" prompt.
  - aadcred-sshd-entra-only.example: a sign-in lets the person in; a declined or expired
    code fails the login at once, with no "Password:" prompt.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
from test_pam import AUTH_ERR, PamTestCase  # noqa: E402

EXAMPLES = harness.SOURCE_ROOT / "data" / "pam.d"
SETTINGS = "pam_aadcred.so config=/etc/aadcred/pam.conf"
PASSWORD_PROMPT = "Password:"


class ExampleStanzaTest(PamTestCase):

    def example_service(self, example):
        """A service made of the example's auth lines, as an admin pastes them."""
        lines = []
        for line in (EXAMPLES / example).read_text().splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            self.assertTrue(line.startswith(("auth", "@include")), line)
            lines.append(line.replace(SETTINGS, f"{self.module} {self.auth_args()}"))
        self.assertTrue(any(self.module in line for line in lines), lines)
        (self.services / "common-auth").write_text("auth required pam_unix.so\n")
        (self.services / "aadcred-example").write_text(
            "\n".join(lines) + "\n"
            f"account required {self.module}\n"
            "session required pam_permit.so\n")
        return "aadcred-example"

    def login(self, example, input="\n"):
        return self.pamtester("authenticate", service=self.example_service(example),
                              input=input)

    def test_fallback_lets_a_signed_in_person_in_without_a_password(self):
        r = self.login("aadcred-sshd-password-fallback.example")
        self.assert_pam(r, "successfully authenticated", 0)
        self.assertIn("enter the code", r.output)
        self.assertNotIn(PASSWORD_PROMPT, r.output)

    def test_fallback_asks_for_the_password_after_a_declined_code(self):
        self.world.behaviour(interval=1, user="nobody@contoso.com", decline=True)
        r = self.login("aadcred-sshd-password-fallback.example", input="\nnot-the-password\n")
        self.assertIn("enter the code", r.output)
        self.assertIn(PASSWORD_PROMPT, r.output)  # pam_unix took over
        self.assert_pam(r, AUTH_ERR, 1)

    def test_entra_only_lets_a_signed_in_person_in(self):
        r = self.login("aadcred-sshd-entra-only.example")
        self.assert_pam(r, "successfully authenticated", 0)
        self.assertNotIn(PASSWORD_PROMPT, r.output)

    def test_entra_only_never_asks_for_a_password(self):
        self.world.behaviour(interval=1, user="nobody@contoso.com", decline=True)
        r = self.login("aadcred-sshd-entra-only.example", input="\nnot-the-password\n")
        self.assertIn("enter the code", r.output)
        self.assertNotIn(PASSWORD_PROMPT, r.output)
        self.assert_pam(r, AUTH_ERR, 1)


if __name__ == "__main__":
    harness.main()
