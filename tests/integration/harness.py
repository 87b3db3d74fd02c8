"""Integration test harness: the real parts, started per test class.

Each `World` owns a temporary directory with
  - a CA and server certificates made for this run (tests/authority/make_ca.py),
  - the local authority (tests/authority/authority.py) over HTTPS,
  - optionally a private D-Bus session with an unlocked gnome-keyring (a real Secret
    Service that touches nothing of the user's),
  - optionally a local HTTPS git server that accepts only the authority's tokens.
Servers print "READY <url>" when listening, so nothing here sleeps or picks ports.

Runs on Debian's /usr/bin/python3 with the standard library only.
"""

import ctypes
import ctypes.util
import json
import os
import shutil
import ssl
import subprocess
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

# Missing prerequisites skip (prerequisites.py); the test modules use these as harness.*.
from prerequisites import built_with, main, require, skip_unless  # noqa: F401
from secret_hygiene import LogRecorder, RecordedPopen, is_ours

SOURCE_ROOT = Path(__file__).resolve().parents[2]
AUTHORITY_DIR = SOURCE_ROOT / "tests" / "authority"
BUILD_ROOT = Path(os.environ.get("AADCRED_BUILD_ROOT", SOURCE_ROOT / "build"))
PYTHON = "/usr/bin/python3"
# A command line put before each of our programs the tests run, e.g. valgrind's
# (scripts/test runs part of the suite so); empty: run them as they are.
WRAPPER = os.environ.get("AADCRED_TEST_WRAPPER", "").split()
TENANT = "contoso"
CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
RESOURCE = "https://management.core.windows.net/"
ALICE = "alice@contoso.com"
BOB = "bob@contoso.com"

# Variables of the developer's environment that would leak into the children: CA bundles
# (tests pass their own CA), the user's bus and keyring, git's and aadcred's settings.
_SCRUBBED = (
    "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "REQUESTS_CA_BUNDLE",
    "DBUS_SESSION_BUS_ADDRESS", "GNOME_KEYRING_CONTROL", "SSH_AUTH_SOCK", "DISPLAY",
    "WAYLAND_DISPLAY", "BROWSER", "AADCRED_FLOW", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_TERMINAL_PROMPT",
    "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_SSL_CAINFO",
    "GIT_SSL_CAPATH", "GIT_SSL_NO_VERIFY", "GIT_SSL_CERT", "GIT_SSL_KEY",
    "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
)


def _keyutils():
    name = ctypes.util.find_library("keyutils") or "libkeyutils.so.1"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return None
    lib.keyctl_join_session_keyring.argtypes = [ctypes.c_char_p]
    lib.keyctl_join_session_keyring.restype = ctypes.c_int32
    lib.add_key.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t,
                            ctypes.c_int32]
    lib.add_key.restype = ctypes.c_int32
    return lib


_KEYUTILS = _keyutils()


def fresh_session_keyring():
    """Joins a new, empty kernel session keyring (inherited by every child), so tests
    that fall back to the kernel keyring never touch the runner's own keyrings.
    Returns None, or why it cannot be done (containers may refuse keyctl)."""
    if _KEYUTILS is None:
        return "libkeyutils is not installed"
    if _KEYUTILS.keyctl_join_session_keyring(None) < 0:
        return "no kernel keyring here: " + os.strerror(ctypes.get_errno())
    return None


KEY_SPEC_SESSION_KEYRING = -3


def clear_hot_cache():
    """Empties aadcred's hot cache of access tokens (src/cache/hot_cache.hpp) in this run's
    session keyring, as aadcred does after each write to the Secret Service: a new, empty
    "aadcred-hot" keyring replaces the old one. For tests that change the Secret Service
    behind aadcred's back (secret-tool), which aadcred cannot see."""
    if _KEYUTILS is not None:
        _KEYUTILS.add_key(b"keyring", b"aadcred-hot", None, 0, KEY_SPEC_SESSION_KEYRING)


