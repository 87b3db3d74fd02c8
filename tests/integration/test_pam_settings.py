#!/usr/bin/python3
"""pam_aadcred.so settings that need no environment (issue 10): sshd wipes the
environment before pam_authenticate, so AADCRED_INSTANCE_DISCOVERY_URL never reaches the
module there. Every setting must come from the PAM line or the file its config= names.
Also: no device code for a user with no local account.

Runs the real module under pam_wrapper and pamtester, as test_pam.py does, with the
caller's AADCRED_INSTANCE_DISCOVERY_URL emptied (what sshd leaves).
"""
import os
import socket
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_pam import (AUTH_ERR, AUTHINFO_UNAVAIL, SERVICE_ERR, UPN, USER,  # noqa: E402
                      PamTestCase)

NO_ENV = {"AADCRED_INSTANCE_DISCOVERY_URL": ""}
USER_UNKNOWN = "User not known to the underlying authentication module"


class SettingsTest(PamTestCase):
    def setUp(self):
        super().setUp()
        # What an admin writes: root-owned, 0644, in a root-owned 0755 directory.
        self.etc = Path(tempfile.mkdtemp(prefix="aadcred-etc-", dir=self.world.tmp))
        self.etc.chmod(0o755)

    def write_config(self, text, mode=0o644, name="pam.conf"):
        path = self.etc / name
        path.write_text(text)
        path.chmod(mode)
        return path

    def auth(self, args, **kw):
        self.service(args)
        return self.pamtester("authenticate", env=NO_ENV, **kw)

    def test_without_the_environment_an_unlisted_authority_is_not_validated(self):
        # Today's behaviour, the reason for the settings: the local authority is on no
        # list, and without the environment nobody vouches for it.
        r = self.auth(self.auth_args(instance_discovery=None))
        self.assertEqual(r.returncode, 1, r.output)
        self.assertNotIn("successfully", r.output)

    def test_validate_authority_false(self):
        r = self.auth(self.auth_args(validate_authority="false", instance_discovery=None))
        self.assert_pam(r, "successfully authenticated", 0)
        self.assertEqual(self.world.requests("/discovery/instance"), [])

    def test_an_authority_host_discovery_refuses_names_validate_authority(self):
        # Issue 11: the syslog line says which argument lets an unlisted host be used.
        r = self.auth(self.auth_args(authority="https://login.example.invalid/contoso"))
        self.assertEqual(r.returncode, 1, r.output)
        self.assertIn("Instance Discovery request returned http error: 400", r.output)
        self.assertIn("[invalid_instance]; for an authority host instance discovery does not "
                      "know, pass validate_authority=false", r.output)

    def test_instance_discovery_names_who_vouches(self):
        r = self.auth(self.auth_args(instance_discovery=self.world.authority_base))
        self.assert_pam(r, "successfully authenticated", 0)
        self.assertEqual(len(self.world.requests("/common/discovery/instance")), 1)

    def test_everything_from_the_config_file(self):
        conf = self.write_config(
            "# Entra ID sign-in for this host\n"
            f"authority = {self.world.authority_url}\n"
            "client_id = 04b07795-8ddb-461a-bbee-02f9e1bf7b46\n"
            "resource = https://management.core.windows.net/\n"
            f"ca_file = {self.world.ca}\n"
            "domain = contoso.com\n"
            "validate_authority = false\n"
            f"runtime_dir = {self.runtime}\n")
        r = self.auth(f"config={conf}", items=["rhost=203.0.113.9"])
        self.assert_pam(r, "successfully authenticated", 0)

    def test_the_line_wins_over_the_file(self):
        conf = self.write_config(
            f"authority = {self.world.authority_url}\n"
            "client_id = 04b07795-8ddb-461a-bbee-02f9e1bf7b46\n"
            "resource = https://management.core.windows.net/\n"
            f"ca_file = {self.world.ca}\n"
            "domain = contoso.com\nvalidate_authority = false\ntimeout = 600\n")
        self.world.behaviour(approve_after_polls=1000)
        r = self.auth(f"config={conf} timeout=2")
        self.assert_pam(r, AUTH_ERR, 1)
        self.assertIn("within 2 seconds", r.output)

    def test_a_file_others_may_write_is_refused(self):
        conf = self.write_config(f"authority = {self.world.authority_url}\n", mode=0o666)
        r = self.auth(f"config={conf} client_id=x resource=y")
        self.assert_pam(r, SERVICE_ERR, 1)
        self.assertIn(f"config file {conf} is refused: it is writable by group or others",
                      r.output)
        self.assertEqual(self.world.requests(), [])

    @unittest.skipUnless(os.getuid() == 0, "needs root to give the file away")
    def test_a_file_root_does_not_own_is_refused(self):
        conf = self.write_config(f"authority = {self.world.authority_url}\n", mode=0o600)
        os.chown(conf, 65534, 65534)
        r = self.auth(f"config={conf} client_id=x resource=y")
        self.assert_pam(r, SERVICE_ERR, 1)
        self.assertIn("is refused: it is not owned by root", r.output)

    def test_a_typo_in_the_file_names_its_line(self):
        conf = self.write_config("validate_authority = false\ntimeuot = 5\n")
        r = self.auth(f"config={conf}")
        self.assert_pam(r, SERVICE_ERR, 1)
        self.assertIn(f"config file {conf} line 2: unknown argument 'timeuot'", r.output)

    def test_a_missing_file_is_a_service_error(self):
        r = self.auth(f"config={self.etc}/absent.conf")
        self.assert_pam(r, SERVICE_ERR, 1)
        self.assertIn("cannot be opened", r.output)


