"""The README's main job, narrated. Run through scripts/demo (which builds first).

  --approve-after S   approve the sign-in automatically after S seconds (default 8);
                      0 waits for you to approve it on the printed page.
"""

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import harness  # noqa: E402


def say(text):
    print(f"\n\033[1m==> {text}\033[0m", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--approve-after", type=int, default=8)
    args = parser.parse_args()

    authority_args = ["--interval", "2"]
    if args.approve_after > 0:
        authority_args += ["--auto-approve-after", str(args.approve_after)]
    with harness.World(keyring=True, git=True, authority_args=authority_args) as world:
        say(f"Local authority (Azure AD stand-in): {world.authority_url}")
        print(f"    Sign-in page for people: {world.authority_base}/device")
        if args.approve_after > 0:
            print(f"    (this demo approves the sign-in by itself after {args.approve_after} s)")
        url = world.create_repo("demo.git")
        say(f"Local HTTPS git server, accepting only the authority's tokens: {url}")
        world.configure_helper()
        world.behaviour(interval=2)
        print("    git config: credential.helper = git-credential-aadcred, with "
              "aadcredAuthority, aadcredClientId, aadcredResource, aadcredCaFile")

        say("git clone  (cache miss: device code sign-in)")
        clone = world.tmp / "demo"
        # stderr goes straight to this terminal: that is where git shows the code.
        subprocess.run(["git", "clone", url, str(clone)], env=world.env, check=True,
                       timeout=300)
        print((clone / "README").read_text(), end="")

        before = len(world.requests())
        say("git fetch  (cache hit: silent)")
        subprocess.run(["git", "-C", str(clone), "fetch", "-v"], env=world.env, check=True,
                       timeout=120)
        after = len(world.requests())
        print(f"    requests to the authority during the fetch: {after - before}")

        say("The token in the Secret Service (secret-tool search xdg:schema org.aadcred.Token)")
        found = world.secret_tool("search", "--all", "xdg:schema", "org.aadcred.Token")
        for line in (found.stdout + found.stderr).splitlines():
            # The secret is the token itself: show that it is there, not what it is.
            if line.startswith("secret = "):
                line = f"secret = <{len(line) - 9} bytes: the ADAL token entry as JSON>"
            print(f"    {line}")
        if found.returncode != 0 or "aadcred:" not in found.stdout + found.stderr:
            print("demo failed: no aadcred item in the Secret Service", file=sys.stderr)
            return 1
        if after != before:
            print("demo failed: the second fetch was not silent", file=sys.stderr)
            return 1
        say("Done: one sign-in, then silent.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
