#!/usr/bin/python3
"""pam_aadcred's host-wide key cache (issue 10): the authority's openid configuration and
JWKS are kept in a directory between logins (key_cache=DIR; /var/cache/aadcred/keys by
default for root), so a warm host's login asks the authority only for the device code and
the token; a rolled-over signing key is still picked up, an unknown kid refetches at most
once per five minutes, and a directory another user could write is not used.

The real module under pam_wrapper and pamtester, as test_pam.py runs it, against the local
authority, whose request log says what each login asked for. validate_authority=false
takes instance discovery (a cache of its own, not this one) out of the counts.
"""
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
from test_pam import AUTH_ERR, SERVICE_ERR, PamTestCase  # noqa: E402

OK = "successfully authenticated"
KEYS = "/discovery/keys"
DISCOVERY = "/.well-known/openid-configuration"


def documents(paths):
    """The openid configuration and JWKS requests among a login's, tenant cut off."""
    return [end for p in paths for end in (DISCOVERY, KEYS) if p.endswith(end)]


class KeyCacheTest(PamTestCase):
    def setUp(self):
        super().setUp()
        # What the module makes as root: a 0755 directory of the effective uid.
        self.cache = Path(tempfile.mkdtemp(prefix="aadcred-keys-", dir=self.world.tmp))
        self.cache.chmod(0o755)

    def login(self, key_cache=None, **args):
        """One login; returns (pamtester result, the paths the authority was asked for)."""
        self.service(self.auth_args(validate_authority="false",
                                    key_cache=key_cache or str(self.cache), **args))
        before = len(self.world.requests())
        result = self.pamtester("authenticate")
        return result, [r["path"] for r in self.world.requests()[before:]]

    def assert_only_code_and_token(self, paths):
        self.assertTrue(paths, "the login asked for nothing")
        others = [p for p in paths if not p.endswith(("/oauth2/devicecode", "/oauth2/token"))]
        self.assertEqual(others, [], paths)

    def cache_files(self):
        return sorted(self.cache.iterdir())

    def test_a_warm_host_asks_only_for_the_code_and_the_token(self):
        first, paths = self.login()
        self.assert_pam(first, OK, 0)
        self.assertEqual(documents(paths), [DISCOVERY, KEYS], paths)
        files = self.cache_files()
        self.assertEqual(len(files), 1, files)
        self.assertEqual(files[0].stat().st_mode & 0o7777, 0o644)
        self.assertIn('"keys"', json.loads(files[0].read_text())["jwks"])
        for _ in range(2):
            again, paths = self.login()
            self.assert_pam(again, OK, 0)
            self.assert_only_code_and_token(paths)

    def test_a_rotated_signing_key_is_picked_up(self):
        self.assert_pam(self.login()[0], OK, 0)
        self.world.control("rotate_keys", {})
        rotated, paths = self.login()
        self.assert_pam(rotated, OK, 0)
        # The keys only, once: the cached openid configuration still holds.
        self.assertEqual(documents(paths), [KEYS], paths)
        after, paths = self.login()
        self.assert_pam(after, OK, 0)
        self.assert_only_code_and_token(paths)

    def test_an_unknown_kid_soon_after_a_refetch_costs_no_request(self):
        self.assert_pam(self.login()[0], OK, 0)
        self.world.control("rotate_keys", {})
        self.assert_pam(self.login()[0], OK, 0)  # the one refetch
        self.world.control("rotate_keys", {})
        refused, paths = self.login()
        self.assert_pam(refused, AUTH_ERR, 1)
        self.assertIn("no signing key with this kid", refused.output)
        self.assertNotIn(OK, refused.output)
        self.assert_only_code_and_token(paths)
        # Five minutes later (the file's clock set back, not a sleep) it is asked again.
        (path,) = self.cache_files()
        entry = json.loads(path.read_text())
        entry["key_refresh"] -= 301
        path.write_text(json.dumps(entry))
        later, paths = self.login()
        self.assert_pam(later, OK, 0)
        self.assertEqual(documents(paths), [KEYS], paths)

    def test_a_directory_others_may_write_is_not_used(self):
        for mode in (0o777, 0o775):
            with self.subTest(mode=oct(mode)):
                self.cache.chmod(mode)
                for _ in range(2):
                    result, paths = self.login()
                    self.assert_pam(result, OK, 0)
                    self.assertIn(f"The key cache {self.cache} is not used", result.output)
                    self.assertIn("group or others may write", result.output)
                    self.assertIn(KEYS, documents(paths))  # fetched each time, as without
                self.assertEqual(self.cache_files(), [])

    def test_a_planted_cache_file_is_not_believed(self):
        self.assert_pam(self.login()[0], OK, 0)
        (path,) = self.cache_files()
        path.chmod(0o666)  # anyone could have put their own keys in it
        result, paths = self.login()
        self.assert_pam(result, OK, 0)
        self.assertIn(KEYS, documents(paths))
        self.assertEqual(path.stat().st_mode & 0o7777, 0o644)  # replaced by a good copy

    def test_key_cache_none_fetches_every_login(self):
        for _ in range(2):
            result, paths = self.login(key_cache="none")
            self.assert_pam(result, OK, 0)
            self.assertIn(KEYS, documents(paths))
        self.assertEqual(self.cache_files(), [])

    def test_a_missing_directory_is_made_0755(self):
        made = self.cache / "var" / "cache" / "keys"
        self.assert_pam(self.login(key_cache=str(made))[0], OK, 0)
        for d in (made, made.parent, made.parent.parent):
            self.assertEqual(d.stat().st_mode & 0o7777, 0o755, d)
            self.assertEqual(d.stat().st_uid, os.geteuid(), d)
        self.assertEqual(len(list(made.iterdir())), 1)
        _, paths = self.login(key_cache=str(made))
        self.assert_only_code_and_token(paths)

    def test_a_relative_key_cache_is_a_configuration_error(self):
        result, paths = self.login(key_cache="var/cache/aadcred")
        self.assert_pam(result, SERVICE_ERR, 1)
        self.assertIn("argument 'key_cache' must be an absolute path or none", result.output)
        self.assertEqual(paths, [])


if __name__ == "__main__":
    harness.main()