class MessagesTest(PamTestCase):
    """The person reads the cause they can act on; the admin's detail is in syslog."""

    def auth(self, **override):
        self.service(self.auth_args(validate_authority="false", **override))
        return self.pamtester("authenticate", env=NO_ENV)

    def test_declined(self):
        self.world.behaviour(decline=True)
        r = self.auth()
        self.assert_pam(r, AUTH_ERR, 1)
        self.assertIn("Azure AD sign-in failed: the sign-in was declined.", r.output)

    def test_timed_out(self):
        self.world.behaviour(approve_after_polls=1000)
        r = self.auth(timeout=2)
        self.assert_pam(r, AUTH_ERR, 1)
        self.assertIn("Azure AD sign-in failed: nobody signed in with the code within 2 "
                      "seconds. Log in again for a new code.", r.output)

    def test_wrong_account_is_named(self):
        self.world.behaviour(user="bob@contoso.com")
        r = self.auth()
        self.assert_pam(r, AUTH_ERR, 1)
        self.assertIn(f"you signed in as bob@contoso.com, which is not {USER} on this host",
                      r.output)

    def test_authority_unreachable(self):
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        r = self.auth(authority=f"https://127.0.0.1:{port}/contoso")
        self.assert_pam(r, AUTHINFO_UNAVAIL, 1)
        self.assertIn(f"cannot reach the sign-in service https://127.0.0.1:{port}.", r.output)

    def test_library_lines_go_to_syslog_not_stderr(self):
        self.world.faults({"endpoint": "token", "kind": "status", "status": 503, "count": 1})
        r = self.auth()
        self.assert_pam(r, "successfully authenticated", 0)
        # pam_wrapper prints pam_syslog lines as "SYSLOG(<priority>): <text>".
        self.assertRegex(r.output, r"SYSLOG\(4\): libaadcred: .*Polling got http error 503")
        raw = [line for line in r.output.splitlines()
               if "OAuth2Client:" in line and "SYSLOG(" not in line]
        self.assertEqual(raw, [])

    def test_quiet_leaves_no_notice_of_the_sign_in(self):
        r = self.auth()
        self.assertIn(f"signed in as {UPN}", r.output)
        r = self.auth(quiet=True)
        self.assert_pam(r, "successfully authenticated", 0)
        self.assertNotIn("signed in as", r.output)


class UnknownUserTest(PamTestCase):
    def test_no_device_code_for_a_user_with_no_local_account(self):
        # Scanners try names at random; the host must not mint a code for any of them.
        self.service(self.auth_args(validate_authority="false"))
        r = self.pamtester("authenticate", user="aadcred-nobody-here", env=NO_ENV)
        self.assert_pam(r, USER_UNKNOWN, 1)
        self.assertNotIn("enter the code", r.output)
        self.assertEqual(self.world.requests(), [])


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
