#!/usr/bin/python3
"""`aadcred token --username U --password-file F` side by side with python3-adal on the
local authority: managed users, federated users through MEX + WS-Trust 1.3 and 2005 (and
the fallback when MEX fails), an ADFS authority, and ADAL's error texts for a wrong
password or an unknown account type (reference §2.3, §2.5).
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import CLIENT_ID, PYTHON, RESOURCE, WorldTestCase, built_with, skip_unless  # noqa: E402

PASSWORD = "p&ss<word>"  # tests/authority/wstrust_endpoints.py: every user's password
MANAGED = "alice@contoso.com"
FEDERATED = "fred@fabrikam.com"
SAML1 = "urn:ietf:params:oauth:grant-type:saml1_1-bearer"
SAML2 = "urn:ietf:params:oauth:grant-type:saml2-bearer"
# Differ between two sign-ins by nature: new tokens, a new clock reading.
VOLATILE = {"accessToken", "refreshToken", "expiresOn"}

# ADAL in a child process, so it sees the harness' scrubbed environment (no proxies).
ADAL_SNIPPET = r"""
import json, sys
import adal
authority, ca, resource, user, password, client_id = sys.argv[1:7]
ctx = adal.AuthenticationContext(authority, validate_authority=False, verify_ssl=ca)
try:
    print(json.dumps({"token": ctx.acquire_token_with_username_password(
        resource, user, password, client_id)}))
except adal.AdalError as e:
    print(json.dumps({"error": str(e)}))
