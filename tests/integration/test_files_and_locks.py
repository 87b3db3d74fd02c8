#!/usr/bin/python3
"""Issue 9, files and processes: what `aadcred cache export` does to a device, FIFO or
symlink; a --store file: naming a FIFO; the temporary copies a killed writer leaves; and
the account lock: its bounded wait, one refresh per refresh token whatever mix of --user
and resources races, and where it lives without XDG_RUNTIME_DIR.

A hang is today's bug in several of these, so every run has a subprocess timeout and a
timeout fails the test with what hung.
"""
import fcntl
import json
import os
import stat
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ALICE, CLIENT_ID, RESOURCE, WorldTestCase, binary  # noqa: E402

OTHER_RESOURCE = "https://graph.microsoft.com/"
NOBODY = 65534
IS_ROOT = os.geteuid() == 0


class FilesTestCase(WorldTestCase):
    """Tokens in a file store of this test's own directory."""
    world_options = {"keyring": False}

    def setUp(self):
        super().setUp()
        self.dir = Path(tempfile.mkdtemp(dir=self.world.tmp))
        self.cache = self.dir / "tokens.json"
        self.store = ("--store", f"file:{self.cache}")

    def aadcred(self, *args, timeout=60, **kwargs):
        try:
            return self.world.aadcred(*self.store, "--resource", RESOURCE, *args,
                                      timeout=timeout, **kwargs)
        except subprocess.TimeoutExpired:
            self.fail(f"aadcred {' '.join(args)} hung (killed after {timeout} s)")

    def sign_in(self, user=ALICE, **behaviour):
        self.world.behaviour(approve_after_polls=0, user=user, **behaviour)
        result = self.aadcred("token", "--json", "--user", user)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def assert_refused(self, result, code, *phrases):
        self.assertEqual(result.returncode, code, result.stderr)
        self.assertEqual(result.stdout, "")
        last = result.stderr.splitlines()[-1] if result.stderr else ""
        self.assertTrue(last.startswith("aadcred: "), result.stderr)
        for phrase in phrases:
            self.assertIn(phrase, last)

    def leftovers(self, name):
        return sorted(p.name for p in self.dir.iterdir() if p.name.startswith(name + "."))


