#!/usr/bin/python3
"""A real `git clone` and `git fetch` over HTTPS with git-credential-aadcred (SPEC §5, §7).

The git server accepts only access tokens of the local authority; the helper signs in with
the device code flow once, keeps the tokens in a private gnome-keyring, and later git runs
are silent.
"""
import json
import os
import re
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))

import harness  # noqa: E402

LABEL = f"aadcred: {harness.ALICE} ({harness.RESOURCE})"


def read_user_code(proc):
    """Reads git's stderr until the helper shows the code; returns (code, text so far)."""
    seen = []
    for line in proc.stderr:
        seen.append(line)
        m = re.search(r"enter the code (\w+)", line)
        if m:
            return m.group(1), "".join(seen)
    return None, "".join(seen)


def scrub_git_tls_environment(world):
    """git's own TLS variables override http.<url>.sslCAInfo; harness keeps them (told the
    lead), so drop them here: git must trust exactly the world's CA."""
    for name in ("GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "GIT_SSL_NO_VERIFY", "GIT_SSL_CERT",
                 "GIT_SSL_KEY", "GIT_HTTP_PROXY_AUTHMETHOD", "GIT_PROXY_SSL_CAINFO"):
        world.env.pop(name, None)


def git_server_log(world):
    """The git server's request log (GET /_log): method, path, user, auth, status."""
    req = urllib.request.Request(f"{world.git_server.url}/_log")
    with urllib.request.urlopen(req, context=world._ssl(), timeout=30) as resp:
        return json.loads(resp.read().decode())


class GitCloneTest(harness.WorldTestCase):
    world_options = {"keyring": True, "git": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        scrub_git_tls_environment(cls.world)
        cls.world.configure_helper()
        cls.url = cls.world.create_repo("clone-me.git")

    def setUp(self):
        super().setUp()
        self.world.secret_tool("clear", "xdg:schema", "org.aadcred.Token")
        # A code nobody approves expires soon, so a failing test cannot hang for long.
        self.world.behaviour(expires_in=60)
        self.dest = self.world.tmp / f"work-{self._testMethodName}"

    def clone_with_approval(self):
        """Clones while a 'person' approves the code the helper shows on stderr."""
        proc = self.world.spawn(["git", "clone", self.url, str(self.dest)])
        proc.stdin.close()
        code, shown = read_user_code(proc)
        self.assertIsNotNone(code, shown)
        self.world.control(f"device/{code}/approve", {"user": harness.ALICE})
        rest = proc.stderr.read()
        proc.wait(timeout=120)
        proc.stdout.close()
        proc.stderr.close()
        self.assertEqual(proc.returncode, 0, shown + rest)
        return shown + rest

    def test_clone_signs_in_and_fetch_is_silent(self):
        stderr = self.clone_with_approval()
        self.assertIn(f"git-credential-aadcred: sign-in needed for {self.world.git_server.url}",
                      stderr)
        self.assertIn(f"{self.world.authority_base}/device", stderr)
        self.assertEqual((self.dest / "README").read_text(),
                         "hello from the aadcred test server\n")
        self.assertEqual(len(self.world.requests("/oauth2/devicecode")), 1)

        before = len(self.world.requests())
        fetch = self.world.run(["git", "-C", str(self.dest), "fetch"])
        self.assertEqual(fetch.returncode, 0, fetch.stderr)
        self.assertNotIn("enter the code", fetch.stderr)
        self.assertNotIn("git-credential-aadcred", fetch.stderr)
        # Neither a device code nor a token request: the keyring answered.
        self.assertEqual(self.world.requests()[before:], [])

    def test_tokens_are_visible_in_the_secret_service(self):
        self.clone_with_approval()
        found = self.world.secret_tool("search", "--all", "xdg:schema", "org.aadcred.Token")
        self.assertEqual(found.returncode, 0, found.stderr)
        output = found.stdout + found.stderr  # secret-tool prints attributes on stderr
        self.assertIn(f"label = {LABEL}", output)
        self.assertIn(f"attribute.user_id = {harness.ALICE}", output)
        self.assertIn(f"attribute.client_id = {harness.CLIENT_ID}", output)
        self.assertIn(f"attribute.resource = {harness.RESOURCE}", output)
        self.assertNotRegex(output, r"attribute\.\w+ = eyJ")  # no token in an attribute

    def test_server_refuses_a_clone_without_the_helper(self):
        started = time.time()
        result = self.world.run(["git", "-c", "credential.helper=", "clone", self.url,
                                 str(self.dest)], env={"GIT_TERMINAL_PROMPT": "0"})
        self.assertNotEqual(result.returncode, 0)
        self.assertNotIn("git-credential-aadcred", result.stderr)
        self.assertFalse((self.dest / "README").exists())
        self.assertEqual(self.world.requests(), [])
        # It reached the server, which asked for credentials, and nothing got in.
        mine = [e for e in git_server_log(self.world) if e["path"].startswith("/clone-me.git")
                and e["time"] >= started]
        self.assertTrue(mine)
        self.assertEqual({(e["auth"], e["status"]) for e in mine}, {(False, 401)})

    def test_clone_without_prompting_fails_cleanly(self):
        result = self.world.run(["git", "clone", self.url, str(self.dest)],
                                env={"GIT_TERMINAL_PROMPT": "0"})
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("git-credential-aadcred: a sign-in to", result.stderr)
        self.assertEqual(self.world.requests("/oauth2/devicecode"), [])

    def test_declined_sign_in_fails_the_clone(self):
        # After the helper gives up git asks for a username itself: answer with an empty
        # one instead of letting it open /dev/tty.
        proc = self.world.spawn(["git", "clone", self.url, str(self.dest)],
                                env={"GIT_ASKPASS": "/bin/true"})
        proc.stdin.close()
        code, shown = read_user_code(proc)
        self.assertIsNotNone(code, shown)
        self.world.control(f"device/{code}/decline", {})
        rest = proc.stderr.read()
        proc.wait(timeout=120)
        proc.stdout.close()
        proc.stderr.close()
        self.assertNotEqual(proc.returncode, 0)
        self.assertRegex(rest, r"git-credential-aadcred: .*(declin|authoriz)")
        self.assertEqual(self.world.token_requests("refresh_token"), [])


if __name__ == "__main__":
    harness.main()  # exit 77 (SKIP) when every test was skipped
