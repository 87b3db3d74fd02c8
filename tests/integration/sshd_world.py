"""A real OpenSSH sshd for pam_aadcred.so, set up and torn down as an admin would do it.

sshd takes its PAM service name from its program name, so a copy named
aadcred-test-sshd reads /etc/pam.d/aadcred-test-sshd and never /etc/pam.d/sshd. That
file exists only while the test runs. pam_wrapper is not used: it would have to survive
sshd's re-exec and its privilege-separated children, and the point here is the module
as a real host loads it, from a root-owned config file, with sshd's empty environment.

Needs root (useradd, /etc/pam.d, /run/sshd) and Debian's openssh-server; `problem()`
says why not when they are missing, for unittest.SkipTest.
"""
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import harness

SSHD = "/usr/sbin/sshd"
SERVICE = "aadcred-test-sshd"
PAM_FILE = Path("/etc/pam.d") / SERVICE
RUN_AADCRED = Path("/run/aadcred")
LISTENING = re.compile(r"Server listening on 127\.0\.0\.1 port (\d+)")


def problem():
    """Why this host cannot run the sshd tests, or None."""
    if os.geteuid() != 0:
        return "needs root (a local user, /etc/pam.d, sshd's privilege separation)"
    for tool in (SSHD, shutil.which("useradd"), shutil.which("userdel"),
                 shutil.which("ssh-keygen")):
        if tool is None or not os.path.exists(tool):
            return "needs openssh-server and passwd (scripts/install-deps)"
    if PAM_FILE.exists() and not _remove_stale_service():
        return f"{PAM_FILE} exists already and is not ours (another run?)"
    return None


MARKER = re.compile(r"^# aadcred's sshd end-to-end test \(pid (\d+)\)")


def _remove_stale_service():
    """A run killed before its cleanup leaves its PAM file: removed when the run that
    wrote it is gone. False when the file is another live run's or not ours."""
    match = MARKER.match(PAM_FILE.read_text())
    if match is None or os.path.exists(f"/proc/{match.group(1)}"):
        return False
    PAM_FILE.unlink(missing_ok=True)
    return True


