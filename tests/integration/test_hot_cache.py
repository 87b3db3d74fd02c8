#!/usr/bin/python3
"""The hot cache (issue 12, src/cache/hot_cache.hpp): a warm `aadcred token` or git fill
is answered from the user's kernel keyring without the Secret Service, and what it answers
follows the store: logout, git's erase, an import and another process's refresh all
replace or drop the hot token. The refresh token never leaves the store.

The world's kernel keyring is a session keyring of this run alone (AADCRED_KEYRING=session),
so the hot keyring is this run's "aadcred-hot" there.
"""
import json
import os
import re
import subprocess
import sys
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
from harness import ALICE, RESOURCE, WorldTestCase  # noqa: E402
from test_git_protocol import scrub_git_tls_environment  # noqa: E402

LOGGED_OUT = 3  # `aadcred token --no-prompt` when a sign-in is needed


def keyctl(*args):
    return subprocess.run(["keyctl", *args], capture_output=True, text=True, timeout=30)


def hot_keys():
    """(description, perm, payload, /proc/keys line) of each key in this run's hot keyring."""
    found = keyctl("search", "@s", "keyring", "aadcred-hot")
    if found.returncode != 0:
        return []
    keys = []
    listed = keyctl("rlist", found.stdout.strip())
    for serial in listed.stdout.split():
        _type, _uid, _gid, perm, description = keyctl("rdescribe", serial).stdout.strip().split(
            ";", 4)
        payload = subprocess.run(["keyctl", "pipe", serial], capture_output=True, timeout=30)
        proc = [line for line in Path("/proc/keys").read_text().splitlines()
                if line.split()[0] == "%08x" % int(serial)]
        keys.append((description, int(perm, 16), payload.stdout.decode(), proc[0]))
    return keys


