"""Warm-path benchmark: `git credential fill` through git-credential-aadcred against git's
own git-credential-libsecret, on the same private gnome-keyring, as a ratio.

git-credential-libsecret is built from the source Debian's git package ships
(/usr/share/doc/git/contrib/credential/libsecret/); nothing of it enters this tree.

  /usr/bin/python3 bench/warm_fill.py [--runs N]     (build first: scripts/build)

A benchmark, not a test: it prints numbers and asserts nothing about them.
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import harness  # noqa: E402

LIBSECRET_SRC = Path("/usr/share/doc/git/contrib/credential/libsecret/git-credential-libsecret.c")


def build_libsecret_helper(out_dir):
    exe = out_dir / "git-credential-libsecret"
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "glib-2.0", "libsecret-1"],
                           check=True, capture_output=True, text=True).stdout.split()
    subprocess.run(["cc", "-O2", "-o", str(exe), str(LIBSECRET_SRC), *flags], check=True)
    return str(exe)


def fill_action(world, helper_args, host):
    """One warm `git credential fill` for host, as a function (the bench times it)."""
    query = f"protocol=https\nhost={host}\n\n"
    argv = ["git", *helper_args, "credential", "fill"]

    def fill():
        out = world.run(argv, input=query, env={"GIT_TERMINAL_PROMPT": "0"})
        if "password=" not in out.stdout:
            raise RuntimeError(f"fill failed: {out.stderr}")
    return fill


def time_fill(world, helper_args, host, runs):
    fill = fill_action(world, helper_args, host)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fill()
        samples.append(time.perf_counter() - start)
    return samples


def prepare(world):
    """Signs in through git-credential-aadcred and stores the same credential through
    git's own libsecret helper, in the same keyring; returns (libsecret helper, host)."""
    libsecret = build_libsecret_helper(world.tmp)
    world.configure_helper()
    host = world.git_server.url.split("://", 1)[1]
    world.behaviour(approve_after_polls=1, interval=1)
    first = world.run(["git", "credential", "fill"], input=f"protocol=https\nhost={host}\n\n")
    token = dict(line.split("=", 1) for line in first.stdout.splitlines() if "=" in line)
    # Its reader (git 2.39) takes lines of at most 1023 bytes, shorter than an Azure AD
    # access token, so it gets the token's first 900 bytes: the lookup cost is the same.
    world.run([libsecret, "store"], input=(f"protocol=https\nhost=libsecret.{host}\n"
                                           f"username={token['username']}\n"
                                           f"password={token['password'][:900]}\n\n"),
              check=True)
    return libsecret, host


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    if not LIBSECRET_SRC.exists() or not shutil.which("cc"):
        print("needs git's contrib source (Debian package git) and a C compiler")
        return 1
    with harness.World(keyring=True, git=True) as world:
        libsecret, host = prepare(world)
        ours = time_fill(world, [], host, args.runs)
        theirs = time_fill(world, ["-c", f"credential.helper={libsecret}"],
                           f"libsecret.{host}", args.runs)
    m_ours, m_theirs = statistics.median(ours), statistics.median(theirs)
    print(f"warm git credential fill, median of {args.runs} runs")
    print(f"  git-credential-aadcred   {m_ours * 1000:8.2f} ms")
    print(f"  git-credential-libsecret {m_theirs * 1000:8.2f} ms")
    print(f"  ratio aadcred/libsecret  {m_ours / m_theirs:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