# AADCRED_INSTALLED=1 (scripts/package-test): the programs the Debian packages installed,
# /usr/bin/..., which load the installed libaadcred.so.0, instead of the build tree's.
INSTALLED = os.environ.get("AADCRED_INSTALLED") == "1"
INSTALLED_BINDIR = Path("/usr/bin")


def binary(name):
    """Path of a program built by Meson (git-credential-aadcred, aadcred, ...), or of the
    installed one with AADCRED_INSTALLED=1."""
    if INSTALLED:
        if (INSTALLED_BINDIR / name).exists():
            return str(INSTALLED_BINDIR / name)
        raise FileNotFoundError(f"{name} is not installed in {INSTALLED_BINDIR}")
    for candidate in (BUILD_ROOT / "src" / "git" / name, BUILD_ROOT / "src" / "cli" / name,
                      BUILD_ROOT / name):
        if candidate.exists():
            return str(candidate)
    raise FileNotFoundError(f"{name} not built under {BUILD_ROOT}")


def pam_module():
    """Path of pam_aadcred.so: the build's, or with AADCRED_INSTALLED=1 the one the package
    put where libpam looks for a bare module name (pam.pc's libdir/security)."""
    if INSTALLED:
        libdir = subprocess.run(["pkg-config", "--variable=libdir", "pam"], check=True,
                                capture_output=True, text=True).stdout.strip()
        path = Path(libdir) / "security" / "pam_aadcred.so"
    else:
        path = BUILD_ROOT / "src" / "pam" / "pam_aadcred.so"
    if not path.exists():
        raise FileNotFoundError(f"pam_aadcred.so is not at {path}")
    return str(path)


def wrapped(argv):
    """`argv` under WRAPPER when it runs one of our programs (pamtester loads our module)."""
    program = str(argv[0])
    ours = program.startswith(str(BUILD_ROOT)) or os.path.basename(program) == "pamtester"
    return [*WRAPPER, *argv] if WRAPPER and ours else list(argv)


def stop_process(proc, kill=False):
    """Ends proc: SIGTERM (SIGKILL with kill=True), and SIGKILL if it is still there after
    10 s; returns once it is gone."""
    if proc.poll() is not None:
        return
    if kill:
        proc.kill()
    else:
        proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class _Server:
    """A child process that prints 'READY <url>' on stdout when it listens."""

    def __init__(self, argv, env, log_path):
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self.log,
                                     stdin=subprocess.DEVNULL, env=env, text=True)
        line = self.proc.stdout.readline().strip()
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"{argv[1]} did not start: {line!r}; see {log_path}")
        self.url = line.split(" ", 1)[1]

    def stop(self):
        stop_process(self.proc)
        self.log.close()


class SecretService:
    """A private D-Bus session bus with gnome-keyring on it, its login collection unlocked.
    gnome-keyring keeps its files in env's XDG_DATA_HOME. With login_keyring (the text of
    an unencrypted keyring file, gnome-keyring's own format: keyring_file.py) that is the
    login collection it starts with, and start() returns once gnome-keyring answers: it
    reads a large file (about 20 s for 10,000 items) before it answers anything."""

    def __init__(self, env, login_keyring=None):
        self.env = dict(env)
        self.login_keyring = login_keyring
        self.env_overrides = {}
        self._bus = None

    def start(self):
        if self.login_keyring is not None:
            keyrings = Path(self.env["XDG_DATA_HOME"]) / "keyrings"
            keyrings.mkdir(mode=0o700, parents=True, exist_ok=True)
            path = keyrings / "login.keyring"
            path.write_text(self.login_keyring)
            path.chmod(0o600)
        self._bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1", "--nopidfile"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=self.env, text=True)
        self.env_overrides = {"DBUS_SESSION_BUS_ADDRESS": self._bus.stdout.readline().strip(),
                              "XDG_DATA_HOME": self.env["XDG_DATA_HOME"]}
        self.env.update(self.env_overrides)
        # gnome-keyring creates and unlocks the login collection with this password; it
        # guards only this throw-away HOME.
        started = subprocess.run(
            ["gnome-keyring-daemon", "--unlock", "--components=secrets"], input="aadcred-test",
            env=self.env, capture_output=True, text=True, timeout=30)
        for line in started.stdout.splitlines():
            key, _, value = line.partition("=")
            if key == "GNOME_KEYRING_CONTROL":
                self.env_overrides[key] = value
        if self.login_keyring is not None:
            self._wait_until_answering(deadline=time.monotonic() + 600)
        return self

    def _wait_until_answering(self, deadline):
        ask = ["dbus-send", "--session", "--print-reply", "--reply-timeout=2000",
               "--dest=org.freedesktop.secrets", "/org/freedesktop/secrets",
               "org.freedesktop.DBus.Properties.Get", "string:org.freedesktop.Secret.Service",
               "string:Collections"]
        while subprocess.run(ask, env=self.env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, timeout=30).returncode != 0:
            if time.monotonic() > deadline:
                raise RuntimeError("gnome-keyring never answered after reading its file")

    def stop(self, kill=False):
        if self._bus is None:
            return
        # gnome-keyring-daemon leaves when its session bus goes away.
        stop_process(self._bus, kill=kill)
        self._bus.stdout.close()
        self._bus = None