class HotCacheTest(WorldTestCase):
    world_options = {"keyring": True, "git": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if cls.world.kernel_keyring_problem:
            raise unittest.SkipTest(cls.world.kernel_keyring_problem)
        scrub_git_tls_environment(cls.world)
        cls.world.configure_helper()
        cls.host = cls.world.git_server.url.split("://", 1)[1]

    def setUp(self):
        super().setUp()
        self.world.secret_tool("clear", "xdg:schema", "org.aadcred.Token")

    def sign_in(self, **behaviour):
        """A device code sign-in (with --json, which never uses the hot cache); then one
        plain `aadcred token`, which reads the store and fills the hot cache."""
        self.world.behaviour(approve_after_polls=0, user=ALICE, **behaviour)
        signed_in = self.world.aadcred("--resource", RESOURCE, "token", "--json")
        self.assertEqual(signed_in.returncode, 0, signed_in.stderr)
        token = json.loads(signed_in.stdout)
        self.assertEqual(self.token(), token["accessToken"])
        return token

    def token(self, *extra, env=None):
        result = self.world.aadcred("--resource", RESOURCE, "token", "--no-prompt", *extra,
                                    env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.rstrip("\n")

    def git_credential(self, action, *extra, env=None):
        lines = ["protocol=https", f"host={self.host}", *extra]
        return self.world.run(["git", "credential", action], input="\n".join(lines) + "\n\n",
                              env=env)

    def test_the_hot_cache_holds_the_access_token_only_and_for_its_owner(self):
        token = self.sign_in()
        keys = hot_keys()
        self.assertEqual(len(keys), 1, keys)
        description, perm, payload, proc_line = keys[0]
        self.assertRegex(description, r"^aadcred-hot:[0-9a-f]{16}$")  # names nobody
        self.assertEqual(json.loads(payload)["accessToken"], token["accessToken"])
        self.assertNotIn("refreshToken", json.loads(payload))
        self.assertNotIn(token["refreshToken"], payload)
        self.assertEqual(perm & 0xFFFF, 0, "group and others get nothing: %08x" % perm)
        # The kernel drops the key when the token expires: it has a timeout, not "perm".
        self.assertNotEqual(proc_line.split()[4], "perm", proc_line)

    def test_a_hot_hit_sets_up_no_openssl(self):
        # An OpenSSL configuration whose loading fails (a provider that does not exist,
        # with diagnostics on): any OpenSSL digest or random number in the process fails.
        conf = self.world.tmp / "openssl-that-fails.cnf"
        conf.write_text("config_diagnostics = 1\nopenssl_conf = init\n[init]\n"
                        "providers = providers\n[providers]\naadcred_missing = missing\n"
                        "[missing]\nactivate = 1\n")
        failing_openssl = {"OPENSSL_CONF": str(conf)}
        token = self.sign_in()
        self.assertEqual(self.token(env=failing_openssl), token["accessToken"])
        fill = self.git_credential("fill", env=dict(failing_openssl, GIT_TERMINAL_PROMPT="0"))
        self.assertEqual(fill.returncode, 0, fill.stderr)
        self.assertIn(f"password={token['accessToken']}\n", fill.stdout)
        # The probe works: the store path does set OpenSSL up (the account lock's name).
        cold = self.world.aadcred("--resource", RESOURCE, "token", "--no-prompt",
                                  env=dict(failing_openssl, AADCRED_HOT_CACHE="off"))
        self.assertNotEqual(cold.returncode, 0, cold.stdout)

    def test_json_still_carries_the_refresh_token(self):
        token = self.sign_in()
        again = self.world.aadcred("--resource", RESOURCE, "token", "--json", "--no-prompt")
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(json.loads(again.stdout)["refreshToken"], token["refreshToken"])

    def test_logout_empties_the_hot_cache(self):
        self.sign_in()
        self.assertEqual(len(hot_keys()), 1)
        out = self.world.aadcred("logout", "--user", ALICE)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(hot_keys(), [])
        again = self.world.aadcred("--resource", RESOURCE, "token", "--no-prompt")
        self.assertEqual(again.returncode, LOGGED_OUT, again.stdout + again.stderr)

    def test_git_erase_drops_the_hot_token(self):
        token = self.sign_in()
        rejected = self.git_credential("reject", "username=aadcred",
                                       f"password={token['accessToken']}")
        self.assertEqual(rejected.returncode, 0, rejected.stderr)
        fresh = self.token()
        self.assertNotEqual(fresh, token["accessToken"])
        self.assertEqual(len(self.world.token_requests("refresh_token")), 1)

    def test_git_erase_drops_the_hot_token_the_store_no_longer_has(self):
        token = self.sign_in()
        # The store emptied behind aadcred's back: the hot token is all that is left...
        subprocess.run(["secret-tool", "clear", "xdg:schema", "org.aadcred.Token"],
                       env=self.world.env, check=True, capture_output=True, timeout=30)
        # ...until the server refuses it.
        rejected = self.git_credential("reject", "username=aadcred",
                                       f"password={token['accessToken']}")
        self.assertEqual(rejected.returncode, 0, rejected.stderr)
        self.assertEqual(hot_keys(), [])
        again = self.world.aadcred("--resource", RESOURCE, "token", "--no-prompt")
        self.assertEqual(again.returncode, LOGGED_OUT, again.stdout + again.stderr)

    def test_another_processs_refresh_replaces_the_hot_token(self):
        # The refreshing process keeps the new token hot itself, or (hot cache off there)
        # only empties the hot cache by writing the store: either way the next call
        # anywhere gets the new token.
        for git_env in (None, {"AADCRED_HOT_CACHE": "off"}):
            with self.subTest(git_env=git_env):
                self.world.secret_tool("clear", "xdg:schema", "org.aadcred.Token")
                # 400 s is enough for the CLI (5 minutes of validity) but not for git (10).
                token = self.sign_in(access_token_lifetime=400)
                self.assertEqual(self.token(), token["accessToken"])  # hot
                filled = self.git_credential("fill", env=git_env)
                self.assertEqual(filled.returncode, 0, filled.stderr)
                refreshed = re.search(r"^password=(.*)$", filled.stdout, re.M).group(1)
                self.assertNotEqual(refreshed, token["accessToken"])
                self.assertEqual(self.token(), refreshed)

    def test_an_import_replaces_the_hot_token(self):
        token = self.sign_in()
        exported = self.world.aadcred("cache", "export", "-")
        self.assertEqual(exported.returncode, 0, exported.stderr)
        entries = json.loads(exported.stdout)
        for entry in entries:
            entry["accessToken"] = "imported-access-token"
            entry["expiresOn"] = "2099-01-01 00:00:00.000000"
        imported = self.world.aadcred("cache", "import", "-", input=json.dumps(entries))
        self.assertEqual(imported.returncode, 0, imported.stderr)
        self.assertEqual(self.token(), "imported-access-token")
        self.assertNotEqual(token["accessToken"], "imported-access-token")

    def test_a_change_behind_aadcreds_back_is_seen_with_the_hot_cache_off(self):
        token = self.sign_in()
        # secret-tool itself, not the world's wrapper (which empties the hot cache).
        cleared = subprocess.run(["secret-tool", "clear", "xdg:schema", "org.aadcred.Token"],
                                 env=self.world.env, capture_output=True, text=True, timeout=30)
        self.assertEqual(cleared.returncode, 0, cleared.stderr)
        # Not seen: the hot token lives on until it expires (hot_cache.hpp says why)...
        self.assertEqual(self.token(), token["accessToken"])
        # ...but AADCRED_HOT_CACHE=off reads the store, which has nothing now.
        off = self.world.aadcred("--resource", RESOURCE, "token", "--no-prompt",
                                 env={"AADCRED_HOT_CACHE": "off"})
        self.assertEqual(off.returncode, LOGGED_OUT, off.stdout + off.stderr)


class WithoutTheSecretServiceTest(WorldTestCase):
    """A hot hit needs no D-Bus: with the session bus (and so gnome-keyring) gone, the warm
    token still comes, while the same call with the hot cache off fails on the store."""
    world_options = {"keyring": True}

    def test_a_warm_token_needs_no_secret_service(self):
        if self.world.kernel_keyring_problem:
            self.skipTest(self.world.kernel_keyring_problem)
        self.world.behaviour(approve_after_polls=0, user=ALICE)
        base = ("--store", "secret-service", "--resource", RESOURCE, "token", "--no-prompt")
        signed_in = self.world.aadcred(*base[:-1])
        self.assertEqual(signed_in.returncode, 0, signed_in.stderr)
        warm = self.world.aadcred(*base)
        self.assertEqual(warm.returncode, 0, warm.stderr)
        self.world.kill_bus()

        hot = self.world.aadcred(*base)
        self.assertEqual(hot.returncode, 0, hot.stderr)
        self.assertEqual(hot.stdout, signed_in.stdout)
        cold = self.world.aadcred(*base, env={"AADCRED_HOT_CACHE": "off"})
        self.assertNotEqual(cold.returncode, 0, cold.stdout)
        self.assertIn("Secret Service", cold.stderr)


class HeadlessTest(WorldTestCase):
    """No session bus, so no Secret Service for a hot cache to mirror: `--store auto` keeps
    tokens in the kernel keyring store, and no "aadcred-hot" keyring is made at all."""
    world_options = {"keyring": False}

    def test_no_hot_keyring_without_a_session_bus(self):
        if self.world.kernel_keyring_problem:
            self.skipTest(self.world.kernel_keyring_problem)
        self.assertNotIn("DBUS_SESSION_BUS_ADDRESS", self.world.env)
        keyctl("unlink", keyctl("search", "@s", "keyring", "aadcred-hot").stdout.strip(), "@s")
        self.world.behaviour(approve_after_polls=0, user=ALICE)
        signed_in = self.world.aadcred("--resource", RESOURCE, "token")
        self.assertEqual(signed_in.returncode, 0, signed_in.stderr)
        warm = self.world.aadcred("--resource", RESOURCE, "token", "--no-prompt")
        self.assertEqual((warm.returncode, warm.stdout), (0, signed_in.stdout), warm.stderr)
        self.assertEqual(len(self.world.token_requests()), 1)  # the warm one came from a store
        self.assertNotEqual(keyctl("search", "@s", "keyring", "aadcred-hot").returncode, 0)


if __name__ == "__main__":
    harness.main()  # exit 77 (SKIP) when every test was skipped