class CacheExportTest(FilesTestCase):
    """`cache export FILE` writes into a device or FIFO, never replaces it, and never
    writes tokens through a symlink into a regular file."""

    def setUp(self):
        super().setUp()
        self.token = self.sign_in()

    def assert_exported(self, text):
        entries = json.loads(text)
        self.assertEqual([e["accessToken"] for e in entries], [self.token["accessToken"]])

    def test_export_into_a_fifo_a_reader_waits_on(self):
        fifo = self.dir / "pipe"
        os.mkfifo(fifo, 0o600)
        reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there first
        try:
            result = self.aadcred("cache", "export", str(fifo))
            self.assertEqual(result.returncode, 0, result.stderr)
            os.set_blocking(reader, True)
            with os.fdopen(os.dup(reader), "rb") as stream:
                text = stream.read().decode()
        finally:
            os.close(reader)
        self.assert_exported(text)
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced")
        self.assertEqual(self.leftovers("pipe"), [])

    def test_export_into_a_fifo_nobody_reads_is_refused_at_once(self):
        fifo = self.dir / "pipe"
        os.mkfifo(fifo, 0o600)
        result = self.aadcred("cache", "export", str(fifo))
        self.assert_refused(result, 2, "FIFO nobody reads")
        self.assertTrue(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced")
        self.assertEqual(self.leftovers("pipe"), [])

    def test_export_through_a_link_to_stdout(self):
        # What /dev/stdout is; made here so a broken build cannot replace the real one.
        link = self.dir / "stdout"
        os.symlink("/proc/self/fd/1", link)
        result = self.aadcred("cache", "export", str(link))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assert_exported(result.stdout)
        self.assertTrue(os.path.islink(link), "the symlink was replaced")
        self.assertEqual(self.leftovers("stdout"), [])

    def test_export_into_a_character_device(self):
        null = self.dir / "null"
        try:
            os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            os.close(os.open(null, os.O_WRONLY))
        except OSError as error:  # no CAP_MKNOD, or a nodev mount
            self.skipTest(f"cannot make a device node here: {error}")
        result = self.aadcred("cache", "export", str(null))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(stat.S_ISCHR(os.lstat(null).st_mode), "the device was replaced")
        self.assertEqual(self.leftovers("null"), [])

    def test_export_refuses_a_link_to_a_regular_file(self):
        victim = self.dir / "victim"
        victim.write_text("precious\n")
        link = self.dir / "export.json"
        os.symlink(victim, link)
        result = self.aadcred("cache", "export", str(link))
        self.assert_refused(result, 2, "symbolic link to a regular file")
        self.assertTrue(os.path.islink(link), "the symlink was replaced")
        self.assertEqual(victim.read_text(), "precious\n")
        self.assertEqual(self.leftovers("export.json"), [])

    def test_export_refuses_a_dangling_link(self):
        # A link planted towards a file its maker could read once we created it.
        target = self.dir / "collected"
        link = self.dir / "export.json"
        os.symlink(target, link)
        result = self.aadcred("cache", "export", str(link))
        self.assert_refused(result, 2, "symbolic link to nothing")
        self.assertFalse(target.exists())
        self.assertTrue(os.path.islink(link), "the symlink was replaced")

    @unittest.skipUnless(IS_ROOT, "only root can give a symlink to another user")
    def test_export_refuses_another_users_link(self):
        link = self.dir / "stdout"
        os.symlink("/proc/self/fd/1", link)
        os.lchown(link, NOBODY, NOBODY)
        result = self.aadcred("cache", "export", str(link))
        self.assert_refused(result, 2, "belongs to another user")
        self.assertTrue(os.path.islink(link))

    def test_export_to_a_regular_file_replaces_it_privately(self):
        out = self.dir / "export.json"
        out.write_text("old\n")
        result = self.aadcred("cache", "export", str(out))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assert_exported(out.read_text())
        self.assertEqual(stat.S_IMODE(os.lstat(out).st_mode), 0o600)
        self.assertEqual(self.leftovers("export.json"), [])


class FileStoreTest(FilesTestCase):
    def test_a_fifo_as_the_store_is_refused_not_waited_on(self):
        os.mkfifo(self.cache, 0o600)
        result = self.aadcred("token", "--no-prompt")
        self.assert_refused(result, 1, "not a regular file")
        self.assertTrue(stat.S_ISFIFO(os.lstat(self.cache).st_mode))
        self.assertEqual(self.world.requests(), [])

    def test_a_write_removes_the_copies_a_killed_writer_left(self):
        self.sign_in(access_token_lifetime=60)  # the next call refreshes and writes
        # What kill -9 between writing the temporary copy and renaming it leaves: a 0600
        # copy of the whole cache beside it.
        stale = self.dir / "tokens.json.aadcred-tmp-K9xq2Z"
        stale.write_bytes(self.cache.read_bytes())
        os.chmod(stale, 0o600)
        # Not ours to remove: a symlink under such a name, nor what it points to.
        victim = self.dir / "victim"
        victim.write_text("precious\n")
        link = self.dir / "tokens.json.aadcred-tmp-Link00"
        os.symlink(victim, link)
        theirs = self.dir / "tokens.json.aadcred-tmp-Theirs"
        if IS_ROOT:
            theirs.write_text("someone else's\n")
            os.chown(theirs, NOBODY, NOBODY)
        self.world.behaviour(access_token_lifetime=3600)
        result = self.aadcred("token", "--no-prompt")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(self.world.token_requests("refresh_token")), 1)
        self.assertFalse(stale.exists(), "the stale copy of the tokens is still there")
        self.assertTrue(os.path.islink(link))
        self.assertEqual(victim.read_text(), "precious\n")
        if IS_ROOT:
            self.assertEqual(theirs.read_text(), "someone else's\n")


