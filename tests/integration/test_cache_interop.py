#!/usr/bin/python3
"""ADAL cache interop (issue 3, SPEC §3 "Token cache", §4 `cache export|import`): a cache
written by python3-adal imports into the Secret Service store and `aadcred token` then uses
it without a device code sign-in; `aadcred cache export` reads back in python3-adal's
TokenCache with the same entries; `list` works without --resource.
"""
import json
import os
import stat
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ALICE, CLIENT_ID, PYTHON, RESOURCE, WorldTestCase, skip_unless  # noqa: E402

SCHEMA = "org.aadcred.Token"

# Runs in Debian's Python with the world's environment (no proxies, private HOME).
# argv: authority url, CA file, mode ("sign-in" or "synthetic"), output file.
ADAL_WRITER = r"""
import json, sys, threading, adal
authority, ca, mode, out = sys.argv[1:5]
RES, CID, USER = sys.argv[5:8]
cache = adal.TokenCache()
if mode == "sign-in":
    ctx = adal.AuthenticationContext(authority, validate_authority=False, verify_ssl=ca,
                                     cache=cache, timeout=20,
                                     proxies={"http": None, "https": None})
    code = ctx.acquire_user_code(RES, CID)
    token = ctx.acquire_token_with_device_code(RES, code, CID)
    # Expired, as after a night: whoever reads this cache must use the refresh token.
    entry = dict(token)
    cache.remove([token])
    entry["expiresOn"] = "2001-01-01 00:00:00.000000"
    cache.add([entry])
else:
    cache.add([{"tokenType": "Bearer", "expiresIn": 3599,
                "expiresOn": "2099-01-01 10:00:00.000000", "resource": RES,
                "accessToken": "AT-from-adal", "refreshToken": "RT-from-adal",
                "userId": USER, "isUserIdDisplayable": True, "isMRRT": True,
                "_clientId": CID, "_authority": authority}])
with open(out, "w") as f:
    f.write(cache.serialize())
"""

# argv: the file `aadcred cache export` wrote. Prints read_items() as JSON.
ADAL_READER = r"""
import json, sys, adal
cache = adal.TokenCache(open(sys.argv[1]).read())
items = [{"key": [k.authority, k.resource, k.client_id, k.user_id], "entry": v}
         for k, v in cache.read_items()]
print(json.dumps(items))
"""


