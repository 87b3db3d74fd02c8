#!/usr/bin/python3
"""The browser sign-in (issue 11) against the local authority, with a scripted browser as
$BROWSER (scripted_browser.py: it opens the authorization URL, takes the authority's
redirect and follows it to the loopback listener, as a browser does): `aadcred --flow`
and the git helper's credential.<url>.aadcredFlow; PKCE (S256) and the state on the wire;
a forged state and a code minted for another challenge refused; a device code refused by
a Conditional Access policy (AADSTS53003) falling back to the browser once in auto mode
and explained in device mode; no browser falling back to the device code.
"""
import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ALICE, RESOURCE, WorldTestCase  # noqa: E402

BROWSER = "/usr/bin/python3 " + os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                             "scripted_browser.py")


class BrowserFlowTest(WorldTestCase):
    world_options = {"keyring": False, "git": True}

    def setUp(self):
        super().setUp()
        self.log = self.world.tmp / ("browser-%s.log" % self._testMethodName)
        if self.log.exists():
            self.log.unlink()

    def browser_env(self, mode="follow"):
        # A display, as a desktop has: auto starts the browser only with one. Nothing
        # here connects to it.
        return {"BROWSER": BROWSER, "DISPLAY": ":0", "SCRIPTED_BROWSER_CA": self.world.ca,
                "SCRIPTED_BROWSER_LOG": str(self.log), "SCRIPTED_BROWSER_MODE": mode}

    def browsed(self):
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

    def token(self, *args, mode="follow", env=None):
        full = self.browser_env(mode)
        full.update(env or {})
        return self.world.aadcred("--store", "memory", "token", "--resource", RESOURCE,
                                  "--timeout", "20", *args, env=full, timeout=120)

    def authorize_requests(self):
        return self.world.requests("/oauth2/authorize")

    def assert_signed_in(self, result, upn=ALICE):
        self.assertEqual(result.returncode, 0, result.stderr)
        info = self.world.introspect(result.stdout.strip())
        self.assertTrue(info["active"], info)
        self.assertEqual(info["upn"], upn)

    # -- the flow -------------------------------------------------------------------------
    def test_cli_browser_flow_signs_in_with_pkce_and_state(self):
        result = self.token("--flow", "browser")
        self.assert_signed_in(result)
        self.assertIn("continue in the web browser", result.stderr)
        [asked] = self.authorize_requests()
        query = asked["query"]
        self.assertEqual(query["response_type"], "code")
        self.assertEqual(query["code_challenge_method"], "S256")
        self.assertRegex(query["redirect_uri"], r"^http://127\.0\.0\.1:\d+/$")
        self.assertGreaterEqual(len(query["state"]), 22)
        [redeemed] = self.world.token_requests("authorization_code")
        self.assertEqual(redeemed["form"]["redirect_uri"], query["redirect_uri"])
        self.assertTrue(redeemed["form"]["code_verifier"])
        self.assertEqual(self.world.requests("/oauth2/devicecode"), [])
        [visit] = self.browsed()
        self.assertEqual(visit["answer"][0], 200)
        self.assertIn("Signed in.", visit["answer"][1])

    def run_cli(self, authority, *args):
        from harness import CLIENT_ID, binary
        argv = [binary("aadcred"), "--authority", authority, "--client-id", CLIENT_ID,
                "--ca-file", self.world.ca, "--store", "memory", "token", *args]
        return self.world.run(argv, env=self.browser_env(), timeout=120)

    def test_v2_asks_the_v2_authorize_endpoint_for_scopes(self):
        result = self.run_cli(self.world.authority_url, "--api", "v2", "--scope",
                              "api://git/.default", "--flow", "browser")
        self.assert_signed_in(result)
        [asked] = self.world.requests("/oauth2/v2.0/authorize")
        self.assertIn("api://git/.default", asked["query"]["scope"])
        self.assertNotIn("resource", asked["query"])

    def test_oidc_takes_the_authorize_endpoint_from_discovery(self):
        result = self.run_cli(self.world.authority_url + "/v2.0", "--api", "oidc", "--scope",
                              "api://git/.default", "--flow", "browser")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(self.world.introspect(result.stdout.strip())["active"])
        self.assertTrue(self.world.requests("/.well-known/openid-configuration"))
        self.assertEqual(len(self.world.requests("/oauth2/v2.0/authorize")), 1)

    def test_auto_uses_the_browser_when_one_can_start(self):
        self.assert_signed_in(self.token("--flow", "auto"))
        self.assertEqual(len(self.authorize_requests()), 1)
        self.assertEqual(self.world.requests("/oauth2/devicecode"), [])

    def test_auto_with_browser_but_no_display_uses_the_device_code(self):
        # $BROWSER may name a terminal browser: without a display auto does not start it.
        self.world.behaviour(approve_after_polls=0)
        result = self.token("--flow", "auto", env={"DISPLAY": ""})
        self.assert_signed_in(result)
        self.assertEqual(self.browsed(), [])
        self.assertEqual(len(self.world.requests("/oauth2/devicecode")), 1)

    def test_auto_without_a_browser_uses_the_device_code(self):
        self.world.behaviour(approve_after_polls=0)
        result = self.world.aadcred("--store", "memory", "token", "--resource", RESOURCE,
                                    "--flow", "auto")
        self.assert_signed_in(result)
        self.assertEqual(self.authorize_requests(), [])
        self.assertEqual(len(self.world.requests("/oauth2/devicecode")), 1)

    def test_a_browser_that_fails_to_start_falls_back_to_the_device_code(self):
        self.world.behaviour(approve_after_polls=0)
        result = self.token("--flow", "auto", mode="fail")
        self.assert_signed_in(result)
        self.assertEqual(len(self.world.requests("/oauth2/devicecode")), 1)

    def test_browser_flow_without_a_browser_fails_clearly(self):
        result = self.token("--flow", "browser", mode="fail")
        self.assertEqual(result.returncode, 2, result.stderr)  # a setting to change
        self.assertEqual(result.stdout, "")
        self.assertIn("No browser could be started", result.stderr)
        self.assertIn("use the device code sign-in here", result.stderr)

    # -- refusals -------------------------------------------------------------------------
    def test_a_reply_with_another_state_is_refused(self):
        result = self.token("--flow", "browser", mode="wrong-state")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("state", result.stderr)
        self.assertEqual(self.world.token_requests("authorization_code"), [])
        [visit] = self.browsed()
        self.assertIn("refused", visit["answer"][1])

    def test_a_code_for_another_challenge_is_refused_by_pkce(self):
        result = self.token("--flow", "browser", mode="inject-code")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("AADSTS501481", result.stderr)  # the verifier does not match
        self.assertEqual(len(self.world.token_requests("authorization_code")), 1)

    def test_the_authoritys_refusal_in_the_browser_is_reported(self):
        self.world.behaviour(browser="decline")
        result = self.token("--flow", "browser")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("access_denied", result.stderr)
        self.assertIn("AADSTS65004", result.stderr)

    def test_ctrl_c_ends_the_browser_wait(self):
        # A browser that never comes back: the CLI's Ctrl-C ends the wait.
        import signal
        import subprocess
        argv = [*self.world_argv(), "--flow", "browser"]
        env = dict(self.world.env, **self.browser_env("never"))
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        for line in proc.stderr:
            if "continue in the web browser" in line:
                break
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        self.assertNotEqual(proc.returncode, 0)
        self.assertEqual(out, "")

    def world_argv(self):
        from harness import CLIENT_ID, binary
        return [binary("aadcred"), "--authority", self.world.authority_url, "--client-id",
                CLIENT_ID, "--ca-file", self.world.ca, "--store", "memory", "token",
                "--resource", RESOURCE]

    # -- a device code refused by policy -----------------------------------------------------
    def test_a_blocked_device_code_falls_back_to_the_browser(self):
        self.world.behaviour(device_blocked=True)
        result = self.token("--flow", "device")
        self.assert_signed_in(result)
        self.assertIn("refused the device code (AADSTS53003); continuing in the browser",
                      result.stderr)
        self.assertEqual(len(self.world.requests("/oauth2/devicecode")), 1)
        self.assertEqual(len(self.authorize_requests()), 1)

    def test_a_blocked_device_code_without_a_browser_says_so(self):
        self.world.behaviour(device_blocked=True)
        result = self.token("--flow", "device", env={"BROWSER": "", "DISPLAY": ""})
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("refused the device code (AADSTS53003)", result.stderr)
        self.assertIn("no browser can be started here", result.stderr)
        self.assertEqual(len(self.world.requests("/oauth2/devicecode")), 1)
        self.assertEqual(self.authorize_requests(), [])

    def test_no_loop_when_the_browser_failed_and_the_device_code_is_blocked(self):
        self.world.behaviour(device_blocked=True)
        result = self.token("--flow", "auto", mode="fail")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("AADSTS53003", result.stderr)
        self.assertEqual(len(self.browsed()), 1)  # the browser was tried once, not again
        self.assertEqual(len(self.world.requests("/oauth2/devicecode")), 1)

    # -- git ------------------------------------------------------------------------------
    def test_git_fill_with_aadcred_flow_browser(self):
        prefix = self.world.git_server.url
        self.world.configure_helper(store="memory",
                                    extra=[(f"credential.{prefix}.aadcredFlow", "browser")])
        host = prefix.split("://", 1)[1]
        env = dict(self.browser_env())
        result = self.world.run(["git", "credential", "fill"],
                                input=f"protocol=https\nhost={host}\n\n", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        password = re.search(r"^password=(.*)$", result.stdout, re.M).group(1)
        self.assertTrue(self.world.introspect(password)["active"])
        self.assertIn("continue in the web browser", result.stderr)
        self.assertEqual(len(self.authorize_requests()), 1)
        self.assertEqual(self.world.requests("/oauth2/devicecode"), [])

    def test_git_refuses_an_unknown_aadcred_flow(self):
        prefix = self.world.git_server.url
        self.world.configure_helper(store="memory",
                                    extra=[(f"credential.{prefix}.aadcredFlow", "popup")])
        host = prefix.split("://", 1)[1]
        result = self.world.run([self.world_helper(), "get"],
                                input=f"protocol=https\nhost={host}\n\n")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("aadcredFlow must be auto, device or browser", result.stderr)

    def world_helper(self):
        from harness import binary
        return binary("git-credential-aadcred")


class PortalTest(WorldTestCase):
    """With no $BROWSER, the desktop portal's OpenURI opens the page (a sandboxed app's
    only way out, and GNOME's and KDE's own route): portal_service.c stands in for
    xdg-desktop-portal on the private session bus and hands the URL to the scripted
    browser."""

    world_options = {"keyring": True}

    def test_the_desktop_portal_opens_the_sign_in_page(self):
        from harness import BUILD_ROOT, skip_unless
        skip_unless("gdbus")
        service = BUILD_ROOT / "tests" / "integration" / "portal_service"
        if not service.exists():
            self.skipTest("portal_service was not built (no gio)")
        portal_log = self.world.tmp / "portal.log"
        browser_log = self.world.tmp / "browser-portal.log"
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripted_browser.py")
        import subprocess
        env = dict(self.world.env, SCRIPTED_BROWSER_CA=self.world.ca,
                   SCRIPTED_BROWSER_LOG=str(browser_log))
        proc = subprocess.Popen([str(service), str(portal_log), "/usr/bin/python3", script],
                                env=env, stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(proc.stdout.readline().strip(), "READY")
            result = self.world.aadcred(
                "--store", "memory", "--flow", "browser", "token", "--resource", RESOURCE,
                env={"SCRIPTED_BROWSER_CA": self.world.ca,
                     "SCRIPTED_BROWSER_LOG": str(browser_log)})
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertTrue(self.world.introspect(result.stdout.strip())["active"])
            [opened] = portal_log.read_text().splitlines()
            self.assertTrue(opened.startswith(self.world.authority_url + "/oauth2/authorize?"),
                            opened)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            proc.stdout.close()


if __name__ == "__main__":
    from harness import main
    main()