class AccountLockTest(FilesTestCase):
    def lock_files(self):
        return sorted((Path(self.world.runtime) / "aadcred").glob("*.lock"))

    def test_a_held_lock_ends_in_a_clear_error_not_a_hang(self):
        self.sign_in()
        held = []
        try:
            for path in self.lock_files():  # another process holds them all
                fd = os.open(path, os.O_RDWR)
                held.append(fd)
                fcntl.flock(fd, fcntl.LOCK_EX)
            self.assertTrue(held)
            requests = len(self.world.requests())
            result = self.aadcred("--timeout", "2", "token", "--no-prompt", "--user", ALICE)
            self.assert_refused(result, 1, "another aadcred process holds the lock for this "
                                "account", "gave up after 2 s")
            self.assertEqual(len(self.world.requests()), requests)
        finally:
            for fd in held:
                os.close(fd)
        again = self.aadcred("token", "--no-prompt", "--user", ALICE)
        self.assertEqual(again.returncode, 0, again.stderr)

    def test_any_mix_of_users_and_resources_refreshes_each_token_once(self):
        # One expired access token and its multi-resource refresh token; the authority
        # rotates refresh tokens (a spent one gets invalid_grant). Refreshes are slowed so
        # the six processes overlap.
        self.sign_in(access_token_lifetime=60)
        self.world.behaviour(access_token_lifetime=3600)
        self.world.faults({"endpoint": "token", "kind": "delay", "seconds": 2, "count": 6})
        base = [binary("aadcred"), "--authority", self.world.authority_url, "--client-id",
                CLIENT_ID, "--ca-file", self.world.ca, *self.store, "token", "--no-prompt"]
        mix = [(RESOURCE, True), (RESOURCE, False), (OTHER_RESOURCE, True),
               (OTHER_RESOURCE, False), (RESOURCE, True), (OTHER_RESOURCE, False)]
        procs = []
        for resource, named in mix:
            argv = base + ["--resource", resource] + (["--user", ALICE] if named else [])
            procs.append(self.world.spawn(argv))
        outputs = {}
        for (resource, named), proc in zip(mix, procs):
            try:
                out, err = proc.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                self.fail("a racing aadcred hung")
            self.assertEqual(proc.returncode, 0, f"{resource} named={named}: {err}")
            outputs.setdefault(resource, set()).add(out.strip())
        refreshes = self.world.token_requests("refresh_token")
        spent = [r["form"]["refresh_token"] for r in refreshes]
        self.assertEqual(len(spent), len(set(spent)), "a refresh token was used twice")
        self.assertEqual([r["status"] for r in refreshes], [200] * len(refreshes))
        self.assertEqual(len(refreshes), 2)  # one per resource
        for resource, tokens in outputs.items():
            self.assertEqual(len(tokens), 1, resource)  # everyone got the same token
            info = self.world.introspect(tokens.pop())
            self.assertTrue(info["active"])

    def test_without_runtime_dir_locks_stay_in_the_home(self):
        # /tmp/aadcred-<uid> was the fallback: made first by someone else (here: given to
        # nobody, or left open to all), it denied every aadcred call of this user.
        squatted = Path(f"/tmp/aadcred-{os.geteuid()}")
        planted = False
        if not os.path.lexists(squatted):
            squatted.mkdir(mode=0o700)
            planted = True
            if IS_ROOT:
                os.chown(squatted, NOBODY, NOBODY)
            else:
                os.chmod(squatted, 0o777)
        runtime = self.world.env.pop("XDG_RUNTIME_DIR")
        try:
            token = self.sign_in()
            again = self.aadcred("token", "--no-prompt", "--user", ALICE)
        finally:
            self.world.env["XDG_RUNTIME_DIR"] = runtime
            if planted:
                os.rmdir(squatted)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertEqual(again.stdout.strip(), token["accessToken"])
        locks = Path(self.world.home) / ".local" / "state" / "aadcred"
        self.assertEqual(stat.S_IMODE(os.lstat(locks).st_mode), 0o700)
        self.assertTrue(list(locks.glob("*.lock")), "no lock file in the home")


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