class CacheInteropTest(WorldTestCase):
    world_options = {"keyring": True}

    def setUp(self):
        super().setUp()
        self.world.secret_tool("clear", "xdg:schema", SCHEMA)

    def adal_cache(self, mode):
        skip_unless("python3-adal")
        path = self.world.tmp / f"adal-{mode}.json"
        result = self.world.run(
            [PYTHON, "-c", ADAL_WRITER, self.world.authority_url, self.world.ca, mode,
             str(path), RESOURCE, CLIENT_ID, ALICE], timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        return path

    def aadcred(self, *args, **kwargs):
        return self.world.aadcred("--store", "secret-service", *args, **kwargs)

    def test_adal_cache_import_then_silent_token(self):
        self.world.behaviour(approve_after_polls=0, user=ALICE)
        path = self.adal_cache("sign-in")
        # Not reset: that would forget the refresh token the authority issued to ADAL.
        device_codes = len(self.world.requests("/devicecode"))
        refreshes = len(self.world.token_requests("refresh_token"))

        result = self.aadcred("cache", "import", str(path))  # no --resource: not needed
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("imported 1 entry", result.stderr)

        result = self.aadcred("--resource", RESOURCE, "token", "--no-prompt", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        token = json.loads(result.stdout)
        self.assertEqual(token["userId"], ALICE)
        self.assertTrue(self.world.introspect(token["accessToken"]).get("active"))
        # Refreshed with ADAL's refresh token; no device code sign-in at all.
        self.assertEqual(len(self.world.requests("/devicecode")), device_codes)
        self.assertEqual(len(self.world.token_requests("refresh_token")), refreshes + 1)

    def test_import_from_stdin_and_warm_token(self):
        path = self.adal_cache("synthetic")
        result = self.aadcred("cache", "import", "-", input=path.read_text())
        self.assertEqual(result.returncode, 0, result.stderr)
        result = self.aadcred("--resource", RESOURCE, "token", "--no-prompt")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "AT-from-adal\n")
        self.assertEqual(self.world.requests("/devicecode"), [])
        self.assertEqual(self.world.token_requests(), [])

    def test_export_reads_in_adal(self):
        self.world.behaviour(approve_after_polls=0, user=ALICE)
        signed_in = self.aadcred("--resource", RESOURCE, "token", "--json")
        self.assertEqual(signed_in.returncode, 0, signed_in.stderr)
        token = json.loads(signed_in.stdout)

        out = self.world.tmp / "exported.json"
        result = self.aadcred("cache", "export", str(out))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(stat.S_IMODE(out.stat().st_mode), 0o600)
        skip_unless("python3-adal")
        result = self.world.run([PYTHON, "-c", ADAL_READER, str(out)])
        self.assertEqual(result.returncode, 0, result.stderr)
        items = json.loads(result.stdout)
        self.assertEqual(len(items), 1)
        key, entry = items[0]["key"], items[0]["entry"]
        self.assertEqual(key, [token["_authority"], RESOURCE, CLIENT_ID, ALICE])
        for name in ("accessToken", "refreshToken", "expiresOn", "userId", "tenantId",
                     "isMRRT", "_clientId", "_authority"):
            self.assertEqual(entry[name], token[name], name)

        # stdout export is the same JSON, and round-trips through import unchanged.
        piped = self.aadcred("cache", "export")
        self.assertEqual(piped.returncode, 0, piped.stderr)
        self.assertEqual(piped.stdout, out.read_text())

    def test_list_without_resource(self):
        path = self.adal_cache("synthetic")
        self.assertEqual(self.aadcred("cache", "import", str(path)).returncode, 0)
        result = self.aadcred("list", "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        accounts = json.loads(result.stdout)
        self.assertEqual([a["userId"] for a in accounts], [ALICE])
        self.assertNotIn("AT-from-adal", result.stdout)
        result = self.aadcred("logout", "--all")
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_bad_cache_is_refused_and_stores_nothing(self):
        result = self.aadcred("cache", "import", "-", input='[{"accessToken": "x"}]')
        self.assertEqual(result.returncode, 2, result.stderr)  # bad input, like a bad option
        self.assertIn("_authority", result.stderr)
        self.assertEqual(json.loads(self.aadcred("list", "--json").stdout), [])

    def test_device_token_saves_to_store(self):
        self.world.behaviour(approve_after_polls=0, user=ALICE)
        code = self.aadcred("--resource", RESOURCE, "user-code")
        self.assertEqual(code.returncode, 0, code.stderr)
        result = self.aadcred("--resource", RESOURCE, "device-token", "--user-code-info", "-",
                              input=code.stdout)
        self.assertEqual(result.returncode, 0, result.stderr)
        access_token = result.stdout.rstrip("\n")
        warm = self.aadcred("--resource", RESOURCE, "token", "--no-prompt")
        self.assertEqual(warm.returncode, 0, warm.stderr)
        self.assertEqual(warm.stdout.rstrip("\n"), access_token)

    def test_device_token_no_store(self):
        self.world.behaviour(approve_after_polls=0, user=ALICE)
        code = self.aadcred("--resource", RESOURCE, "user-code")
        self.assertEqual(code.returncode, 0, code.stderr)
        result = self.aadcred("--resource", RESOURCE, "device-token", "--no-store",
                              "--user-code-info", "-", input=code.stdout)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(self.world.introspect(result.stdout.strip()).get("active"))
        cold = self.aadcred("--resource", RESOURCE, "token", "--no-prompt")
        self.assertEqual(cold.returncode, 3, cold.stderr)


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
