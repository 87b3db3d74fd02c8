#!/usr/bin/python3
"""libaadcred.so exports the C ABI and nothing else (STYLE.md: -fvisibility=hidden plus a
version script): every defined dynamic symbol starts with aadcred_, and every function
that include/aadcred/aadcred.h declares is there (a declared but missing function would
only fail when an application links against it).

usage: check_exports.py NM LIBRARY HEADER
"""
import re
import subprocess
import sys

# What the linker itself defines in any shared object, and our version node.
LINKER_SYMBOLS = {"_init", "_fini", "_edata", "_end", "__bss_start", "AADCRED_0"}


def exported(nm, library):
    out = subprocess.run([nm, "-D", "--defined-only", library], check=True,
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) >= 2:
            names.add(fields[-1].split("@")[0])
    return names


def declared(header):
    with open(header, encoding="utf-8") as f:
        text = f.read()
    return set(re.findall(r"AADCRED_EXTERN[^;{]*?\b(aadcred_\w+)\s*\(", text))


def main():
    nm, library, header = sys.argv[1:4]
    names = exported(nm, library)
    strays = sorted(n for n in names if not n.startswith("aadcred_") and n not in LINKER_SYMBOLS)
    missing = sorted(declared(header) - names)
    for name in strays:
        print(f"exported but not aadcred_*: {name}")
    for name in missing:
        print(f"declared in aadcred.h but not exported: {name}")
    if not declared(header):
        print("no declarations found in the header: the pattern is out of date")
        return 1
    return 1 if strays or missing else 0


if __name__ == "__main__":
    sys.exit(main())
