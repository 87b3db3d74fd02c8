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

It then times a warm `aadcred token --user` against two Secret Services side by side,
one holding 10 and one --accounts (default 10,000) accounts of the same authority and
client. Goal: flat, a ratio of at most 1.10 (one and the same call, timed in turns
against itself, gave ratios from 0.99 to 1.04 here). The goal row is the call as people run it, answered by the
hot cache after the first; the rows after it are for information: the same lookup in the
store itself (hot cache off), `secret-tool lookup` of one item (what any Secret Service
client pays: gnome-keyring's own calls grow with the items it holds) and `aadcred list`
of them all (two D-Bus calls whatever the count, but gnome-keyring's GetSecrets takes
time that grows with the square of its items). The accounts are aadcred's own stored item
multiplied into a keyring file gnome-keyring starts with (tests/integration/
keyring_file.py says why).

Samples of the calls a ratio compares are taken in turns, so that the machine's slow
moments fall on both sides alike.

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


def interleaved(runs, actions, before=None, warm_up=0):
    """Samples of each action, taken in turns (the order rotating each round), so that the
    machine's slow and fast moments fall on all of them alike; one list per action."""
    for _ in range(warm_up):
        for action in actions:
            action()
    samples = [[] for _ in actions]
    for round_number in range(runs):
        for k in range(len(actions)):
            index = (k + round_number) % len(actions)
            if before:
                before()
            start = time.perf_counter()
            actions[index]()
            samples[index].append(time.perf_counter() - start)
    return samples


def expire(path):
    """The cache file with every access token expired: the next call must refresh."""
    entries = json.loads(path.read_text())
    for entry in entries:
        entry["expiresOn"] = LONG_AGO
    path.write_text(json.dumps(entries))


def checked(world, argv, env=None):
    """argv run in the world, as an action to time: a failed run ends the bench."""
    def action():
        result = world.run(argv, env=env, timeout=600)
        if result.returncode != 0:
            raise RuntimeError(f"{argv[0]} failed: {result.stderr}")
    return action


def keyring_of(world, template, count):
    """The env overrides of a Secret Service beside the world's, holding template and
    count - 1 other accounts of the same authority and client."""
    return world.extra_secret_service(keyring_file.textual_keyring(
        keyring_file.clones(template, count, lambda i: f"user{i}@contoso.com"))).env_overrides


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
        ours, theirs = interleaved(args.runs, [
            warm_fill.fill_action(world, [], host),
            warm_fill.fill_action(world, ["-c", f"credential.helper={libsecret}"],
                                  f"libsecret.{host}")])
        rows.append(("warm git credential fill", "git-credential-libsecret", ours, theirs, 0.8))

        # 2. warm token and 3. silent refresh, from one ADAL cache file.
        cache = world.tmp / "adal-cache.json"
        aadcred = [harness.binary("aadcred"), "--authority", world.authority_url, "--client-id",
                   harness.CLIENT_ID, "--ca-file", world.ca, "--store", f"file:{cache}",
                   "--flow", "device", "token", "--resource", harness.RESOURCE, "--user",
                   harness.ALICE]
        run_ours = checked(world, aadcred)
        run_ours()  # the sign-in
        adal = ["/usr/bin/python3", "-c", ADAL_SILENT, world.authority_url, harness.CLIENT_ID,
                harness.RESOURCE, harness.ALICE, str(cache)]
        run_adal = checked(world, adal, {"REQUESTS_CA_BUNDLE": world.ca})
        # As people run it: the default store, and so the hot cache (filled by the first).
        run_default_store = checked(world, [
            harness.binary("aadcred"), "--authority", world.authority_url, "--client-id",
            harness.CLIENT_ID, "--ca-file", world.ca, "--flow", "device", "token", "--resource",
            harness.RESOURCE, "--user", harness.ALICE])
        run_default_store()  # the sign-in

        hot, file_store, adal_warm = interleaved(args.runs, [run_default_store, run_ours,
                                                             run_adal])
        rows.append(("warm token", "python3-adal acquire_token", hot, adal_warm, 0.05))
        rows.append(("warm token, file store", "python3-adal acquire_token", file_store,
                     adal_warm, None))
        ours, theirs = interleaved(args.runs, [run_ours, run_adal], lambda: expire(cache))
        rows.append(("silent refresh", "python3-adal acquire_token", ours, theirs, 0.25))

        # 4. a warm lookup by account, with few and with many accounts in the keyring: two
        # Secret Services side by side, so that their samples can take turns.
        base = [harness.binary("aadcred"), "--authority", world.authority_url, "--client-id",
                harness.CLIENT_ID, "--ca-file", world.ca, "--store", "secret-service"]
        lookup = base + ["token", "--no-prompt", "--resource", harness.RESOURCE, "--user",
                         harness.ALICE]
        alice = dict(json.loads(cache.read_text())[0], expiresOn="2099-01-01 00:00:00.000000")
        template = keyring_file.stored_item(world, base, alice)
        keyrings = [keyring_of(world, template, count) for count in (10, args.accounts)]
        secret_tool = ["secret-tool", "lookup", "xdg:schema", "org.aadcred.Token"]
        for name, value in sorted(template["attributes"].items()):
            secret_tool += [name, value]

        def in_each(argv, **env):
            return [checked(world, argv, dict(keyring, **env)) for keyring in keyrings]

        vs = f"{args.accounts} vs 10 accounts"
        few, many = interleaved(args.runs, in_each(lookup), warm_up=3)
        rows.append((f"token --user, {vs}", "the same with 10", many, few, 1.1))
        few, many = interleaved(args.runs, in_each(lookup, AADCRED_HOT_CACHE="off"), warm_up=3)
        rows.append(("  the same, store only", "the same with 10", many, few, None))
        few, many = interleaved(args.runs, in_each(secret_tool), warm_up=3)
        rows.append(("  secret-tool lookup", "the same with 10", many, few, None))
        # Fewer samples: with 10,000 accounts one listing takes gnome-keyring seconds.
        few, many = interleaved(min(args.runs, 5), in_each(base + ["list"]), warm_up=1)
        rows.append((f"list, {vs}", "the same with 10", many, few, None))

    print(f"median of {args.runs} runs each (list: {min(args.runs, 5)}), one process per sample")
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
