#!/usr/bin/python3
"""A setuid program's caller chooses its environment (issue 9). pam_aadcred runs inside su,
sudo and chsh, so libaadcred in a privileged process must take nothing from it: no
SSLKEYLOGFILE (libcurl would create that file as root, mode 0666, anywhere), no
AADCRED_INSTANCE_DISCOVERY_URL (it would choose whom root asks whether an authority is
genuine), no https_proxy (it would route root's requests through the caller's listener),
no no_proxy (it would bypass the proxy the program configured).

privileged_env_driver.c stands in for such a program: the test compiles it against this
build's libaadcred, installs one copy setuid root and one plain copy, and runs both as a
throw-away unprivileged user with poisoned variables. The plain copy shows each variable
works in an ordinary process, so the setuid runs prove something when nothing happens.
Needs root (to install a setuid binary and switch users); skipped otherwise.
"""
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import unittest
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import BUILD_ROOT, CLIENT_ID, RESOURCE, SOURCE_ROOT, World  # noqa: E402

DRIVER_SOURCE = Path(__file__).resolve().parent / "privileged_env_driver.c"
TEST_USER = f"aadcred-it-{os.getpid()}"  # unique: two suites may run at once


class Listener:
    """A TCP port that counts connections and hangs up on each: a stand-in for the
    caller's discovery server or proxy. Counting connections, not requests, is the strict
    check: a privileged process must not even connect."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.peers = []
        self.cond = threading.Condition()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, peer = self.sock.accept()
            except OSError:
                return
            conn.close()
            with self.cond:
                self.peers.append(peer)
                self.cond.notify_all()

    def connections(self):
        """Connections made so far, not counting our own sentinel. The backlog is served
        in order, so once the sentinel has been accepted every earlier connection (the
        driver's, which has exited) has been counted: no sleeping, no guessing."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sentinel:
            mine = sentinel.getsockname()
            with self.cond:
                if not self.cond.wait_for(lambda: mine in self.peers, timeout=30):
                    raise AssertionError("the listener stopped accepting connections")
                others = [p for p in self.peers if p != mine]
                self.peers = others
                return len(others)

    def close(self):
        self.sock.close()


def make_user():
    """A throw-away system user (removed in tearDownClass); `nobody` when useradd is
    missing. Returns (uid, gid, created)."""
    if shutil.which("useradd"):
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        "--user-group", TEST_USER], check=True, capture_output=True)
        entry = pwd.getpwnam(TEST_USER)
        return entry.pw_uid, entry.pw_gid, True
    entry = pwd.getpwnam("nobody")
    return entry.pw_uid, entry.pw_gid, False


@unittest.skipUnless(os.geteuid() == 0,
                     "needs root: installs a setuid-root driver and runs it as another user")
class PrivilegedEnvironmentTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.world = World(keyring=False).start()
        cls.dir = Path(tempfile.mkdtemp(prefix="aadcred-priv-"))
        try:
            cls._install()
        except Exception:
            cls._cleanup()
            raise

    @classmethod
    def _install(cls):
        cls.uid, cls.gid, cls.created_user = make_user()
        # Reachable by the test user: the driver, the library it loads, the CA.
        os.chmod(cls.dir, 0o755)
        lib = BUILD_ROOT / "src" / "lib" / "libaadcred.so.0"
        shutil.copy(lib.resolve(), cls.dir / "libaadcred.so.0")
        os.chmod(cls.dir / "libaadcred.so.0", 0o755)
        cls.ca = cls.dir / "ca.pem"
        shutil.copy(cls.world.ca, cls.ca)
        os.chmod(cls.ca, 0o644)
        plain = cls.dir / "driver-plain"
        # An absolute run path: the loader ignores LD_LIBRARY_PATH and $ORIGIN for setuid
        # programs, but honours a fixed directory only root can write.
        subprocess.run(["cc", "-Wall", "-Werror", "-o", str(plain), str(DRIVER_SOURCE),
                        "-I", str(SOURCE_ROOT / "include"), "-I", str(BUILD_ROOT / "include"),
                        str(cls.dir / "libaadcred.so.0"),
                        f"-Wl,-rpath,{cls.dir}"], check=True)
        os.chmod(plain, 0o755)
        cls.plain = str(plain)
        cls.setuid = str(cls.dir / "driver-setuid")
        shutil.copy(plain, cls.setuid)
        os.chown(cls.setuid, 0, 0)
        os.chmod(cls.setuid, 0o4755)
        # The test user may write here (an ordinary process's key log goes here); the
        # setuid runs name a file in cls.dir, which only root could create.
        cls.user_dir = cls.dir / "user"
        cls.user_dir.mkdir()
        os.chown(cls.user_dir, cls.uid, cls.gid)
        os.chmod(cls.user_dir, 0o700)

        # Without effect under nosuid mounts or no_new_privs: say so instead of passing.
        first = cls.run_driver(cls.setuid, {}, validate=False)
        ids = dict(kv.split("=") for kv in first.stdout.splitlines()[0].split())
        if ids["euid"] != "0" or ids["secure"] != "1":
            raise unittest.SkipTest(f"the setuid bit has no effect here ({ids})")
        cls.baseline = first

    @classmethod
    def _cleanup(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)
        if getattr(cls, "created_user", False):
            subprocess.run(["userdel", TEST_USER], capture_output=True)
        cls.world.stop()

    @classmethod
    def tearDownClass(cls):
        cls._cleanup()

    @classmethod
    def run_driver(cls, program, poison, validate=True, proxy=None):
        # Only what the caller set: a real attacker's environment has nothing else either.
        env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", **poison}
        argv = ["setpriv", f"--reuid={cls.uid}", f"--regid={cls.gid}", "--clear-groups",
                program, cls.world.authority_url, str(cls.ca), "1" if validate else "0",
                RESOURCE, CLIENT_ID, *([proxy] if proxy else [])]
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60,
                              cwd=cls.dir)

    def setUp(self):
        self.world.reset()
        self.listener = Listener()
        self.addCleanup(self.listener.close)

    def test_setuid_driver_signs_in_with_the_local_authority(self):
        # The driver works when privileged: every "nothing happened" below is meaningful.
        self.assertEqual(self.baseline.returncode, 0, self.baseline.stdout + self.baseline.stderr)
        self.assertIn("ok", self.baseline.stdout.splitlines())
        self.assertFalse(self.baseline.stdout.startswith("ruid=0 "), self.baseline.stdout)

    # -- SSLKEYLOGFILE --------------------------------------------------------------------
    def test_keylog_file_honoured_without_privileges(self):
        log = self.user_dir / "keys.log"
        self.run_driver(self.plain, {"SSLKEYLOGFILE": str(log)}, validate=False)
        self.assertTrue(log.exists(), "libcurl no longer opens SSLKEYLOGFILE: this check is moot")

    def test_keylog_file_not_created_by_setuid_process(self):
        target = self.dir / "created-by-root"
        result = self.run_driver(self.setuid, {"SSLKEYLOGFILE": str(target)}, validate=False)
        self.assertIn("ok", result.stdout.splitlines(), result.stdout + result.stderr)
        self.assertFalse(target.exists(),
                         "a setuid process created the caller's SSLKEYLOGFILE as root")

    # -- AADCRED_INSTANCE_DISCOVERY_URL ---------------------------------------------------
    def discovery_poison(self):
        return {"AADCRED_INSTANCE_DISCOVERY_URL": f"https://127.0.0.1:{self.listener.port}"}

    def test_discovery_url_honoured_without_privileges(self):
        self.run_driver(self.plain, self.discovery_poison())
        self.assertGreater(self.listener.connections(), 0)

    def test_discovery_url_ignored_by_setuid_process(self):
        result = self.run_driver(self.setuid, self.discovery_poison())
        # It asked the worldwide authority instead (which an offline machine cannot reach).
        self.assertIn("login.microsoftonline.com/common/discovery/instance", result.stdout,
                      result.stdout + result.stderr)
        self.assertEqual(self.listener.connections(), 0,
                         "root's authority validation asked the caller's server")
        self.assertEqual(self.world.requests("/discovery/instance"), [])

    # -- https_proxy / all_proxy ------------------------------------------------------------
    def proxy_poison(self):
        url = f"http://127.0.0.1:{self.listener.port}"
        return {"https_proxy": url, "HTTPS_PROXY": url, "all_proxy": url, "ALL_PROXY": url}

    def test_proxy_variables_honoured_without_privileges(self):
        self.run_driver(self.plain, self.proxy_poison())
        self.assertGreater(self.listener.connections(), 0)

    def test_proxy_variables_ignored_by_setuid_process(self):
        result = self.run_driver(self.setuid, self.proxy_poison())
        self.assertIn("login.microsoftonline.com", result.stdout, result.stdout + result.stderr)
        self.assertEqual(self.listener.connections(), 0,
                         "root's requests went through the caller's proxy")

    def test_setuid_process_reaches_authority_despite_proxy_variables(self):
        result = self.run_driver(self.setuid, self.proxy_poison(), validate=False)
        self.assertIn("ok", result.stdout.splitlines(), result.stdout + result.stderr)
        self.assertEqual(self.listener.connections(), 0)

    # -- no_proxy ---------------------------------------------------------------------------
    def test_no_proxy_bypasses_configured_proxy_without_privileges(self):
        proxy = f"http://127.0.0.1:{self.listener.port}"
        self.run_driver(self.plain, {"no_proxy": "*", "NO_PROXY": "*"}, proxy=proxy)
        self.assertEqual(self.listener.connections(), 0)

    def test_no_proxy_cannot_bypass_configured_proxy_in_setuid_process(self):
        proxy = f"http://127.0.0.1:{self.listener.port}"
        self.run_driver(self.setuid, {"no_proxy": "*", "NO_PROXY": "*"}, proxy=proxy)
        self.assertGreater(self.listener.connections(), 0,
                           "the caller's no_proxy bypassed the proxy the program configured")


if __name__ == "__main__":
    from harness import main
    main()  # exit 77 (SKIP) when every test was skipped
