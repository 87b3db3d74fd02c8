#!/usr/bin/python3
"""The device code reaches the person wherever git runs (issue 11).

With no terminal (an IDE or a desktop app runs git: a session of its own, no /dev/tty) the
helper shows the code in a desktop notification, seen here by a test notification service
(notification_service.c) on the private session bus, whose action opens the page through
$BROWSER and which is closed when the sign-in ends; stderr still carries the code, and
without a notification service the sign-in works through stderr alone. With a terminal (a
pty made the helper's controlling terminal, as git at a shell has) the prompt, the
countdown and, with credential.<url>.aadcredQr, the QR code go to /dev/tty, not stderr.
The CLI with no terminal shows the notification too.
"""
import fcntl
import json
import os
import re
import select
import signal
import subprocess
import sys
import termios
import time
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))

import harness  # noqa: E402

SERVICE = harness.BUILD_ROOT / "tests" / "integration" / "notification_service"
QR_GLYPHS = ("\u2580", "\u2584", "\u2588")  # the half and full blocks qr_text draws with


def feed(proc, text):
    """Writes all of git's description, then EOF, as git does."""
    proc.stdin.write(text)
    proc.stdin.close()
    proc.stdin = None  # communicate() must not flush it again


def stop(proc):
    """Kills what is left of `proc` and its children (git's helper): its own session."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()


def wait_for(predicate, timeout=30, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@unittest.skipUnless(SERVICE.exists(), "notification_service not built (no gio)")
class NotificationTest(harness.WorldTestCase):
    world_options = {"keyring": True, "git": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        w = cls.world
        # The device code is what these tests show; with $BROWSER set (the action's
        # browser) the default flow, auto, would sign in in the browser instead.
        w.configure_helper(store="memory",
                           extra=[(f"credential.{w.git_server.url}.aadcredFlow", "device")])
        cls.url = w.git_server.url
        cls.host = cls.url.split("://", 1)[1]
        cls.helper = harness.binary("git-credential-aadcred")
        # $BROWSER: a script that records the URL it was started at.
        cls.opened = w.tmp / "opened.txt"
        browser = w.tmp / "browser.sh"
        browser.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{cls.opened}'\n")
        browser.chmod(0o755)
        # A desktop has a display; without one no browser is offered (browser_available).
        cls.browser_env = {"BROWSER": str(browser), "DISPLAY": ":0"}
        cls.service = None

    @classmethod
    def tearDownClass(cls):
        cls.stop_service()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.notifications = self.world.tmp / f"notifications-{self.id().rsplit('.', 1)[1]}.jsonl"
        if self.opened.exists():
            self.opened.unlink()

    # -- the notification service ----------------------------------------------------------
    @classmethod
    def start_service(cls, log):
        cls.stop_service()
        cls.service = subprocess.Popen([str(SERVICE), str(log)], stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, env=cls.world.env, text=True)
        line = cls.service.stdout.readline().strip()
        if line != "READY":
            raise AssertionError(f"notification_service did not start: {line!r} "
                                 f"{cls.service.stderr.read()}")

    @classmethod
    def stop_service(cls):
        if cls.service is not None and cls.service.poll() is None:
            cls.service.terminate()
            cls.service.wait(timeout=10)
        if cls.service is not None:
            cls.service.stdout.close()
            cls.service.stderr.close()
        cls.service = None

    def calls(self, method=None):
        if not self.notifications.exists():
            return []
        calls = [json.loads(line) for line in self.notifications.read_text().splitlines()]
        return [c for c in calls if method is None or c["method"] == method]

    # -- running the helper ----------------------------------------------------------------
    def description(self):
        return f"protocol=https\nhost={self.host}\n\n"

    def spawn_without_terminal(self, env=None):
        """The helper as an IDE runs it: a session of its own, so no /dev/tty."""
        proc = self.world.spawn([self.helper, "get"], env=dict(self.browser_env, **(env or {})))
        feed(proc, self.description())
        return proc

    def finish(self, proc):
        out, err = proc.communicate(timeout=120)
        self.assertEqual(proc.returncode, 0, err)
        self.assertRegex(out, r"(?m)^password=\S+$")
        return err

    def opened_urls(self):
        return self.opened.read_text().splitlines() if self.opened.exists() else []

    # -- no terminal: the desktop notification ---------------------------------------------
    def test_notification_shows_the_code_and_its_action_opens_the_page(self):
        self.start_service(self.notifications)
        self.world.behaviour(approve_after_polls=None)
        proc = self.spawn_without_terminal()
        try:
            notify = wait_for(lambda: self.calls("Notify"), what="Notify")[0]
            code = re.search(r"enter the code (\w+)", notify["body"]).group(1)
            self.assertEqual(self.world.control(f"device/{code}")["user_code"], code)
            page = f"{self.world.authority_base}/device"
            self.assertIn(page, notify["body"])
            self.assertIn(code, notify["summary"])
            self.assertEqual(notify["app_name"], "git")
            self.assertEqual(notify["actions"][0::2], ["default", "open"])
            # On screen as long as the code lives (the authority's default: 900 s).
            self.assertEqual(notify["expire_timeout"], 900 * 1000)
            self.assertEqual(self.opened_urls(), [])
            # A click on the notification: the page opens in the browser.
            self.service.send_signal(signal.SIGUSR1)
            self.assertEqual(wait_for(self.opened_urls, what="the browser"), [page])
            # Still waiting for the person: the notification stays until the sign-in ends.
            self.assertEqual(self.calls("CloseNotification"), [])
            self.world.control(f"device/{code}/approve", {})
            err = self.finish(proc)
        finally:
            stop(proc)
        # Closed once the sign-in ended, and it was that notification.
        self.assertEqual([c["id"] for c in self.calls("CloseNotification")], [notify["id"]])
        self.assertEqual(len(self.calls("Notify")), 1)
        # stderr has the code as before (a log may reach the person).
        self.assertIn(f"enter the code {code}", err)
        self.assertNotIn("\r", err)  # no countdown redrawn into a log
        self.assertIn("Code expires in 15:00.", err)

    def test_action_opens_verification_uri_complete_when_the_server_sends_it(self):
        self.start_service(self.notifications)
        self.world.behaviour(approve_after_polls=None, device_uri_complete=True)
        # git passes -c settings down to its helpers; v2 replies may carry the complete URI.
        proc = self.world.spawn(
            ["git", "-c", f"credential.{self.url}.aadcredApi=v2",
             "-c", f"credential.{self.url}.aadcredScopes=https://graph.microsoft.com/User.Read",
             "credential", "fill"], env=self.browser_env)
        feed(proc, self.description())
        try:
            notify = wait_for(lambda: self.calls("Notify"), what="Notify")[0]
            code = re.search(r"enter the code (\w+)", notify["body"]).group(1)
            # The page shown is the plain one; the action opens it with the code in it.
            self.assertNotIn("otc=", notify["body"])
            self.service.send_signal(signal.SIGUSR2)  # the "open" button
            self.assertEqual(wait_for(self.opened_urls, what="the browser"),
                             [f"{self.world.authority_base}/device?otc={code}"])
            self.world.control(f"device/{code}/approve", {})
            self.finish(proc)
        finally:
            stop(proc)
        self.assertEqual([c["id"] for c in self.calls("CloseNotification")], [notify["id"]])

    def test_without_a_notification_service_stderr_still_carries_the_code(self):
        self.stop_service()
        self.world.behaviour(approve_after_polls=2)
        started = time.monotonic()
        err = self.finish(self.spawn_without_terminal())
        self.assertLess(time.monotonic() - started, 30)
        self.assertRegex(err, r"enter the code \w+")
        self.assertEqual(self.calls(), [])
        self.assertEqual(self.opened_urls(), [])

    def test_the_cli_with_no_terminal_shows_and_closes_a_notification(self):
        self.start_service(self.notifications)
        self.world.behaviour(approve_after_polls=2)
        result = self.world.aadcred("--store", "memory", "--flow", "device", "--resource",
                                    harness.RESOURCE, "token")
        self.assertEqual(result.returncode, 0, result.stderr)
        [notify] = self.calls("Notify")
        self.assertEqual(notify["app_name"], "aadcred")
        code = re.search(r"enter the code (\w+)", notify["body"]).group(1)
        self.assertIn(code, result.stderr)  # stderr keeps it too
        self.assertNotIn(code, result.stdout)  # which holds the token
        self.assertEqual([c["id"] for c in self.calls("CloseNotification")], [notify["id"]])

    # -- a terminal: /dev/tty, the countdown, the QR code ----------------------------------
    def run_on_terminal(self, extra_config=()):
        """The helper with a pty as its controlling terminal; returns (tty text, stderr)."""
        master, slave = os.openpty()

        def take_terminal():
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)

        env = dict(self.world.env, TERM="xterm", **self.browser_env)
        env.pop("NO_COLOR", None)
        argv = ["git", *extra_config, "credential", "fill"]
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, start_new_session=True,
                                preexec_fn=take_terminal, pass_fds=(slave,))
        os.close(slave)
        out, err = proc.communicate(self.description().encode(), timeout=120)
        tty = b""
        while select.select([master], [], [], 0.2)[0]:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the last slave closed
                break
            if not chunk:
                break
            tty += chunk
        os.close(master)
        self.world.logs.sink([self.helper]).append(err.decode() + tty.decode("utf-8", "replace"))
        self.assertEqual(proc.returncode, 0, err)
        self.assertRegex(out.decode(), r"(?m)^password=\S+$")
        return tty.decode("utf-8", "replace"), err.decode()

    def test_on_a_terminal_the_prompt_and_countdown_go_to_dev_tty(self):
        self.start_service(self.notifications)
        self.world.behaviour(approve_after_polls=2)
        tty, err = self.run_on_terminal()
        self.assertIn(f"sign-in needed for {self.url}", tty)
        code = re.search(r"enter the code (\w+)", tty).group(1)
        self.assertNotIn(code, err)
        self.assertNotIn("sign-in needed", err)
        # The countdown, redrawn in place: "\r<padded>\r<text>".
        self.assertRegex(tty, r"\rCode expires in 1[45]:\d\d")
        self.assertNotIn("Code expires", err)
        for glyph in QR_GLYPHS:
            self.assertNotIn(glyph, tty)  # no QR code unless asked for
        # A person at a terminal sees it there: no notification.
        self.assertEqual(self.calls("Notify"), [])

    def test_aadcred_qr_draws_the_code_on_the_terminal_dark_on_light(self):
        self.world.behaviour(approve_after_polls=2)
        tty, err = self.run_on_terminal(
            ("-c", f"credential.{self.url}.aadcredQr=true"))
        self.assertTrue(any(glyph in tty for glyph in QR_GLYPHS), tty)
        # White on black whatever the terminal's colours (qr_text's terminal style).
        self.assertIn("\x1b[37;40m", tty)
        for glyph in QR_GLYPHS:
            self.assertNotIn(glyph, err)

    def test_a_bad_aadcred_qr_is_refused(self):
        result = self.world.run(["git", "-c", f"credential.{self.url}.aadcredQr=maybe",
                                 "credential", "fill"], input=self.description())
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("aadcredQr is not a boolean: 'maybe'", result.stderr)


if __name__ == "__main__":
    unittest.main()
