"""Secret hygiene (issue 5): no token or code the authority issued may reach a log.

What counts as a log: the stderr of every program that carries our code (aadcred,
git-credential-aadcred, git running it, pamtester loading pam_aadcred.so with
pam_wrapper's syslog on stderr, the example programs), and every *.log file a World
writes. stdout is not a log: `aadcred token` prints the token there by design, and git
reads the helper's answer from it. The user code is meant for the person's eyes and is
not a secret; device codes, authorization codes and tokens are, at every log level and
with PII logging on (--log-pii covers personal data, never tokens).

The authority remembers every secret it sent (GET /_control/issued, kept across resets);
WorldTestCase checks after each test and when the World stops.
"""
import os
import subprocess
from pathlib import Path

# Programs whose stderr carries our log lines. Others (python3-adal, secret-tool, the
# authority's own tools) are not ours to judge.
_OUR_PROGRAMS = {"aadcred", "git-credential-aadcred", "git", "pamtester", "valgrind"}


def is_ours(argv, build_root):
    program = str(argv[0])
    return os.path.basename(program) in _OUR_PROGRAMS or program.startswith(str(build_root))


class _TeeText:
    """A child's stderr as the test reads it, line by line or whole, also kept."""

    def __init__(self, stream, sink):
        self._stream = stream
        self._sink = sink

    def __iter__(self):
        return self

    def __next__(self):
        line = next(self._stream)
        self._sink.append(line)
        return line

    def readline(self, *args):
        line = self._stream.readline(*args)
        self._sink.append(line)
        return line

    def read(self, *args):
        text = self._stream.read(*args)
        self._sink.append(text)
        return text

    def __getattr__(self, name):  # fileno, close, closed, encoding: what Popen needs
        return getattr(self._stream, name)


class RecordedPopen(subprocess.Popen):
    """subprocess.Popen whose stderr (text mode, piped) lands in `sink` as it is read."""

    def __init__(self, argv, sink, **kwargs):
        super().__init__(argv, **kwargs)
        self._sink = sink
        if self.stderr is not None:
            self.stderr = _TeeText(self.stderr, sink)

    def communicate(self, *args, **kwargs):
        out, err = super().communicate(*args, **kwargs)
        if err:
            self._sink.append(err)
        return out, err


class LogRecorder:
    """The logs one World produced, and the check against what the authority issued."""

    def __init__(self):
        self._outputs = []  # (label, list of text pieces)

    def sink(self, argv):
        pieces = []
        self._outputs.append((" ".join(str(a) for a in argv[:3]), pieces))
        return pieces

    def leaks(self, secrets, log_dir=None):
        """Labels of the logs holding any of `secrets`; the logs checked are then dropped.
        With `log_dir`, its *.log files are checked too."""
        found = []
        texts = [(label, "".join(pieces)) for label, pieces in self._outputs]
        self._outputs = []
        if log_dir is not None:
            for path in sorted(Path(log_dir).rglob("*.log")):
                texts.append((str(path), path.read_text(errors="replace")))
        for label, text in texts:
            hits = [s for s in secrets if s in text]
            if hits:
                # Name the log and the start of the secret, not the whole secret.
                found.append("%s holds %d issued secret(s), e.g. %s..." % (
                    label, len(hits), hits[0][:12]))
        return found
