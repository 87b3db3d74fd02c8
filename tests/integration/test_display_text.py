#!/usr/bin/python3
"""Server text shown to people goes through one sanitiser in every front end (issue 9).

A hostile authority puts bidi controls, invisible characters, terminal escapes and a wall
of text into its device code message and user code. `aadcred token` and
git-credential-aadcred must both show it without any of those, capped in length, and
show the same cleaned text (PAM's side is tests/unit/pam/test_prompt_text.cpp).
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402

GIT_HOST = "git.example.test"
# What the terminal must never receive: bidi embeddings, overrides, isolates and marks,
# zero-width and other invisible characters, C0/C1 controls.
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE = "\u200b\u200d\ufeff\u00ad\u2060"
FORBIDDEN = re.compile("[%s%s\x00-\x09\x0b-\x1f\x7f-\x9f]" % (BIDI, INVISIBLE))
# "Trojan Source": with the override, "Run exe.txt" reads as "Run txt.exe".
HOSTILE_MESSAGE = (" Run \u202eexe.txt\u202c now \u2066isolated\u2069 \u200fmarked \u061c"
                   "zero\u200bwidth \ufeffbom \x1b[2J\x1b]0;pwned\x07\x9b31m " + "A" * 5000)
MESSAGE_CAP = 1024  # aadcred::frontend::kMessageBytes
ELLIPSIS = "\u2026"


class DisplayTextTest(harness.WorldTestCase):
    world_options = {"keyring": False}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The git helper for a host with no git server behind it: only its prompt matters.
        cls.world.configure_helper(url_prefix=f"https://{GIT_HOST}", store="memory")

    def run_bytes(self, argv, data=b""):
        """Runs one of our programs; stderr as bytes, so nothing is decoded away."""
        result = subprocess.run(harness.wrapped(argv), input=data, capture_output=True,
                                env=dict(self.world.env), timeout=120)
        self.world.logs.sink(argv).append(result.stderr.decode("utf-8", "replace"))
        return result

    def cli_prompt(self):
        result = self.run_bytes([harness.binary("aadcred"), "--authority",
                                 self.world.authority_url, "--client-id", harness.CLIENT_ID,
                                 "--ca-file", self.world.ca, "--store", "memory", "token",
                                 "--resource", harness.RESOURCE])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(self.world.introspect(result.stdout.decode().strip())["active"])
        return result.stderr

    def git_prompt(self):
        result = self.run_bytes([harness.binary("git-credential-aadcred"), "get"],
                                f"protocol=https\nhost={GIT_HOST}\n\n".encode())
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"\npassword=", b"\n" + result.stdout)
        return result.stderr

    def message_line(self, stderr):
        """The line with the sign-in instructions; nothing forbidden anywhere in `stderr`."""
        text = stderr.decode("utf-8")  # strict: the sanitiser sends valid UTF-8 only
        self.assertIsNone(FORBIDDEN.search(text.replace("\n", "")), ascii(text)[:400])
        line = next((l for l in text.split("\n") if "To sign in" in l), None)
        self.assertIsNotNone(line, text)
        return line

    def assert_clean_and_capped(self, line):
        self.assertLessEqual(len(line.encode()), MESSAGE_CAP, ascii(line))
        self.assertTrue(line.endswith(ELLIPSIS), ascii(line[-20:]))
        # The visible words stay, in the order the server sent them.
        self.assertIn("Run exe.txt now isolated marked zerowidth bom [2J]0;pwned31m AAAA", line)
        self.assertIn(f"{self.world.authority_base}/device", line)

    def test_cli_strips_bidi_and_caps_the_message(self):
        self.world.behaviour(approve_after_polls=1, device_message_suffix=HOSTILE_MESSAGE)
        line = self.message_line(self.cli_prompt())
        self.assert_clean_and_capped(line)

    def test_git_helper_and_cli_show_the_same_text(self):
        self.world.behaviour(approve_after_polls=1, device_message_suffix=HOSTILE_MESSAGE)
        codes = re.compile(r"enter the code (\w+)")
        cli = codes.sub("enter the code <CODE>", self.message_line(self.cli_prompt()))
        git = codes.sub("enter the code <CODE>", self.message_line(self.git_prompt()))
        self.assert_clean_and_capped(git)
        self.assertEqual(git, cli)

    def test_a_hostile_user_code_is_shown_cleaned(self):
        # The same input and expectation as test_prompt_text.cpp's hostile code for PAM.
        self.world.behaviour(approve_after_polls=1,
                             device_user_code_suffix="\u202e\u200b\x1b[31m\r\nX")
        for stderr in (self.cli_prompt(), self.git_prompt()):
            line = self.message_line(stderr)
            code = re.search(r"enter the code (\w+)\[31m X to authenticate\.", line)
            self.assertIsNotNone(code, ascii(line))


if __name__ == "__main__":
    harness.main()  # exit 77 (SKIP) when every test was skipped
