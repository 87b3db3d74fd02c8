#!/usr/bin/python3
"""`aadcred` with the Secret Service (a private gnome-keyring on a private bus): tokens are
stored after sign-in, served warm without a request, refreshed with rotating refresh
tokens, listed without secrets and removed by logout (SPEC §4, §7).
"""
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ALICE, BOB, CLIENT_ID, RESOURCE, WorldTestCase, binary  # noqa: E402

SCHEMA = "org.aadcred.Token"
OTHER_CLIENT = "11111111-2222-3333-4444-555555555555"


class StoreTest(WorldTestCase):
    world_options = {"keyring": True}

    def setUp(self):
        super().setUp()
        self.world.secret_tool("clear", "xdg:schema", SCHEMA)

    def aadcred(self, *args, **kwargs):
        return self.world.aadcred("--store", "secret-service", "--resource", RESOURCE, *args,
                                  **kwargs)

    def sign_in(self, **behaviour):
        """A device code sign-in approved at the first poll; returns the token object."""
        self.world.behaviour(approve_after_polls=0, user=ALICE, **behaviour)
        result = self.aadcred("token", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("enter the code", result.stderr)
        return json.loads(result.stdout)

    def access_token(self):
        result = self.aadcred("token")
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.rstrip("\n")

    def stored_items(self):
        result = self.world.secret_tool("search", "--all", "xdg:schema", SCHEMA)
        return result.stdout + result.stderr

    def redeem_refresh_token(self, refresh_token):
        """Posts a refresh_token grant straight to the authority: (status, reply)."""
        form = urllib.parse.urlencode({
            "grant_type": "refresh_token", "client_id": CLIENT_ID, "resource": RESOURCE,
            "refresh_token": refresh_token}).encode()
        req = urllib.request.Request(f"{self.world.authority_url}/oauth2/token", data=form)
        ctx = ssl.create_default_context(cafile=self.world.ca)
        try:
            with urllib.request.urlopen(req, context=ctx, timeout=30) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def test_sign_in_stores_the_token(self):
        token = self.sign_in()
        items = self.stored_items()
        self.assertIn(f"aadcred: {ALICE} ({RESOURCE})", items)  # the label (SPEC §7)
        self.assertIn(f"attribute.user_id = {ALICE}", items)
        self.assertIn(f"attribute.client_id = {CLIENT_ID}", items)
        self.assertIn(token["refreshToken"], items)  # the secret is the ADAL entry

    def test_warm_token_makes_no_request(self):
        token = self.sign_in()
        before = len(self.world.requests())
        self.assertEqual(self.access_token(), token["accessToken"])
        self.assertEqual(len(self.world.requests()), before)

    def test_refresh_after_expiry(self):
        # 60 s is inside the 5 minutes of validity a cached token must have left.
        token = self.sign_in(access_token_lifetime=60)
        fresh = self.access_token()
        self.assertNotEqual(fresh, token["accessToken"])
        self.assertTrue(self.world.introspect(fresh)["active"])
        refreshes = self.world.token_requests("refresh_token")
        self.assertEqual(len(refreshes), 1)
        self.assertEqual(refreshes[0]["form"]["refresh_token"], token["refreshToken"])
        self.assertEqual(self.world.requests("/devicecode")[1:], [])  # no second sign-in

    def test_refresh_token_rotation(self):
        token = self.sign_in(access_token_lifetime=60)
        self.access_token()
        self.access_token()
        used = [r["form"]["refresh_token"] for r in self.world.token_requests("refresh_token")]
        self.assertEqual(len(used), 2)
        self.assertEqual(used[0], token["refreshToken"])
        self.assertNotEqual(used[1], used[0])  # the second refresh used the rotated one
        status, reply = self.redeem_refresh_token(used[0])
        self.assertEqual(status, 400)
        self.assertEqual(reply["error"], "invalid_grant")

    def test_list_shows_accounts_never_secrets(self):
        token = self.sign_in()
        listing = self.aadcred("list")
        self.assertEqual(listing.returncode, 0, listing.stderr)
        lines = listing.stdout.splitlines()
        self.assertEqual(len(lines), 1, listing.stdout)
        self.assertTrue(lines[0].startswith(ALICE + "  " + RESOURCE + "  "), lines[0])
        as_json = self.aadcred("list", "--json")
        self.assertEqual(as_json.returncode, 0, as_json.stderr)
        accounts = json.loads(as_json.stdout)
        self.assertEqual([a["userId"] for a in accounts], [ALICE])
        self.assertEqual(accounts[0]["resource"], RESOURCE)
        for output in (listing.stdout + listing.stderr, as_json.stdout + as_json.stderr):
            self.assertNotIn(token["accessToken"], output)
            self.assertNotIn(token["refreshToken"], output)

    def test_list_empty_store(self):
        result = self.aadcred("list")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("no accounts", result.stderr)

    def test_logout_user(self):
        self.sign_in()
        result = self.aadcred("logout", "--user", ALICE)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("removed 1 token", result.stdout)
        self.assertNotIn(ALICE, self.stored_items())
        again = self.aadcred("token", "--no-prompt")
        self.assertEqual(again.returncode, 3, again.stderr)

    def test_logout_all(self):
        self.sign_in()
        result = self.aadcred("logout", "--all")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"^removed [1-9]\d* tokens? from secret-service\n$")
        self.assertNotIn(ALICE, self.stored_items())

    def test_list_cache_and_logout_all_need_no_authority_or_client_id(self):
        # Issue 11: two accounts of different authorities and clients; a config file that
        # names only the store, and no AADCRED_AUTHORITY or AADCRED_CLIENT_ID.
        self.sign_in()
        self.world.behaviour(approve_after_polls=0, user=BOB)
        other = self.world.run([binary("aadcred"), "--authority",
                                f"{self.world.authority_base}/fabrikam", "--client-id",
                                OTHER_CLIENT, "--ca-file", self.world.ca, "--store",
                                "secret-service", "--resource", RESOURCE, "token"])
        self.assertEqual(other.returncode, 0, other.stderr)
        config = self.world.home / ".config" / "aadcred" / "config"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text("[default]\nstore = secret-service\n")
        self.addCleanup(config.unlink)
        bare = [binary("aadcred")]

        listing = self.world.run([*bare, "list", "--json"])
        self.assertEqual(listing.returncode, 0, listing.stderr)
        accounts = {(a["userId"], a["clientId"]) for a in json.loads(listing.stdout)}
        self.assertEqual(accounts, {(ALICE, CLIENT_ID), (BOB, OTHER_CLIENT)})
        plain = self.world.run([*bare, "list"])
        self.assertEqual(plain.returncode, 0, plain.stderr)
        self.assertEqual(len(plain.stdout.splitlines()), 2, plain.stdout)

        # Nor does the whole store's hand-off (cache export and import).
        exported = self.world.run([*bare, "cache", "export"])
        self.assertEqual(exported.returncode, 0, exported.stderr)
        entries = json.loads(exported.stdout)
        self.assertEqual({(e["userId"], e["_clientId"]) for e in entries},
                         {(ALICE, CLIENT_ID), (BOB, OTHER_CLIENT)})
        for entry in entries:
            entry["accessToken"] = "AT-imported-" + entry["userId"]
        imported = self.world.run([*bare, "cache", "import", "-"], input=json.dumps(entries))
        self.assertEqual(imported.returncode, 0, imported.stderr)
        again = json.loads(self.world.run([*bare, "cache", "export"]).stdout)
        self.assertEqual(sorted(e["accessToken"] for e in again),
                         sorted("AT-imported-" + e["userId"] for e in entries))

        # One user's tokens are those of an authority and client: still asked for.
        one = self.world.run([*bare, "logout", "--user", ALICE])
        self.assertEqual(one.returncode, 2, one.stderr)
        self.assertIn("--authority", one.stderr)

        result = self.world.run([*bare, "logout", "--all"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "removed 2 tokens from secret-service\n")
        self.assertNotIn(ALICE, self.stored_items())
        self.assertNotIn(BOB, self.stored_items())
        empty = self.world.run([*bare, "list", "--json"])
        self.assertEqual((empty.returncode, empty.stdout), (0, "[]\n"), empty.stderr)

    def test_no_dbus_is_a_clear_and_fast_error(self):
        dead = {"DBUS_SESSION_BUS_ADDRESS": f"unix:path={self.world.tmp}/no-such-bus"}
        started = time.monotonic()
        result = self.aadcred("token", env=dead, timeout=30)
        self.assertLess(time.monotonic() - started, 20)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertRegex(result.stderr.lower(), r"secret service|d-bus|dbus")
        self.assertEqual(self.world.requests("/devicecode"), [])  # failed before a sign-in


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
