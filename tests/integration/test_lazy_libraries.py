#!/usr/bin/python3
"""A warm token maps no libcurl and no libxml2 (issue 12): libaadcred loads libcurl (and
the TLS stack it brings) only when a request must go on the wire, and libxml2 only for a
federated (WS-Trust) sign-in. The dynamic loader says what it loads with LD_DEBUG=files,
dlopen'ed libraries included: a warm `aadcred token` and a warm git-credential-aadcred
get load neither; a sign-in, or a refresh for another resource, loads libcurl (the
control: the check can see it) and still no libxml2.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import RESOURCE, WorldTestCase, binary  # noqa: E402

GRAPH = "https://graph.microsoft.com/"


def loaded(stderr, soname):
    return any(soname in line and "file=" in line for line in stderr.splitlines())


def loaded_curl(stderr):
    return loaded(stderr, "libcurl.so")


class LazyLibrariesTest(WorldTestCase):
    world_options = {"keyring": False, "git": True}

    def setUp(self):
        super().setUp()
        self.store = "file:" + str(self.world.tmp / ("%s.json" % self._testMethodName))
        self.world.behaviour(approve_after_polls=0)

    def token(self, resource=RESOURCE, env=None):
        return self.world.aadcred("--store", self.store, "--flow", "device", "token",
                                  "--resource", resource, env=env)

    def test_a_warm_token_loads_no_libcurl(self):
        first = self.token(env={"LD_DEBUG": "files"})
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertTrue(loaded_curl(first.stderr), "the sign-in should load libcurl")
        self.assertFalse(loaded(first.stderr, "libxml2.so"))
        warm = self.token(env={"LD_DEBUG": "files"})
        self.assertEqual(warm.returncode, 0, warm.stderr)
        self.assertEqual(warm.stdout, first.stdout)
        self.assertFalse(loaded_curl(warm.stderr), warm.stderr[-2000:])
        self.assertFalse(loaded(warm.stderr, "libxml2.so"))

    def test_a_refresh_loads_libcurl_when_it_needs_it(self):
        self.assertEqual(self.token().returncode, 0)
        other = self.token(GRAPH, env={"LD_DEBUG": "files"})  # the MRRT refresh goes out
        self.assertEqual(other.returncode, 0, other.stderr)
        self.assertTrue(loaded_curl(other.stderr))

    def test_a_warm_git_fill_loads_no_libcurl(self):
        self.world.configure_helper(store=self.store)
        host = self.world.git_server.url.split("://", 1)[1]
        request = f"protocol=https\nhost={host}\n\n"
        helper = binary("git-credential-aadcred")
        first = self.world.run([helper, "get"], input=request)
        self.assertEqual(first.returncode, 0, first.stderr)
        warm = self.world.run([helper, "get"], input=request, env={"LD_DEBUG": "files"})
        self.assertEqual(warm.returncode, 0, warm.stderr[-2000:])
        self.assertIn("password=", warm.stdout)
        self.assertFalse(loaded_curl(warm.stderr), warm.stderr[-2000:])


if __name__ == "__main__":
    from harness import main
    main()