def descendants(pid):
    """Pids of every process below `pid` (from /proc)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def processes_of(uid):
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    pids.append(int(entry))
            except OSError:
                pass
    return pids


class SshdWorld:
    """sshd on 127.0.0.1, a PAM service of its own, a local user and a config file.

    `settings` are the pam.conf lines (key -> value); write_settings() changes them
    between logins (the module reads the file at every authentication)."""

    def __init__(self, world, module, user):
        self.world = world
        self.module = module
        self.user = user
        self.upn = f"{user}@contoso.com"
        self._cleanups = []
        self.proc = None
        self.log_lines = []

    # -- lifecycle ---------------------------------------------------------------------
    def start(self):
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self):
        # /tmp, 0755: the test user must reach its home and the CA below it.
        self.dir = Path(tempfile.mkdtemp(prefix="aadcred-sshd-"))
        self.dir.chmod(0o755)
        self._cleanups.append(lambda: shutil.rmtree(self.dir, ignore_errors=True))
        self.ca = self.dir / "ca.pem"
        shutil.copyfile(self.world.ca, self.ca)
        self.ca.chmod(0o644)

        self._make_user()
        self._watch_run_aadcred()
        self.conf = self.dir / "pam.conf"
        self.write_settings()
        self._write_pam_service()
        self._start_sshd()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            for pid in descendants(self.proc.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            harness.stop_process(self.proc)
        while self._cleanups:
            try:
                self._cleanups.pop()()
            except Exception as error:  # keep cleaning: one failure must not leave the rest
                print(f"sshd_world cleanup: {error}")

    # -- parts -------------------------------------------------------------------------
    def _make_user(self):
        home = self.dir / "home"
        home.mkdir(mode=0o755)
        subprocess.run(["useradd", "-m", "-d", str(home / self.user), "-s", "/bin/sh",
                        "-c", "aadcred sshd test", self.user], check=True,
                       capture_output=True)
        self._cleanups.append(self._remove_user)
        entry = pwd.getpwnam(self.user)
        self.uid, self.gid, self.home = entry.pw_uid, entry.pw_gid, Path(entry.pw_dir)

    def _remove_user(self):
        for _ in range(50):  # the user's last processes may still be exiting
            pids = processes_of(self.uid)
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.1)
        subprocess.run(["userdel", "-r", "-f", self.user], capture_output=True)

    def _watch_run_aadcred(self):
        """Puts /run/aadcred back as it was: the test user's hand-over directory and the
        staging files this run made go; /run/aadcred itself if we made it."""
        existed = RUN_AADCRED.exists()
        staging = RUN_AADCRED / "staging"
        before = set(os.listdir(staging)) if staging.is_dir() else set()

        def restore():
            if not existed:
                shutil.rmtree(RUN_AADCRED, ignore_errors=True)
                return
            shutil.rmtree(RUN_AADCRED / str(self.uid), ignore_errors=True)
            if staging.is_dir():
                for name in set(os.listdir(staging)) - before:
                    (staging / name).unlink(missing_ok=True)
        self._cleanups.append(restore)

    def write_settings(self, **override):
        settings = {
            "authority": self.world.authority_url,
            "client_id": harness.CLIENT_ID,
            "resource": harness.RESOURCE,
            "ca_file": str(self.ca),
            "domain": "contoso.com",
            "validate_authority": "false",
            "timeout": "60",
            # The host-wide key cache, but this run's: nothing left in /var/cache.
            "key_cache": str(self.dir / "keys"),
        }
        settings.update(override)
        text = "# written by tests/integration/sshd_world.py\n" + "".join(
            f"{k} = {v}\n" for k, v in settings.items() if v is not None)
        self.conf.write_text(text)
        self.conf.chmod(0o644)

    def _write_pam_service(self):
        # The Entra-only stanza: no Unix password after a failed or refused code.
        PAM_FILE.write_text(
            f"# aadcred's sshd end-to-end test (pid {os.getpid()}); removed when it ends\n"
            f"auth     required {self.module} config={self.conf}\n"
            "account  required pam_unix.so\n"
            "session  required pam_permit.so\n"
            f"session  optional {self.module} config={self.conf}\n")
        self._cleanups.append(lambda: PAM_FILE.unlink(missing_ok=True))

    def _start_sshd(self):
        sshd = self.dir / SERVICE  # the program name is the PAM service name
        shutil.copy2(SSHD, sshd)
        key = self.dir / "host_ed25519"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)],
                       check=True)
        privsep = Path("/run/sshd")
        if not privsep.exists():
            privsep.mkdir(mode=0o755)
            self._cleanups.append(lambda: shutil.rmtree(privsep, ignore_errors=True))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        config = self.dir / "sshd_config"
        config.write_text(
            f"Port {port}\nListenAddress 127.0.0.1\nHostKey {key}\n"
            f"PidFile {self.dir / 'sshd.pid'}\n"
            "UsePAM yes\nKbdInteractiveAuthentication yes\n"
            "AuthenticationMethods keyboard-interactive\n"
            "PasswordAuthentication no\nPubkeyAuthentication no\nPermitRootLogin no\n"
            f"AllowUsers {self.user}\n"
            "UseDNS no\nPrintMotd no\nPrintLastLog no\nLogLevel VERBOSE\n"
            "LoginGraceTime 90\nMaxStartups 20\n")
        self.log_path = self.world.tmp / "sshd.log"
        # sshd gets no environment of ours: what the module needs is in its config file.
        self.proc = subprocess.Popen(
            [str(sshd), "-D", "-e", "-f", str(config)], stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"})
        ready = threading.Event()

        def drain():
            with open(self.log_path, "a") as log:
                for line in self.proc.stderr:
                    log.write(line)
                    log.flush()
                    self.log_lines.append(line)
                    if LISTENING.search(line):
                        ready.set()
            ready.set()
        threading.Thread(target=drain, daemon=True).start()
        if not ready.wait(30) or self.proc.poll() is not None:
            raise RuntimeError("sshd did not start: " + "".join(self.log_lines[-20:]))
        self.port = port

    def log(self):
        return "".join(self.log_lines)

    def connections(self):
        """Pids of the processes serving connections (everything below the listener)."""
        return descendants(self.proc.pid)

    def write_user_file(self, name, text, mode=0o644):
        path = self.home / name
        path.write_text(text)
        os.chown(path, self.uid, self.gid)
        path.chmod(mode)
        return path
