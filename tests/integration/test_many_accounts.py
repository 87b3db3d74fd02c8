#!/usr/bin/python3
"""A Secret Service holding thousands of accounts (issue 12): the lookup by account finds
the right one, `list` shows them all once, and a logout removes one and leaves the rest.
Correctness, not speed: bench/ratios.py times the same lookups.

The accounts are aadcred's own stored item multiplied into a keyring file gnome-keyring
starts with (keyring_file.py): storing thousands through D-Bus takes far too long.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import keyring_file  # noqa: E402
from harness import ALICE, CLIENT_ID, RESOURCE, WorldTestCase  # noqa: E402

ACCOUNTS = 3000
STORE_ONLY = {"AADCRED_HOT_CACHE": "off"}
FAR_FUTURE = "2099-01-01 00:00:00.000000"


def user(i):
    return f"user{i}@contoso.com"


class ManyAccountsTest(WorldTestCase):
    world_options = {"keyring": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        world = cls.world
        entry = {"tokenType": "Bearer", "expiresIn": 3600, "expiresOn": FAR_FUTURE,
                 "resource": RESOURCE, "accessToken": "AT-alice", "refreshToken": "RT-alice",
                 "userId": ALICE, "isUserIdDisplayable": True, "isMRRT": True,
                 "_clientId": CLIENT_ID, "_authority": world.authority_url}
        cls.template = keyring_file.stored_item(world, cls.base(), entry)

    @classmethod
    def base(cls):
        return [harness.binary("aadcred"), "--authority", cls.world.authority_url,
                "--client-id", CLIENT_ID, "--ca-file", cls.world.ca, "--store",
                "secret-service"]

    def setUp(self):
        super().setUp()
        # Each test gets its own Secret Service, started from the same keyring file:
        # removing thousands of items one by one through gnome-keyring would take far
        # longer than loading them again.
        service = self.world.extra_secret_service(keyring_file.textual_keyring(
            keyring_file.clones(self.template, ACCOUNTS, user)))
        self.addCleanup(service.stop)
        self.service_env = service.env_overrides

    def aadcred(self, *args):
        return self.world.run(self.base() + list(args), env=dict(STORE_ONLY, **self.service_env))

    def token(self, who):
        return self.aadcred("token", "--no-prompt", "--resource", RESOURCE, "--user", who)

    def listed_users(self):
        result = self.aadcred("list")
        self.assertEqual(result.returncode, 0, result.stderr)
        return [line.split()[0] for line in result.stdout.splitlines() if line.strip()]

    def test_lookup_by_account_finds_its_own_token(self):
        for who, token in ((ALICE, "AT-alice"), (user(1), "AT-1"),
                           (user(ACCOUNTS - 1), f"AT-{ACCOUNTS - 1}")):
            result = self.token(who)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stdout.strip(), token)
        self.assertEqual(self.world.token_requests(), [])

    def test_an_account_not_among_them_needs_a_sign_in(self):
        result = self.token(user(ACCOUNTS))
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertEqual(self.world.token_requests(), [])

    def test_list_shows_every_account_once(self):
        users = self.listed_users()
        self.assertEqual(len(users), ACCOUNTS)
        self.assertEqual(set(users), {ALICE} | {user(i) for i in range(1, ACCOUNTS)})

    def test_logout_of_one_account_leaves_the_others(self):
        result = self.aadcred("logout", "--user", user(7))
        self.assertEqual(result.returncode, 0, result.stderr)
        users = self.listed_users()
        self.assertEqual(len(users), ACCOUNTS - 1)
        self.assertNotIn(user(7), users)
        self.assertEqual(self.token(user(8)).stdout.strip(), "AT-8")


if __name__ == "__main__":
    unittest.main(verbosity=2)
