"""The warm-path goals of issue 12, measured side by side in one run and printed as ratios
next to their goals:

  warm `git credential fill`   git-credential-aadcred / git-credential-libsecret   <= 0.8
  warm token                    `aadcred token` / python3-adal acquire_token        <= 0.05
  silent refresh                `aadcred token` / python3-adal acquire_token        <= 0.25

The warm token is `aadcred token` as people run it: the default store (the Secret Service)
and so the hot cache in the kernel keyring (src/cache/hot_cache.hpp); a second row gives
the same call with the ADAL cache file python3-adal reads (`--store file:PATH`), for
information.

Each sample is one whole process, as a user or a script runs it, against the same local
authority, keyring and cache: git's own libsecret helper is built from the source
Debian's git package ships (as bench/warm_fill.py does), and python3-adal reads the very
ADAL cache file `aadcred --store file:PATH` writes. For the refresh both sides start
from the same expired access token; the authority keeps refresh tokens valid after use
so every run refreshes alike. The refresh is not quite like for like, to aadcred's cost:
`aadcred token` validates the authority (instance discovery, then the token request, on
one connection), python3-adal runs with validate_authority=False (the token request
only), because its instance discovery always asks login.microsoftonline.com, which the
local authority is not. Most of python3-adal's time is the interpreter importing adal.

It then times a warm `aadcred token --user` against the Secret Service holding 10 and
--accounts (default 10,000) accounts of the same authority and client (goal: flat, about
1.0). The goal row is the call as people run it, answered by the hot cache after the
first; the rows after it are for information: the same lookup in the store itself (hot
cache off), `secret-tool lookup` of one item (what any Secret Service client pays:
gnome-keyring's own calls grow with the items it holds) and `aadcred list` of them all (a
listing grows with what it lists). The accounts are aadcred's own stored item multiplied
into a keyring file gnome-keyring starts with (tests/integration/keyring_file.py says
why).

  /usr/bin/python3 bench/ratios.py [--runs N] [--accounts N]   (build first: scripts/build)

A benchmark, not a test: it prints numbers and asserts nothing about them.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
import harness  # noqa: E402
import keyring_file  # noqa: E402 (tests/integration)
import warm_fill  # noqa: E402

# python3-adal's silent acquire_token, one process per call like `aadcred token`.
ADAL_SILENT = """
import json, sys, adal
authority, client_id, resource, user, path = sys.argv[1:6]
cache = adal.TokenCache(state=open(path).read())
ctx = adal.AuthenticationContext(authority, validate_authority=False, cache=cache)
token = ctx.acquire_token(resource, user, client_id)
sys.stdout.write(token["accessToken"] + "\\n")
"""
LONG_AGO = "2000-01-01 00:00:00.000000"


def median_ms(samples):
    return statistics.median(samples) * 1000


def timed(runs, action, before=None, warm_up=0):
    for _ in range(warm_up):
        action()
    samples = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def expire(path):
    """The cache file with every access token expired: the next call must refresh."""
    entries = json.loads(path.read_text())
    for entry in entries:
        entry["expiresOn"] = LONG_AGO
    path.write_text(json.dumps(entries))


def fill_keyring(world, cache, count):
    """A new Secret Service holding alice's entry (from the ADAL cache file) and count - 1
    other accounts of the same authority and client, and the command line that looks
    alice up in it. Returns once the store answers: gnome-keyring reads a large file for
    a while before it answers at all."""
    world.secret_tool("clear", "xdg:schema", "org.aadcred.Token")
    alice = json.loads(cache.read_text())[0]
    alice["expiresOn"] = "2099-01-01 00:00:00.000000"
    bulk = world.tmp / "alice.json"
    bulk.write_text(json.dumps([alice]))
    base = [harness.binary("aadcred"), "--authority", world.authority_url, "--client-id",
            harness.CLIENT_ID, "--ca-file", world.ca, "--store", "secret-service"]
    result = world.run(base + ["cache", "import", str(bulk)])
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    [template] = keyring_file.read_items(world)
    world.restart_keyring(keyring_file.textual_keyring(
        keyring_file.clones(template, count, lambda i: f"user{i}@contoso.com")))
    lookup = base + ["token", "--no-prompt", "--resource", harness.RESOURCE, "--user",
                     harness.ALICE]
    deadline = time.monotonic() + 600
    while world.run(lookup, env={"AADCRED_HOT_CACHE": "off"}).returncode != 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"gnome-keyring did not answer with {count} accounts")
    return base, lookup, template["attributes"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--accounts", type=int, default=10000)
    args = parser.parse_args()
    rows = []
    with harness.World(keyring=True, git=True) as world:
        world.behaviour(approve_after_polls=0, invalidate_old_refresh_tokens=False)

        # 1. warm git credential fill, against git's own libsecret helper.
        libsecret, host = warm_fill.prepare(world)
        world.behaviour(approve_after_polls=0, invalidate_old_refresh_tokens=False)
        ours = warm_fill.time_fill(world, [], host, args.runs)
        theirs = warm_fill.time_fill(world, ["-c", f"credential.helper={libsecret}"],
                                     f"libsecret.{host}", args.runs)
        rows.append(("warm git credential fill", "git-credential-libsecret", ours, theirs, 0.8))

        # 2. warm token and 3. silent refresh, from one ADAL cache file.
        cache = world.tmp / "adal-cache.json"
        aadcred = [harness.binary("aadcred"), "--authority", world.authority_url, "--client-id",
                   harness.CLIENT_ID, "--ca-file", world.ca, "--store", f"file:{cache}",
                   "--flow", "device", "token", "--resource", harness.RESOURCE, "--user",
                   harness.ALICE]
        signed_in = world.run(aadcred)
        if signed_in.returncode != 0:
            raise RuntimeError(signed_in.stderr)
        adal = ["/usr/bin/python3", "-c", ADAL_SILENT, world.authority_url, harness.CLIENT_ID,
                harness.RESOURCE, harness.ALICE, str(cache)]
        adal_env = {"REQUESTS_CA_BUNDLE": world.ca}

        def run_ours():
            if world.run(aadcred).returncode != 0:
                raise RuntimeError("aadcred token failed")

        def run_adal():
            result = world.run(adal, env=adal_env)
            if result.returncode != 0:
                raise RuntimeError(result.stderr)

        # As people run it: the default store, and so the hot cache (filled by the first).
        default_store = [harness.binary("aadcred"), "--authority", world.authority_url,
                         "--client-id", harness.CLIENT_ID, "--ca-file", world.ca, "--flow",
                         "device", "token", "--resource", harness.RESOURCE, "--user",
                         harness.ALICE]
        signed_in = world.run(default_store)
        if signed_in.returncode != 0:
            raise RuntimeError(signed_in.stderr)

        def run_default_store():
            if world.run(default_store).returncode != 0:
                raise RuntimeError("aadcred token failed")

        adal_warm = timed(args.runs, run_adal)
        rows.append(("warm token", "python3-adal acquire_token",
                     timed(args.runs, run_default_store), adal_warm, 0.05))
        rows.append(("warm token, file store", "python3-adal acquire_token",
                     timed(args.runs, run_ours), adal_warm, None))
        rows.append(("silent refresh", "python3-adal acquire_token",
                     timed(args.runs, run_ours, lambda: expire(cache)),
                     timed(args.runs, run_adal, lambda: expire(cache)), 0.25))

        # 4. a warm lookup by account, with few and with many accounts in the keyring.
        hot, store, peer, listed = [], [], [], []
        store_only = {"AADCRED_HOT_CACHE": "off"}
        for count in (10, args.accounts):
            base, lookup, attributes = fill_keyring(world, cache, count)

            def run(argv, env=None):
                result = world.run(argv, env=env)
                if result.returncode != 0:
                    raise RuntimeError(result.stderr)

            secret_tool = ["secret-tool", "lookup", "xdg:schema", "org.aadcred.Token"]
            for name, value in sorted(attributes.items()):
                secret_tool += [name, value]
            hot.append(timed(args.runs, lambda: run(lookup), warm_up=3))
            store.append(timed(args.runs, lambda: run(lookup, store_only), warm_up=3))
            peer.append(timed(args.runs, lambda: run(secret_tool), warm_up=3))
            listed.append(timed(args.runs, lambda: run(base + ["list"]), warm_up=1))
        vs = f"{args.accounts} vs 10 accounts"
        rows.append((f"token --user, {vs}", "the same with 10", hot[1], hot[0], 1.0))
        rows.append(("  the same, store only", "the same with 10", store[1], store[0], None))
        rows.append(("  secret-tool lookup", "the same with 10", peer[1], peer[0], None))
        rows.append((f"list, {vs}", "the same with 10", listed[1], listed[0], None))

    print(f"median of {args.runs} runs each, one process per sample")
    print(f"{'':36} {'aadcred':>10} {'peer':>10} {'ratio':>7} {'goal':>7}")
    for name, peer, ours, theirs, goal in rows:
        ratio = median_ms(ours) / median_ms(theirs)
        if goal is None:
            target, verdict = "-", "(for information)"
        else:
            target, verdict = "<= %.2f" % goal, "met" if ratio <= goal else "not met"
        print(f"{name:36} {median_ms(ours):8.2f}ms {median_ms(theirs):8.2f}ms {ratio:7.2f} "
              f"{target:>7}  {verdict}  (peer: {peer})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