"""


class UsernamePasswordTest(WorldTestCase):
    world_options = {"keyring": False}

    def setUp(self):
        super().setUp()
        self.password_file = os.path.join(str(self.world.tmp), "password")

    def ours(self, user, password=PASSWORD, authority=None):
        with open(self.password_file, "w", encoding="utf-8") as f:
            f.write(password + "\n")
        os.chmod(self.password_file, 0o600)
        if user == FEDERATED and authority is None:
            skip_unless("built:wstrust")  # MEX and WS-Trust (libxml2, -Dwstrust)
        extra = ["--authority", authority] if authority else []
        result = self.world.aadcred(*extra, "--store", "memory", "token", "--resource",
                                    RESOURCE, "--username", user, "--password-file",
                                    self.password_file, "--json")
        self.assertNotIn(password, result.stdout + result.stderr)
        return result

    def adal(self, user, password=PASSWORD, authority=None):
        skip_unless("python3-adal")
        result = self.world.run([PYTHON, "-c", ADAL_SNIPPET, authority or self.world.authority_url,
                                 self.world.ca, RESOURCE, user, password, CLIENT_ID])
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def token_forms(self, path_suffix="/oauth2/token"):
        return [r["form"] for r in self.world.requests(path_suffix) if r["method"] == "POST"]

    def assert_same_entry(self, ours, theirs):
        self.assertEqual(sorted(ours), sorted(theirs))
        for key in ours:
            self.assertIs(type(ours[key]), type(theirs[key]), key)
            if key not in VOLATILE:
                self.assertEqual(ours[key], theirs[key], key)

    def sign_in_both(self, user, authority=None):
        """Signs in with aadcred then ADAL; returns both token forms sent."""
        result = self.ours(user, authority=authority)
        self.assertEqual(result.returncode, 0, result.stderr)
        ours = json.loads(result.stdout)
        our_forms = self.token_forms()
        theirs = self.adal(user, authority=authority)
        self.assertIn("token", theirs, theirs)
        self.assert_same_entry(ours, theirs["token"])
        self.assertEqual(ours["userId"], user)
        forms = self.token_forms()
        self.assertEqual(len(our_forms), 1)
        self.assertEqual(len(forms), 2)
        return forms[0], forms[1]

    def assert_same_error(self, user, password, expected, authority=None):
        result = self.ours(user, password, authority)
        self.assertEqual(result.returncode, 1, result.stderr)
        message = json.loads(result.stdout)["message"]
        theirs = self.adal(user, password, authority)
        self.assertEqual(message, theirs.get("error"))
        self.assertTrue(message.startswith(expected), message)

    # -- the flows ----------------------------------------------------------------------
    def test_managed_user_gets_the_password_grant(self):
        ours, theirs = self.sign_in_both(MANAGED)
        self.assertEqual(ours, theirs)
        self.assertEqual(ours["grant_type"], "password")
        self.assertEqual(ours["scope"], "openid")
        self.assertEqual(ours["password"], PASSWORD)
        self.assertEqual(ours["username"], MANAGED)
        realm = self.world.requests("/common/UserRealm/alice%40contoso.com")
        self.assertEqual(len(realm), 2)
        self.assertEqual(realm[0]["query"], {"api-version": "1.0"})
        self.assertEqual(realm[0]["headers"].get("accept"), "application/json")

    def test_federated_user_signs_in_through_wstrust_13(self):
        ours, theirs = self.sign_in_both(FEDERATED)
        self.assertEqual(ours["grant_type"], SAML1)
        self.assertEqual(theirs["grant_type"], SAML1)
        ours.pop("assertion"), theirs.pop("assertion")  # each holds its own assertion id
        self.assertEqual(ours, theirs)
        rst = self.world.requests("/adfs/services/trust/13/usernamemixed")
        self.assertEqual(len(rst), 2)
        self.assertEqual(rst[0]["headers"]["soapaction"],
                         "http://docs.oasis-open.org/ws-sx/ws-trust/200512/RST/Issue")
        self.assertEqual(len(self.world.requests("/adfs/services/trust/mex")), 2)

    def test_federated_user_signs_in_through_wstrust_2005(self):
        self.world.behaviour(wstrust_version="2005")
        ours, theirs = self.sign_in_both(FEDERATED)
        self.assertEqual(ours["grant_type"], SAML2)
        self.assertEqual(theirs["grant_type"], SAML2)
        rst = self.world.requests("/adfs/services/trust/2005/usernamemixed")
        self.assertEqual(len(rst), 2)
        self.assertEqual(rst[0]["headers"]["soapaction"],
                         "http://schemas.xmlsoap.org/ws/2005/02/trust/RST/Issue")

    def test_broken_mex_falls_back_to_the_active_auth_url(self):
        self.world.behaviour(mex_broken=True, wstrust_version="2005")
        ours, theirs = self.sign_in_both(FEDERATED)
        self.assertEqual(ours["grant_type"], SAML2)
        self.assertEqual(len(self.world.requests("/adfs/services/trust/2005/usernamemixed")), 2)

    def test_adfs_authority_skips_user_realm(self):
        adfs = self.world.authority_base + "/adfs"
        ours, theirs = self.sign_in_both(FEDERATED, authority=adfs)
        self.assertEqual(ours, theirs)
        self.assertEqual(ours["grant_type"], "password")
        self.assertEqual(self.world.requests("/common/UserRealm/fred%40fabrikam.com"), [])
        self.assertEqual(len(self.world.requests("/adfs/oauth2/token")), 2)

    # -- errors -------------------------------------------------------------------------
    def test_wrong_password_federated_soap_fault_over_http_500(self):
        self.assert_same_error(FEDERATED, "wrong",
                               "WS-Trust RST request returned http error: 500 and server "
                               "response: <s:Envelope")

    def test_wrong_password_federated_soap_fault_in_rstr(self):
        self.world.behaviour(wstrust_fault_status=200)
        self.assert_same_error(FEDERATED, "wrong",
                               "Server returned error in RSTR - ErrorCode: RequestFailed : "
                               "FaultMessage: MSIS3127: The specified request failed.")

    def test_wrong_password_managed(self):
        # The server's reply carries trace ids and timestamps: compare up to them.
        result = self.ours(MANAGED, "wrong")
        self.assertEqual(result.returncode, 1, result.stderr)
        error = json.loads(result.stdout)
        self.assertEqual(error["error"], "invalid_grant")
        theirs = self.adal(MANAGED, "wrong")["error"]
        prefix = ("Get Token request returned http error: 400 and server response: "
                  "{\"error\": \"invalid_grant\", \"error_description\": \"AADSTS50126: ")
        self.assertTrue(error["message"].startswith(prefix), error["message"])
        self.assertTrue(theirs.startswith(prefix), theirs)

    def test_unknown_account_type(self):
        self.assert_same_error("carol@unknown.example", PASSWORD,
                               "Server returned an unknown AccountType: unknown")

    def test_password_never_logged(self):
        skip_unless("built:wstrust")  # FEDERATED goes through WS-Trust
        with open(self.password_file, "w", encoding="utf-8") as f:
            f.write(PASSWORD)
        for user in (MANAGED, FEDERATED):
            result = self.world.aadcred("--store", "memory", "--log-level", "verbose",
                                        "--log-pii", "token", "--resource", RESOURCE,
                                        "--username", user, "--password-file",
                                        self.password_file)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("TokenRequest", result.stderr)  # logging was on
            for secret in (PASSWORD, "p&amp;ss", "wsse:Password", "Assertion"):
                self.assertNotIn(secret, result.stderr)

    def test_federated_user_in_a_build_without_wstrust(self):
        """-Dwstrust=disabled: managed accounts and ADFS sign in; a federated account is
        refused with the option to change, after the realm and before any MEX or STS."""
        if built_with("wstrust"):
            self.skipTest("this build has WS-Trust (-Dwstrust=disabled builds only)")
        result = self.ours(MANAGED)
        self.assertEqual(result.returncode, 0, result.stderr)
        result = self.ours(FEDERATED, authority=self.world.authority_base + "/adfs")
        self.assertEqual(result.returncode, 0, result.stderr)  # ADFS: the password grant
        self.world.reset()
        result = self.world.aadcred("--store", "memory", "token", "--resource", RESOURCE,
                                    "--username", FEDERATED, "--password-file",
                                    self.password_file)
        self.assertEqual(result.returncode, 2, result.stderr)  # SPEC §4: configuration
        self.assertIn("this aadcred was built without WS-Trust support (-Dwstrust=disabled)",
                      result.stderr)
        self.assertEqual(len(self.world.requests("/common/UserRealm/fred%40fabrikam.com")), 1)
        self.assertEqual(self.world.requests("/adfs/services/trust/mex"), [])
        self.assertEqual([r for r in self.world.requests() if "usernamemixed" in r["path"]], [])

    def test_username_needs_password_file(self):
        result = self.world.aadcred("--store", "memory", "token", "--resource", RESOURCE,
                                    "--username", MANAGED)
        self.assertEqual(result.returncode, 2)
        self.assertIn("--username needs --password-file", result.stderr)


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
