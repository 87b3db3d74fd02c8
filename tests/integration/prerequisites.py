"""What the integration tests need from the machine, and what to do when it is not there
(issue 10): a test whose prerequisite is missing is skipped with the reason, and a module
all of whose tests were skipped so exits 77, which meson reports as SKIP, instead of
failing. scripts/install-deps installs everything, so CI runs them all.

    require("pamtester", "libpam_wrapper")   # at import: the whole module, exit 77
    skip_unless("git")                       # in setUpClass or a test: unittest.SkipTest
    main()                                   # instead of unittest.main()

AADCRED_TEST_PRETEND_MISSING=name[,name...] makes the named prerequisites count as missing,
to try the skip path on a machine that has them all.

Names starting with "built:" ask what the build under test has (-Dwstrust, -Dkeyutils,
-Dqrencode; read from its meson-info), e.g. skip_unless("built:wstrust").

Standard library only (Debian's /usr/bin/python3).
"""

import importlib
import json
import os
import shutil
import sys
import unittest
from pathlib import Path

SKIP_EXIT = 77  # meson's exit code for a skipped test

_PRETEND = {name.strip() for name in os.environ.get("AADCRED_TEST_PRETEND_MISSING", "").split(",")
            if name.strip()}

# The library the dynamic loader finds for LD_PRELOAD=libpam_wrapper.so.
_LIBRARY_DIRS = ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64",
                 "/lib", "/usr/lib", "/usr/local/lib")


def _program(name):
    return lambda: shutil.which(name) is not None


def _file(path):
    return lambda: os.path.exists(path)


def _library(filename):
    def found():
        dirs = [d for d in os.environ.get("LD_LIBRARY_PATH", "").split(":") if d]
        return any(os.path.exists(os.path.join(d, filename)) for d in [*dirs, *_LIBRARY_DIRS])
    return found


def _python_module(name):
    def found():
        try:
            importlib.import_module(name)
        except ImportError:
            return False
        return True
    return found


# name: (is it here?, what to install). The Debian 12 packages are those of scripts/install-deps.
_CHECKS = {
    "dbus-daemon": (_program("dbus-daemon"), "dbus"),
    "dbus-run-session": (_program("dbus-run-session"), "dbus"),
    "gnome-keyring": (_program("gnome-keyring-daemon"), "gnome-keyring"),
    "secret-tool": (_program("secret-tool"), "libsecret-tools"),
    "gdbus": (_program("gdbus"), "libglib2.0-bin"),
    "git": (_program("git"), "git"),
    "pamtester": (_program("pamtester"), "pamtester"),
    "libpam_wrapper": (_library("libpam_wrapper.so"), "libpam-wrapper"),
    "python3-cryptography": (_python_module("cryptography"), "python3-cryptography"),
    "python3-adal": (_python_module("adal"), "python3-adal"),
    "python3-paramiko": (_python_module("paramiko"), "python3-paramiko"),
    "openssh-server": (_file("/usr/sbin/sshd"), "openssh-server"),
    "openssh-client": (_program("ssh"), "openssh-client"),
    "cc": (_program("cc"), "build-essential"),
    "valgrind": (_program("valgrind"), "valgrind"),
}

# built:<feature>: the meson dependency that feature brings in (meson_options.txt).
_BUILT = {"wstrust": "libxml-2.0", "keyutils": "libkeyutils", "qrencode": "libqrencode",
          "secret_service": "libsecret-1", "pam": "pam"}


def _build_root():
    return Path(os.environ.get("AADCRED_BUILD_ROOT",
                               Path(__file__).resolve().parents[2] / "build"))


def _built_with(feature):
    """Whether the build under test found the library of `feature`; True when it cannot
    tell (an installed run, AADCRED_INSTALLED=1, has no meson-info)."""
    if os.environ.get("AADCRED_INSTALLED") == "1":
        return True
    try:
        found = json.loads((_build_root() / "meson-info" / "intro-dependencies.json").read_text())
    except (OSError, ValueError):
        return True
    return _BUILT[feature] in {dep.get("name") for dep in found}


def built_with(feature):
    """Whether the build under test has `feature` (a key of _BUILT), as missing() sees it."""
    return not missing("built:" + feature)


def missing(*names):
    """Why each of `names` is missing ("needs pamtester (apt install pamtester)"), in order;
    empty when all are here."""
    reasons = []
    for name in names:
        if name.startswith("built:"):
            feature = name.split(":", 1)[1]
            if feature not in _BUILT:
                raise KeyError(f"unknown build feature {feature!r}")
            if name in _PRETEND or feature in _PRETEND or not _built_with(feature):
                reasons.append(f"needs a build with {feature} (-D{feature}=enabled)")
            continue
        if name not in _CHECKS:
            raise KeyError(f"unknown prerequisite {name!r}")  # a typo must not skip quietly
        here, package = _CHECKS[name]
        if name in _PRETEND:
            reasons.append(f"needs {name} (pretended missing: AADCRED_TEST_PRETEND_MISSING)")
        elif not here():
            reasons.append(f"needs {name} (apt install {package}, or scripts/install-deps)")
    return reasons


def skip_unless(*names):
    """Raises unittest.SkipTest naming what is missing, if anything is."""
    reasons = missing(*names)
    if reasons:
        raise unittest.SkipTest("; ".join(reasons))


def require(*names):
    """For a module that cannot run at all without `names`: prints SKIP and exits 77 at
    once when one is missing (call it before importing a missing Python package)."""
    reasons = missing(*names)
    if reasons:
        print("SKIP: " + "; ".join(reasons), flush=True)
        sys.exit(SKIP_EXIT)


def main():
    """unittest.main(), but a run where every test was skipped exits 77 (SKIP) after a
    'SKIP: <reasons>' line; a run with a failure or error exits 1 as usual."""
    program = unittest.main(module="__main__", exit=False)
    result = program.result
    bad = result.failures or result.errors or result.unexpectedSuccesses
    # A class skipped in setUpClass is one skip entry whose tests never ran.
    ran_and_skipped = sum(isinstance(test, unittest.TestCase) for test, _ in result.skipped)
    if not bad and result.skipped and result.testsRun == ran_and_skipped \
            and not result.expectedFailures:
        reasons = sorted({reason for _, reason in result.skipped})
        print("SKIP: " + "; ".join(reasons), flush=True)
        sys.exit(SKIP_EXIT)
    sys.exit(0 if result.wasSuccessful() else 1)
