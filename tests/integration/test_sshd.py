#!/usr/bin/python3
"""pam_aadcred.so under a real OpenSSH sshd (issue 10), end to end, as an admin deploys
it: a copy of Debian's sshd with a PAM service of its own (sshd_world.py), the module
loaded by its full path from the build with everything in a root-owned config= file
(sshd gives PAM no environment), a local user, and real clients: python3-paramiko's
keyboard-interactive and OpenSSH's ssh in a pseudo-terminal. The person's part (open the
address, enter the code, sign in) is the local authority's control API.

Skips (unittest.SkipTest) when not root or when openssh-server is missing.
"""
import fcntl
import os
import re
import select
import subprocess
import sys
import termios
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness  # noqa: E402
import sshd_world  # noqa: E402

try:
    import paramiko
except ImportError:  # reported as a skip below
    paramiko = None

CODE = re.compile(r"enter the code (\S+) within (\d+) seconds")
USER = f"aadtst{os.getpid() % 100000}"
GIT_HOST = "git.example.test"


def wait_for(condition, seconds):
    """Polls `condition` until it holds or `seconds` pass; returns whether it held."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def module_path():
    # Installed: the bare name, as an admin writes it, so the test also shows libpam finds
    # the module where the package put it.
    path = harness.pam_module()
    return "pam_aadcred.so" if harness.INSTALLED else path


class Login:
    """One paramiko keyboard-interactive login; `answer(text)` is called with each
    prompt (its instruction and prompt text together) and returns the reply."""

    def __init__(self, port, user, answer):
        self.texts = []
        self.transport = paramiko.Transport(("127.0.0.1", port))
        self.transport.start_client(timeout=30)
        self.answer = answer
        self.error = None

    def handler(self, title, instructions, prompts):
        text = "\n".join([title, instructions, *(p for p, _ in prompts)])
        self.texts.append(text)
        return [self.answer(text) for _ in prompts]

    def authenticate(self, user):
        try:
            self.transport.auth_interactive(user, self.handler)
            return True
        except paramiko.AuthenticationException as error:
            self.error = error
            return False
        except (paramiko.SSHException, EOFError, OSError) as error:  # closed under it
            self.error = error
            return False

    def run(self, command, stdin_text=""):
        channel = self.transport.open_session(timeout=30)
        channel.exec_command(command)
        if stdin_text:
            channel.sendall(stdin_text.encode())
        channel.shutdown_write()
        out = channel.makefile("rb").read().decode()
        err = channel.makefile_stderr("rb").read().decode()
        return channel.recv_exit_status(), out, err

    def shown(self):
        return "\n".join(self.texts)

    def close(self):
        self.transport.close()


class SshdTestCase(harness.WorldTestCase):
    world_options = {"keyring": False}

    @classmethod
    def setUpClass(cls):
        why = sshd_world.problem()
        if why is None and paramiko is None:
            why = "needs python3-paramiko (scripts/install-deps)"
        if why is not None:
            raise unittest.SkipTest(why)
        super().setUpClass()
        try:
            cls.sshd = sshd_world.SshdWorld(cls.world, module_path(), USER).start()
        except BaseException:
            cls.world.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.sshd.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.sshd.write_settings()
        self.world.behaviour(user=self.sshd.upn)

    def device_codes(self):
        return len(self.world.requests("/devicecode"))

    def polls(self):
        return len(self.world.token_requests("device_code"))

    def approver(self, action="approve", body=None):
        """An answer function: reads the code, acts on it at the authority, presses Enter."""
        self.codes = []

        def answer(text):
            match = CODE.search(text)
            if match:
                code = match.group(1)
                self.codes.append(code)
                if action:
                    self.world.control(f"device/{code}/{action}", body or {})
            return ""
        return answer

    def login(self, answer):
        login = Login(self.sshd.port, USER, answer)
        self.addCleanup(login.close)
        return login, login.authenticate(USER)


class PamramikoTest(SshdTestCase):
    def test_device_code_shown_approved_command_runs(self):
        login, ok = self.login(self.approver(body={"user": self.sshd.upn}))
        shown = login.shown()
        self.assertTrue(ok, f"{login.error}\n{shown}\n{self.sshd.log()[-3000:]}")
        self.assertEqual(len(self.codes), 1, shown)
        self.assertIn(f"Azure AD sign-in for {USER} on ", shown)
        self.assertIn("(connection from 127.0.0.1)", shown)
        self.assertIn(f"open {self.world.authority_base}/device", shown)
        self.assertIn("Press Enter after signing in", shown)
        status, out, _ = login.run("id -un")
        self.assertEqual((status, out.strip()), (0, USER))
        self.assertEqual(self.world.control(f"device/{self.codes[0]}")["status"], "redeemed")
        # The module's and the library's lines go to syslog, never to sshd's stderr.
        self.assertNotRegex(self.sshd.log(), r" - \w+:|pam_aadcred|libaadcred")

    def test_another_persons_identity_is_refused(self):
        login, ok = self.login(self.approver(body={"user": "bob@contoso.com"}))
        self.assertFalse(ok, login.shown())
        self.assertIn(f"you signed in as bob@contoso.com, which is not {USER} on this host",
                      login.shown())

    def test_decline_is_refused(self):
        login, ok = self.login(self.approver("decline"))
        self.assertFalse(ok, login.shown())
        self.assertEqual(len(self.codes), 1)
        self.assertIn("Azure AD sign-in failed: the sign-in was declined.", login.shown())

    def test_timeout_is_refused(self):
        self.sshd.write_settings(timeout="2")
        login, ok = self.login(self.approver(action=None))
        self.assertFalse(ok, login.shown())
        self.assertIn("nobody signed in with the code within 2 seconds", login.shown())

    def test_git_in_the_session_needs_no_second_code(self):
        helper = harness.binary("git-credential-aadcred")
        self.sshd.write_user_file(".gitconfig", (
            f'[credential "https://{GIT_HOST}"]\n'
            f"\thelper = {helper}\n"
            f"\taadcredAuthority = {self.world.authority_url}\n"
            f"\taadcredClientId = {harness.CLIENT_ID}\n"
            f"\taadcredResource = {harness.RESOURCE}\n"
            f"\taadcredCaFile = {self.sshd.ca}\n"
            "\taadcredValidateAuthority = false\n"
            # No Secret Service in this session and the kernel keyring may be refused in a
            # container: a named file store, the user's own, keeps the test about the
            # hand-over.
            f"\taadcredStore = file:{self.sshd.home}/.aadcred-tokens\n"))
        login, ok = self.login(self.approver(body={"user": self.sshd.upn}))
        self.assertTrue(ok, f"{login.error}\n{login.shown()}\n{self.sshd.log()[-3000:]}")
        codes = self.device_codes()
        self.assertEqual(codes, 1)
        status, out, err = login.run(
            "GIT_TERMINAL_PROMPT=0 git credential fill",
            f"protocol=https\nhost={GIT_HOST}\n\n")
        self.assertEqual(status, 0, err)
        fields = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
        self.assertIn("password", fields, out + err)
        self.assertTrue(self.world.introspect(fields["password"])["active"])
        self.assertEqual(self.device_codes(), codes)  # no second device code
        self.assertNotIn("enter the code", err)


class MappedLibrariesTest(SshdTestCase):
    # What libaadcred loads only on demand (issue 12): the Secret Service store's libsecret
    # with GLib, GObject and GIO, and WS-Trust's libxml2. None is sshd's business.
    LAZY = ("libglib-2.0.so", "libgio-2.0.so", "libgobject-2.0.so", "libsecret-1.so",
            "libxml2.so")

    def module_maps(self):
        """{pid: the file names it maps} of every sshd process that has pam_aadcred.so."""
        found = {}
        for pid in [self.sshd.proc.pid, *sshd_world.descendants(self.sshd.proc.pid)]:
            try:
                with open(f"/proc/{pid}/maps") as maps:
                    lines = maps.read().splitlines()
            except OSError:  # gone meanwhile
                continue
            names = {os.path.basename(line.split(None, 5)[5]) for line in lines
                     if len(line.split(None, 5)) == 6}
            if any(name.startswith("pam_aadcred.so") for name in names):
                found[pid] = names
        return found

    def test_sshd_maps_no_glib_libsecret_or_libxml2_while_the_module_waits(self):
        approve = self.approver(body={"user": self.sshd.upn})
        at_prompt = {}

        def answer(text):
            # The module shows the code and waits for Enter: it is loaded and has done
            # its device code request; this is the process a person's sign-in lives in.
            if CODE.search(text) and not at_prompt:
                at_prompt.update(self.module_maps())
            return approve(text)

        login, ok = self.login(answer)
        self.assertTrue(ok, f"{login.error}\n{login.shown()}\n{self.sshd.log()[-3000:]}")
        self.assertTrue(at_prompt, "no sshd process had pam_aadcred.so mapped at the prompt")
        for pid, names in at_prompt.items():
            self.assertTrue(any(n.startswith("libaadcred.so") for n in names), names)
            mapped = sorted(n for n in names if n.startswith(self.LAZY))
            self.assertEqual(mapped, [], f"sshd process {pid} maps {mapped}")


class ClientGoneTest(SshdTestCase):
    def test_polling_stops_when_the_client_is_gone(self):
        # The person gives up after the code is shown and Enter pressed: the client
        # closes the connection while the module polls. Nothing may go on polling for
        # the code until its deadline (60 s here) on behalf of nobody.
        before = set(self.sshd.connections())
        login = Login(self.sshd.port, USER, self.approver(action=None))
        self.addCleanup(login.close)
        threading.Thread(target=login.authenticate, args=(USER,), daemon=True).start()
        self.assertTrue(wait_for(lambda: self.polls() >= 1, 30), "the module never polled")
        serving = set(self.sshd.connections()) - before
        self.assertTrue(serving)
        login.close()
        # The processes serving that connection end (sshd's monitor waits for PAM).
        ended = wait_for(lambda: not serving & set(self.sshd.connections()), 30)
        self.assertTrue(ended, f"still polling after the client left: {self.polls()} polls")
        count = self.polls()
        # Nobody is left to poll: the count stays over more than one poll interval.
        self.assertFalse(wait_for(lambda: self.polls() > count, 2.5))


class OpenSshClientTest(SshdTestCase):
    """OpenSSH's ssh in a pseudo-terminal, as a person types."""

    def ssh(self, *command):
        master, slave = os.openpty()
        argv = ["ssh", "-F", "/dev/null", "-p", str(self.sshd.port),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "PreferredAuthentications=keyboard-interactive",
                # LogLevel INFO (the default) is what prints the server's info text.
                "-o", "NumberOfPasswordPrompts=1", "-o", "LogLevel=INFO",
                f"{USER}@127.0.0.1", *command]
        # ssh reads the answers from its controlling terminal: the pty's slave becomes it.
        proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                start_new_session=True, env=dict(self.world.env),
                                preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        os.close(slave)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        self.addCleanup(os.close, master)
        return proc, master

    @staticmethod
    def read_until(master, pattern, seen, deadline=60):
        """Reads the terminal until `pattern` matches what was seen (None: until EOF)."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if pattern is not None and re.search(pattern, seen[0]):
                return True
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: ssh is gone
                return pattern is None
            if not data:
                return pattern is None
            seen[0] += data.decode(errors="replace")
        return False

    def test_device_code_shown_approved_command_runs(self):
        proc, master = self.ssh("id", "-un")
        seen = [""]
        self.assertTrue(self.read_until(master, r"Press Enter after signing in", seen), seen[0])
        code = CODE.search(seen[0]).group(1)
        self.world.control(f"device/{code}/approve", {"user": self.sshd.upn})
        os.write(master, b"\r")
        self.read_until(master, None, seen)
        self.assertEqual(proc.wait(timeout=30), 0, seen[0])
        self.assertRegex(seen[0], rf"(?m)^{USER}\r?$")

    def test_another_persons_identity_is_refused_and_named(self):
        proc, master = self.ssh("id", "-un")
        seen = [""]
        self.assertTrue(self.read_until(master, r"Press Enter after signing in", seen), seen[0])
        code = CODE.search(seen[0]).group(1)
        self.world.control(f"device/{code}/approve", {"user": "bob@contoso.com"})
        os.write(master, b"\r")
        self.read_until(master, None, seen)
        self.assertEqual(proc.wait(timeout=30), 255, seen[0])
        self.assertIn(f"you signed in as bob@contoso.com, which is not {USER}", seen[0])
        self.assertNotRegex(seen[0], rf"(?m)^{USER}\r?$")


if __name__ == "__main__":
    harness.main()  # exit 77 (SKIP) when every test was skipped
