#!/usr/bin/python3
"""git >= 2.46's credential protocol and claims challenges (SPEC §5, issue 11).

The machine's git (2.39) neither asks for capabilities nor announces capability[], so
the helper is driven directly with the lines git 2.46 sends, against the local authority
and a private gnome-keyring: the `capability` action, the Bearer reply with ephemeral=1,
a Continuous Access Evaluation challenge in wwwauth[] that makes the next refresh (or
sign-in) ask for the claims with client capability cp1, and `--version`.
"""
import base64
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))

import harness  # noqa: E402

# What Azure AD's CAE sends: {"access_token":{"nbf":{"essential":true,"value":"..."}}}.
CHALLENGE_CLAIMS = {"access_token": {"nbf": {"essential": True, "value": "1604106651"}}}
MERGED_CLAIMS = {"access_token": {"nbf": {"essential": True, "value": "1604106651"},
                                  "xms_cc": {"values": ["cp1"]}}}


def cae_challenge(claims=CHALLENGE_CLAIMS):
    encoded = base64.b64encode(json.dumps(claims).encode()).decode()
    return ('wwwauth[]=Bearer realm="", authorization_uri="https://login.microsoftonline.com/'
            'common/oauth2/authorize", error="insufficient_claims", claims="%s"\n' % encoded)


class GitBearerTest(harness.WorldTestCase):
    world_options = {"keyring": True, "git": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.world.configure_helper()
        cls.host = cls.world.git_server.url.split("://", 1)[1]
        cls.helper = harness.binary("git-credential-aadcred")

    def setUp(self):
        super().setUp()
        self.world.secret_tool("clear", "xdg:schema", "org.aadcred.Token")
        self.world.behaviour(approve_after_polls=1)

    def helper_raw(self, action, text="", env=None):
        full_env = dict(self.world.env)
        full_env.update(env or {})
        result = subprocess.run(harness.wrapped([self.helper, action]), input=text.encode(),
                                capture_output=True, env=full_env, timeout=120)
        self.world.logs.sink([self.helper, action]).append(
            result.stderr.decode("utf-8", "replace"))
        return result

    def get(self, *lines, env=None):
        text = "".join(lines) + f"protocol=https\nhost={self.host}\n\n"
        result = self.helper_raw("get", text, env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.decode()

    @staticmethod
    def secret_of(reply):
        return re.search(r"^(?:password|credential)=(.*)$", reply, re.M).group(1)

    # -- the capability action and the Bearer reply -----------------------------------------
    def test_capability_action_announces_authtype(self):
        result = self.helper_raw("capability")
        self.assertEqual((result.returncode, result.stdout, result.stderr),
                         (0, b"version 0\ncapability authtype\n", b""))
        self.assertEqual(self.world.requests(), [])

    def test_announced_authtype_gets_an_ephemeral_bearer_credential(self):
        reply = self.get("capability[]=authtype\n")
        token = self.secret_of(reply)
        exp = self.world.introspect(token)["exp"]
        self.assertEqual(reply, "capability[]=authtype\nauthtype=Bearer\n"
                                f"credential={token}\nephemeral=1\npassword_expiry_utc={exp}\n")
        # Without the capability (git < 2.46): username/password, as ever, and no ephemeral.
        self.assertEqual(self.get(), f"username={harness.ALICE}\npassword={token}\n"
                                     f"password_expiry_utc={exp}\n")

    def test_version_prints_the_version(self):
        result = self.helper_raw("--version")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout.decode(),
                         r"^git-credential-aadcred \d+\.\d+\.\d+ \(libaadcred \d+\.\d+\.\d+\)\n$")

    # -- claims challenges ---------------------------------------------------------------------
    def test_a_claims_challenge_refreshes_with_the_claims_and_cp1(self):
        cached = self.secret_of(self.get())
        self.assertEqual(self.secret_of(self.get()), cached)  # a cache hit without a challenge
        self.assertEqual(self.world.token_requests("refresh_token"), [])

        fresh = self.secret_of(self.get("capability[]=authtype\n", cae_challenge()))
        self.assertNotEqual(fresh, cached, "the cached access token was handed out again")
        self.assertTrue(self.world.introspect(fresh)["active"])
        refreshes = self.world.token_requests("refresh_token")
        self.assertEqual(len(refreshes), 1)
        self.assertEqual(json.loads(refreshes[0]["form"]["claims"]), MERGED_CLAIMS)
        self.assertEqual(len(self.world.requests("/oauth2/devicecode")), 1)  # no new sign-in
        # The challenge answered, the next get without one is a cache hit again.
        before = len(self.world.requests())
        self.assertEqual(self.secret_of(self.get()), fresh)
        self.assertEqual(len(self.world.requests()), before)

    def test_a_claims_challenge_with_nothing_cached_signs_in_with_the_claims(self):
        reply = self.get(cae_challenge({"id_token": {"acrs": {"value": "c1"}}}))
        self.assertTrue(self.world.introspect(self.secret_of(reply))["active"])
        expected = {"id_token": {"acrs": {"value": "c1"}},
                    "access_token": {"xms_cc": {"values": ["cp1"]}}}
        codes = self.world.requests("/oauth2/devicecode")
        self.assertEqual(len(codes), 1)
        self.assertEqual(json.loads(codes[0]["form"]["claims"]), expected)
        polls = self.world.token_requests("device_code")
        self.assertTrue(polls)
        for poll in polls:
            self.assertEqual(json.loads(poll["form"]["claims"]), expected)

    def test_claims_that_are_not_json_are_refused(self):
        self.get()
        before = len(self.world.requests())
        text = 'wwwauth[]=Bearer error="insufficient_claims", claims="bm90IGpzb24="\n'
        result = self.helper_raw("get", text + f"protocol=https\nhost={self.host}\n\n")
        self.assertEqual(result.stdout, b"")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn(b"claims challenge is not a JSON object", result.stderr)
        self.assertEqual(len(self.world.requests()), before)


if __name__ == "__main__":
    harness.main()