class World:
    """Everything one test class needs; use as a context manager or start()/stop()."""

    def __init__(self, keyring=True, git=False, authority_args=()):
        self.want_keyring = keyring
        self.want_git = git
        self.authority_args = list(authority_args)
        self._servers = []
        self._service = None
        self._extra_services = []
        self.logs = LogRecorder()
        self.final_leaks = []

    # -- lifecycle -------------------------------------------------------------------
    def start(self):
        # A missing prerequisite skips the tests that need it, before anything starts.
        skip_unless("python3-cryptography", *(("dbus-daemon", "gnome-keyring")
                                              if self.want_keyring else ()),
                    *(("git",) if self.want_git else ()))
        self.tmp = Path(tempfile.mkdtemp(prefix="aadcred-it-"))
        self.home = self.tmp / "home"
        self.runtime = self.tmp / "run"
        for d in (self.home, self.runtime, self.home / ".config"):
            d.mkdir(mode=0o700, parents=True)
        self.certs = self.tmp / "certs"
        # The Azure DevOps names let a test reach the git server as dev.azure.com through
        # a local proxy (connect_proxy.py), TLS verified as for the real one.
        subprocess.run([PYTHON, str(AUTHORITY_DIR / "make_ca.py"), "--out", str(self.certs),
                        "--name", "dev.azure.com", "--name", "fabrikam.visualstudio.com"],
                       check=True, stdout=subprocess.DEVNULL)
        self.ca = str(self.certs / "ca.pem")
        self.other_ca = str(self.certs / "other-ca.pem")
        self.env = self._base_env()
        # Any kernel keyring use goes to a session keyring of this run alone.
        self.kernel_keyring_problem = fresh_session_keyring()
        self.env["AADCRED_KEYRING"] = "session"
        self.authority = _Server(
            [PYTHON, str(AUTHORITY_DIR / "authority.py"), "--cert", str(self.certs / "server.pem"),
             "--key", str(self.certs / "server.key"), "--interval", "1", *self.authority_args],
            self.env, self.tmp / "authority.log")
        self._servers.append(self.authority)
        self.authority_base = self.authority.url
        self.authority_url = f"{self.authority.url}/{TENANT}"
        # Our authority is not one of Azure's hosts, so instance discovery asks it instead.
        self.env["AADCRED_INSTANCE_DISCOVERY_URL"] = self.authority_base
        if self.want_keyring:
            self._start_keyring()
        if self.want_git:
            self.repos = self.tmp / "repos"
            self.repos.mkdir()
            self.git_server = _Server(
                [PYTHON, str(AUTHORITY_DIR / "git_server.py"), "--cert",
                 str(self.certs / "server.pem"), "--key", str(self.certs / "server.key"),
                 "--repos", str(self.repos), "--authority", self.authority_base, "--ca", self.ca],
                self.env, self.tmp / "git_server.log")
            self._servers.append(self.git_server)
        return self

    def stop(self):
        try:
            self.final_leaks = self.secret_leaks(include_log_files=True)
        except OSError as error:  # the authority is gone: nothing to compare with
            self.final_leaks = [f"cannot ask the authority what it issued: {error}"]
        for server in reversed(self._servers):
            server.stop()
        self._servers.clear()
        self._stop_keyring()
        if os.environ.get("AADCRED_KEEP_TMP"):
            print(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def _base_env(self):
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
        env.update({
            "HOME": str(self.home),
            "XDG_RUNTIME_DIR": str(self.runtime),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            # The machine's /etc/aadcred/config must not steer a test; tests that want a
            # system-wide config write this file.
            "AADCRED_SYSTEM_CONFIG": str(self.home / "etc-aadcred-config"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "LC_ALL": "C.UTF-8",
        })
        return env

    # -- the Secret Service ----------------------------------------------------------
    def _start_keyring(self):
        self._service = SecretService(self.env).start()
        self.env.update(self._service.env_overrides)

    def _stop_keyring(self):
        if self._service is not None:
            self._service.stop()
            self._service = None
        for service in self._extra_services:
            service.stop()
        self._extra_services.clear()

    def kill_bus(self):
        """Stops the D-Bus session (for 'keyring gone' tests)."""
        if self._service is not None:
            self._service.stop(kill=True)
            self._service = None

    def extra_secret_service(self, login_keyring=None):
        """Another Secret Service beside the world's own, with its own files, stopped with
        the world; pass its env_overrides to run() to use it. With login_keyring (see
        SecretService) it starts with that login collection."""
        data_home = self.tmp / f"secret-service-{len(self._extra_services) + 1}"
        data_home.mkdir(mode=0o700)
        service = SecretService(dict(self.env, XDG_DATA_HOME=str(data_home)),
                                login_keyring).start()
        self._extra_services.append(service)
        return service

    def secret_tool(self, *args):
        """secret-tool on this world's Secret Service. A change made with it is one aadcred
        does not see, so the hot cache is emptied as aadcred's own writes empty it."""
        skip_unless("secret-tool")
        result = subprocess.run(["secret-tool", *args], env=self.env, capture_output=True,
                                text=True, timeout=30)
        if args and args[0] in ("clear", "store"):
            clear_hot_cache()
        return result

    # -- the authority's control API --------------------------------------------------
    def _ssl(self):
        return ssl.create_default_context(cafile=self.ca)

    def control(self, path, body=None, method=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.authority_base}/_control/{path}", data=data,
                                     method=method or ("POST" if body is not None else "GET"),
                                     headers={"Content-Type": "application/json"})
        # No proxy: the authority is on loopback whatever *_proxy says.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                             urllib.request.HTTPSHandler(context=self._ssl()))
        with opener.open(req, timeout=30) as resp:
            text = resp.read().decode()
        return json.loads(text) if text else None

    def reset(self):
        self.control("reset", {})
        # The authority forgot the tokens it issued; aadcred's hot cache must not hand one
        # out in place of what the store (which the test may clear too) holds.
        clear_hot_cache()

    def behaviour(self, **settings):
        self.control("behaviour", settings)

    def faults(self, *faults):
        self.control("faults", list(faults))

    def requests(self, path_suffix=None):
        """The authority's request log, optionally only paths ending with path_suffix."""
        log = self.control("log")
        if path_suffix:
            log = [r for r in log if r["path"].endswith(path_suffix)]
        return log

    def token_requests(self, grant_type=None):
        reqs = self.requests("/token")
        if grant_type:
            reqs = [r for r in reqs if r.get("form", {}).get("grant_type") == grant_type]
        return reqs

    def secret_leaks(self, include_log_files=False):
        """Logs (see secret_hygiene.py) that hold a token or code the authority issued."""
        return self.logs.leaks(self.control("issued"),
                               self.tmp if include_log_files else None)

    def pending_codes(self):
        return self.control("pending")

    def introspect(self, token):
        return self.control("introspect", {"token": token})

    # -- git ------------------------------------------------------------------------------
    def create_repo(self, name="repo.git"):
        """A bare repository with one commit, served by the git server."""
        bare = self.repos / name
        work = self.tmp / ("seed-" + name)
        env = dict(self.env, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
                   GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com")
        subprocess.run(["git", "init", "-q", "-b", "main", str(work)], check=True, env=env)
        (work / "README").write_text("hello from the aadcred test server\n")
        subprocess.run(["git", "-C", str(work), "add", "README"], check=True, env=env)
        subprocess.run(["git", "-C", str(work), "commit", "-qm", "seed"], check=True, env=env)
        subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True, env=env)
        subprocess.run(["git", "-C", str(bare), "config", "http.receivepack", "true"], check=True)
        return f"{self.git_server.url}/{name}"

    def git_config_global(self, *pairs):
        """Writes key/value pairs into this world's global git config."""
        for key, value in pairs:
            subprocess.run(["git", "config", "--global", key, value], check=True, env=self.env)

    def helper_command(self):
        """credential.helper's value for our helper: its path, or a shell command ("!")
        that runs it under WRAPPER."""
        path = binary("git-credential-aadcred")
        return "!" + " ".join([*WRAPPER, path]) if WRAPPER else path

    def configure_helper(self, url_prefix=None, store=None, extra=()):
        """Points git's credential machinery at git-credential-aadcred for the git server."""
        prefix = url_prefix or self.git_server.url
        pairs = [
            ("credential.helper", ""),
            (f"credential.{prefix}.helper", self.helper_command()),
            (f"credential.{prefix}.aadcredAuthority", self.authority_url),
            (f"credential.{prefix}.aadcredClientId", CLIENT_ID),
            (f"credential.{prefix}.aadcredResource", RESOURCE),
            (f"credential.{prefix}.aadcredCaFile", self.ca),
            (f"http.{prefix}.sslCAInfo", self.ca),
        ]
        if store:
            pairs.append((f"credential.{prefix}.aadcredStore", store))
        self.git_config_global(*pairs, *extra)

    # -- running things ---------------------------------------------------------------------
    def run(self, argv, input=None, timeout=120, env=None, check=False):
        """Runs a program in this world's environment; returns CompletedProcess (text)."""
        full_env = dict(self.env)
        if env:
            full_env.update(env)
        argv = wrapped(argv)
        # A session of its own: never the terminal of whoever runs the tests, which the
        # helper would write its prompt to (/dev/tty) instead of stderr.
        result = subprocess.run(argv, input=input, capture_output=True, text=True,
                                timeout=timeout, env=full_env, check=check,
                                start_new_session=True)
        if is_ours(argv, BUILD_ROOT) and result.stderr:
            self.logs.sink(argv).append(result.stderr)
        return result

    def spawn(self, argv, env=None):
        """Starts a program in the background (stdout/stderr piped)."""
        full_env = dict(self.env)
        if env:
            full_env.update(env)
        argv = wrapped(argv)
        if not is_ours(argv, BUILD_ROOT):
            return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, env=full_env,
                                    start_new_session=True)
        return RecordedPopen(argv, self.logs.sink(argv), stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=full_env, start_new_session=True)

    def aadcred(self, *args, input=None, timeout=120, env=None):
        """Runs the aadcred tool against this world's authority."""
        base = ["--authority", self.authority_url, "--client-id", CLIENT_ID,
                "--ca-file", self.ca]
        return self.run([binary("aadcred"), *base, *args], input=input, timeout=timeout, env=env)


class WorldTestCase(unittest.TestCase):
    """A TestCase whose class shares one World; each test starts with a reset authority."""

    world_options = {}

    @classmethod
    def setUpClass(cls):
        cls.world = World(**cls.world_options).start()

    @classmethod
    def tearDownClass(cls):
        cls.world.stop()
        if cls.world.final_leaks:
            raise AssertionError("issued secrets in logs: %s" % cls.world.final_leaks)

    def tearDown(self):
        leaks = self.world.secret_leaks()
        self.assertEqual(leaks, [], "a token or code the authority issued reached a log")

    def setUp(self):
        self.world.reset()
        self.world.behaviour(interval=1)
