#!/usr/bin/python3
"""The ABI of libaadcred.so as built (its DWARF, read by libabigail) is the one committed
in libaadcred.abi: same functions, same signatures, same public structs field by field.
check_exports.py compares symbol names; this also catches a parameter or a struct
field changed, inserted or removed. The opaque handles (aadcred_context, aadcred_token,
...) are C++ classes behind pointers whose layout callers never see: libaadcred.abignore
drops them, so only what a C caller compiles against is compared.

A deliberate change (a new function, a field added at the end of an options struct with
its version bumped) is made by regenerating the baseline and committing it with the
change:

    tests/unit/lib/check_abi.py --update abidw build/src/lib/libaadcred.so.0 \\
        tests/unit/lib/libaadcred.abi tests/unit/lib/libaadcred.abignore

usage: check_abi.py ABIDIFF LIBRARY BASELINE SUPPRESSIONS
       check_abi.py --update ABIDW LIBRARY BASELINE SUPPRESSIONS
"""
import re
import subprocess
import sys


def update(abidw, library, baseline, suppressions):
    xml = subprocess.run([abidw, "--exported-interfaces-only", "--suppressions", suppressions,
                          "--no-corpus-path", "--no-show-locs", library],
                         check=True, capture_output=True, text=True).stdout
    # The build directory's absolute path differs from machine to machine; libabigail
    # needs the attribute, not its value.
    xml = re.sub(r" comp-dir-path='[^']*'", " comp-dir-path='build'", xml)
    with open(baseline, "w", encoding="utf-8") as f:
        f.write(xml)
    return 0


def has_debug_info(library):
    sections = subprocess.run(["readelf", "-S", "--wide", library], check=True,
                              capture_output=True, text=True).stdout
    return ".debug_info" in sections


def check(abidiff, library, baseline, suppressions):
    if not has_debug_info(library):
        print(f"SKIP: {library} has no debug information (build with -g) to read its ABI from")
        return 77
    try:
        result = subprocess.run([abidiff, "--suppressions", suppressions, baseline, library],
                                capture_output=True, text=True)
    except FileNotFoundError:
        print(f"SKIP: {abidiff} not found (Debian package abigail-tools)")
        return 77
    if result.returncode == 0:
        return 0
    print(result.stdout + result.stderr)
    print(f"the ABI of {library} differs from {baseline} (abidiff exit {result.returncode}).")
    print("A removed or changed function or struct field breaks every program built "
          "against the old header: undo it. A deliberate addition: run this script with "
          "--update and commit the new baseline with the change.")
    return 1


def main():
    if sys.argv[1] == "--update":
        return update(*sys.argv[2:6])
    return check(*sys.argv[1:5])


if __name__ == "__main__":
    sys.exit(main())
