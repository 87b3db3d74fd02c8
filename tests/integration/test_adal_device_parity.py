#!/usr/bin/python3
"""The device code flow side by side with python3-adal (issue 3), on one local authority:
the user code info, the token dict (keys, types, values but tokens and times), ADAL's
error text for a declined sign-in, and the hand-over of a user code between the two
(ADAL's snake_case dict read by `aadcred device-token`). Also the v2 and OpenID Connect
endpoints through the CLI.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ALICE, CLIENT_ID, RESOURCE, WorldTestCase, binary  # noqa: E402

from harness import require  # noqa: E402

require("python3-adal")  # every test compares with it: the module skips (77) without it
import adal  # noqa: E402  python3-adal, the reference

for _name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE", "http_proxy",
              "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
    os.environ.pop(_name, None)

RANDOM_KEYS = {"accessToken", "refreshToken", "expiresOn"}


class DeviceCodeParityTest(WorldTestCase):
    world_options = {"keyring": False}

    def adal_context(self):
        return adal.AuthenticationContext(self.world.authority_url, validate_authority=False,
                                          verify_ssl=self.world.ca)

    def cli(self, *args, input=None, authority=None):
        argv = [binary("aadcred"), "--authority", authority or self.world.authority_url,
                "--client-id", CLIENT_ID, "--ca-file", self.world.ca, "--no-validate-authority",
                "--store", "memory", *args]
        result = self.world.run(argv, input=input)
        parsed = None
        if result.stdout.strip():
            try:
                parsed = json.loads(result.stdout)
            except ValueError:
                pass
        return result, parsed

    def assert_same_token(self, ours, theirs):
        self.assertEqual(sorted(ours), sorted(theirs))
        for key, value in theirs.items():
            self.assertIs(type(ours[key]), type(value), key)
            if key == "expiresIn":
                self.assertLessEqual(abs(ours[key] - value), 5)
            elif key not in RANDOM_KEYS:
                self.assertEqual(ours[key], value, key)

    def test_user_code_info_carries_adal_values(self):
        theirs = self.adal_context().acquire_user_code(RESOURCE, CLIENT_ID)
        result, ours = self.cli("user-code", "--resource", RESOURCE)
        self.assertEqual(result.returncode, 0, result.stderr)
        # ADAL returns the wire's snake_case keys with ints; we promise camelCase (SPEC §3).
        pairs = {"userCode": "user_code", "deviceCode": "device_code",
                 "verificationUrl": "verification_url", "expiresIn": "expires_in",
                 "interval": "interval", "message": "message"}
        for ours_key, adal_key in pairs.items():
            self.assertIs(type(ours[ours_key]), type(theirs[adal_key]), ours_key)
        self.assertEqual(ours["verificationUrl"], theirs["verification_url"])
        self.assertEqual((ours["expiresIn"], ours["interval"]),
                         (theirs["expires_in"], theirs["interval"]))
        self.assertIn(ours["userCode"], ours["message"])
        # Both asked with ADAL's body, in ADAL's order.
        forms = [r["form"] for r in self.world.requests("/oauth2/devicecode")]
        self.assertEqual([list(f) for f in forms], [["client_id", "resource"]] * 2)

    def test_token_dict_like_adal(self):
        self.world.behaviour(approve_after_polls=1)
        context = self.adal_context()
        code = context.acquire_user_code(RESOURCE, CLIENT_ID)
        theirs = context.acquire_token_with_device_code(RESOURCE, code, CLIENT_ID)
        result, ours = self.cli("token", "--resource", RESOURCE, "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assert_same_token(ours, theirs)
        self.assertEqual(ours["userId"], ALICE)
        # Both polled with ADAL's v1 grant: grant_type=device_code and the code in `code`.
        forms = [r["form"] for r in self.world.token_requests("device_code")]
        self.assertEqual({tuple(f) for f in forms},
                         {("grant_type", "client_id", "resource", "code")})

    def test_adal_user_code_dict_is_accepted_by_device_token(self):
        """A script that started the flow with ADAL can finish it with aadcred."""
        self.world.behaviour(approve_after_polls=1)
        code = self.adal_context().acquire_user_code(RESOURCE, CLIENT_ID)
        result, ours = self.cli("device-token", "--resource", RESOURCE, "--json",
                                "--user-code-info", "-", input=json.dumps(code))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(ours["userId"], ALICE)
        # The polls carried the correlation id the authority echoed, as ADAL's do.
        polls = self.world.token_requests("device_code")
        self.assertTrue(polls)
        self.assertEqual({p["headers"].get("client-request-id") for p in polls},
                         {code["correlation_id"]})

    def test_declined_same_error_text(self):
        self.world.behaviour(approve_after_polls=0, decline=True)
        context = self.adal_context()
        code = context.acquire_user_code(RESOURCE, CLIENT_ID)
        with self.assertRaises(adal.AdalError) as raised:
            context.acquire_token_with_device_code(RESOURCE, code, CLIENT_ID)
        result, error = self.cli("token", "--resource", RESOURCE, "--json")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(error["message"], raised.exception.args[0])
        self.assertEqual(error["error_response"]["error"],
                         raised.exception.error_response["error"])

    def test_v2_endpoint(self):
        self.world.behaviour(approve_after_polls=1)
        result, ours = self.cli("token", "--api", "v2", "--scope", "api://git/.default",
                                "--json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(ours["userId"], ALICE)
        self.assertTrue(self.world.introspect(ours["accessToken"])["active"])
        polls = self.world.requests("/oauth2/v2.0/token")
        self.assertEqual(polls[-1]["form"]["grant_type"],
                         "urn:ietf:params:oauth:grant-type:device_code")

    def test_openid_connect_discovery(self):
        self.world.behaviour(approve_after_polls=1)
        result, ours = self.cli("token", "--api", "oidc", "--scope", "api://git/.default",
                                "--json", authority=self.world.authority_url + "/v2.0")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(self.world.introspect(ours["accessToken"])["active"])
        self.assertTrue(self.world.requests("/.well-known/openid-configuration"))


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
