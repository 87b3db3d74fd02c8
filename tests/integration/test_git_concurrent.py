#!/usr/bin/python3
"""Two git processes needing a refresh at the same moment make ONE refresh (SPEC §2, §5).

The provider serialises per account across processes and re-reads the store after taking
its lock, so the second helper finds the first one's new token. With rotating refresh
tokens (the authority's default) a second refresh with the old refresh token would fail,
so this also proves nobody used a stale one.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import harness  # noqa: E402


def scrub_git_tls_environment(world):
    """git's own TLS variables override http.<url>.sslCAInfo; harness keeps them (told the
    lead), so drop them here: git must trust exactly the world's CA."""
    for name in ("GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "GIT_SSL_NO_VERIFY", "GIT_SSL_CERT",
                 "GIT_SSL_KEY", "GIT_HTTP_PROXY_AUTHMETHOD", "GIT_PROXY_SSL_CAINFO"):
        world.env.pop(name, None)


class GitConcurrentTest(harness.WorldTestCase):
    world_options = {"keyring": True, "git": True}
    # More than two makes the race likelier to show; each must still find the new token.
    parallel = 3

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        scrub_git_tls_environment(cls.world)
        cls.world.configure_helper()
        cls.url = cls.world.create_repo("shared.git")

    def setUp(self):
        super().setUp()
        self.world.secret_tool("clear", "xdg:schema", "org.aadcred.Token")

    def git(self, *args, check=True):
        result = self.world.run(["git", *args])
        if check:
            self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def push_new_commit(self, message):
        """Adds a commit to the served repository (locally, no credentials) and returns it."""
        seed = self.world.tmp / f"seed-{self._testMethodName}"
        if not seed.exists():
            self.git("clone", "-q", str(self.world.repos / "shared.git"), str(seed))
        env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
               "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
        result = self.world.run(["git", "-C", str(seed), "commit", "-q", "--allow-empty",
                                 "-m", message], env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.git("-C", str(seed), "push", "-q", "origin", "HEAD:main")
        return self.git("-C", str(seed), "rev-parse", "HEAD").stdout.strip()

    def test_simultaneous_fetches_refresh_once(self):
        # Sign in with a token that lives 2 minutes: inside the helper's 10-minute window,
        # so the next git run must refresh before it hands the token out.
        self.world.behaviour(approve_after_polls=1, access_token_lifetime=120)
        clones = [self.world.tmp / f"clone-{i}" for i in range(self.parallel)]
        self.git("clone", "-q", self.url, str(clones[0]))
        for clone in clones[1:]:
            self.git("clone", "-q", "--no-hardlinks", str(clones[0]), str(clone))
            self.git("-C", str(clone), "remote", "set-url", "origin", self.url)
        self.assertEqual(len(self.world.requests("/oauth2/devicecode")), 1)
        self.assertEqual(self.world.token_requests("refresh_token"), [])
        # The refreshed token will be long-lived, so whoever comes second can use it.
        self.world.behaviour(access_token_lifetime=3599)
        head = self.push_new_commit("new work")

        procs = [self.world.spawn(["git", "-C", str(clone), "fetch", "-q", "origin"])
                 for clone in clones]
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            results.append((proc.returncode, err))
        for code, err in results:
            self.assertEqual(code, 0, err)
            self.assertNotIn("enter the code", err)
        for clone in clones:
            fetched = self.git("-C", str(clone), "rev-parse", "origin/main").stdout.strip()
            self.assertEqual(fetched, head)
        self.assertEqual(len(self.world.token_requests("refresh_token")), 1)
        self.assertEqual(len(self.world.requests("/oauth2/devicecode")), 1)


if __name__ == "__main__":
    harness.main()  # exit 77 (SKIP) when every test was skipped
