#!/usr/bin/python3
"""A warm token maps no libcurl and no libxml2 (issue 12): libaadcred loads libcurl (and
the TLS stack it brings) only when a request must go on the wire, and libxml2 only for a
federated (WS-Trust) sign-in. The dynamic loader says what it loads with LD_DEBUG=files,
dlopen'ed libraries included: a warm `aadcred token` and a warm git-credential-aadcred
get load neither; a sign-in, or a refresh for another resource, loads libcurl (the
control: the check can see it) and still no libxml2.

libsecret, GLib, GObject and GIO likewise: loaded when the Secret Service store is opened
(or a desktop notification shown), so a run with the file, memory or kernel keyring store
loads none of them, sign-in included; a run with the Secret Service loads libsecret (the
control), and a libsecret that cannot be loaded is a clear "No Secret Service" error, from
which `--store auto` goes on to the kernel keyring. A warm token from the hot cache
(src/cache/hot_cache.hpp) loads neither libsecret nor libcurl: no D-Bus at all.
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


GLIB_SONAMES = ("libsecret-1.so", "libglib-2.0.so", "libgobject-2.0.so", "libgio-2.0.so")


def loaded_glib(stderr):
    """Which of libsecret, GLib, GObject and GIO the run loaded."""
    return [soname for soname in GLIB_SONAMES if loaded(stderr, soname)]


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
        # The file store: neither the sign-in nor the warm token loads GLib or libsecret.
        self.assertEqual(loaded_glib(first.stderr), [])
        self.assertEqual(loaded_glib(warm.stderr), [])

    def test_the_memory_store_loads_no_libsecret_or_glib(self):
        signed_in = self.world.aadcred("--store", "memory", "--flow", "device", "token",
                                       "--resource", RESOURCE, env={"LD_DEBUG": "files"})
        self.assertEqual(signed_in.returncode, 0, signed_in.stderr[-2000:])
        self.assertTrue(loaded_curl(signed_in.stderr))  # the control: the check sees loads
        self.assertEqual(loaded_glib(signed_in.stderr), [])

    def test_the_kernel_keyring_loads_no_libsecret_or_glib(self):
        if self.world.kernel_keyring_problem:
            self.skipTest(self.world.kernel_keyring_problem)
        runs = [self.world.aadcred("--store", "keyring", "--flow", "device", "token",
                                   "--resource", RESOURCE, env={"LD_DEBUG": "files"})
                for _ in range(2)]  # a sign-in, then the warm token
        for run in runs:
            self.assertEqual(run.returncode, 0, run.stderr[-2000:])
            self.assertEqual(loaded_glib(run.stderr), [])
        self.assertEqual(runs[0].stdout, runs[1].stdout)
        self.assertFalse(loaded_curl(runs[1].stderr))

    def test_auto_without_a_session_bus_loads_no_libsecret(self):
        # This world has no bus: no DBUS_SESSION_BUS_ADDRESS, no $XDG_RUNTIME_DIR/bus and
        # no DISPLAY. `auto` goes to the kernel keyring without loading GLib to learn that.
        if self.world.kernel_keyring_problem:
            self.skipTest(self.world.kernel_keyring_problem)
        runs = [self.world.aadcred("--store", "auto", "--flow", "device", "token",
                                   "--resource", RESOURCE, env={"LD_DEBUG": "files"})
                for _ in range(2)]
        for run in runs:
            self.assertEqual(run.returncode, 0, run.stderr[-2000:])
            self.assertEqual(loaded_glib(run.stderr), [])
        self.assertIn("no Secret Service (no D-Bus session bus", runs[0].stderr)
        self.assertEqual(runs[0].stdout, runs[1].stdout)

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
        self.assertEqual(loaded_glib(warm.stderr), [])


class SecretServiceLoadsTest(WorldTestCase):
    """With a Secret Service (gnome-keyring on the tests' private bus)."""
    world_options = {"keyring": True}

    def setUp(self):
        super().setUp()
        self.world.behaviour(approve_after_polls=0)

    def token(self, store, env=None):
        return self.world.aadcred("--store", store, "--flow", "device", "token",
                                  "--resource", RESOURCE, env=env)

    def test_the_secret_service_store_loads_libsecret_and_a_warm_token_no_libcurl(self):
        self.assertEqual(self.token("secret-service").returncode, 0)
        # The hot cache off: the warm token comes from the Secret Service itself.
        warm = self.token("secret-service", env={"LD_DEBUG": "files", "AADCRED_HOT_CACHE": "off"})
        self.assertEqual(warm.returncode, 0, warm.stderr[-2000:])
        self.assertEqual(loaded_glib(warm.stderr), list(GLIB_SONAMES))
        self.assertFalse(loaded_curl(warm.stderr))

    def test_a_hot_token_loads_neither_libsecret_nor_libcurl(self):
        if self.world.kernel_keyring_problem:
            self.skipTest(self.world.kernel_keyring_problem)
        signed_in = self.token("secret-service")
        self.assertEqual(signed_in.returncode, 0, signed_in.stderr)
        for store in ("secret-service", "auto"):
            hot = self.token(store, env={"LD_DEBUG": "files"})
            self.assertEqual(hot.returncode, 0, hot.stderr[-2000:])
            self.assertEqual(hot.stdout, signed_in.stdout)
            self.assertEqual(loaded_glib(hot.stderr), [], store)  # no D-Bus round trip
            self.assertFalse(loaded_curl(hot.stderr), store)

    def test_a_libsecret_that_cannot_load_is_named(self):
        # The loader looks in LD_LIBRARY_PATH first: there, a libsecret-1.so.0 that is no
        # library at all, as a broken or half-removed installation would have.
        broken = self.world.tmp / "broken-libsecret"
        broken.mkdir(exist_ok=True)
        (broken / "libsecret-1.so.0").write_text("not a library\n")
        env = {"LD_LIBRARY_PATH": str(broken)}
        refused = self.token("secret-service", env=env)
        self.assertNotEqual(refused.returncode, 0)
        self.assertIn("No Secret Service: cannot load libsecret-1.so.0", refused.stderr)
        if self.world.kernel_keyring_problem:
            return  # auto has nowhere else to go
        fallback = self.token("auto", env=env)
        self.assertEqual(fallback.returncode, 0, fallback.stderr[-2000:])
        self.assertIn("no Secret Service (cannot load libsecret-1.so.0", fallback.stderr)
        self.assertIn("using the kernel keyring", fallback.stderr)


if __name__ == "__main__":
    from harness import main
    main()
