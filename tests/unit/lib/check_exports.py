#!/usr/bin/python3
"""libaadcred.so exports the C ABI and nothing else (STYLE.md: -fvisibility=hidden plus a
version script), and three lists agree on what that ABI is, symbol by symbol and version
node by version node:

- the library as built (nm -D);
- src/lib/libaadcred.map, which names every exported function (no wildcard: a function
  that merely happens to be called aadcred_* is not exported by accident);
- debian/libaadcred0.symbols, the committed list dpkg-gensymbols checks packages against.

A function added without updating both lists, or one that disappeared (a released symbol
must never go), fails here. Every function include/aadcred/*.h declares must be exported
too (a declared but missing function would only fail when an application links it), and
nothing is exported that no public header declares.

usage: check_exports.py NM LIBRARY MAP SYMBOLS HEADER...
"""
import re
import subprocess
import sys

# What the linker itself defines in any shared object.
LINKER_SYMBOLS = {"_init", "_fini", "_edata", "_end", "__bss_start"}


def exported(nm, library):
    """{(name, node)} of the library's defined dynamic symbols, and its version nodes."""
    out = subprocess.run([nm, "-D", "--defined-only", library], check=True,
                         capture_output=True, text=True).stdout
    symbols, nodes = set(), set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 2:
            continue
        name, _, node = fields[-1].replace("@@", "@").partition("@")
        if fields[-2] == "A" and not node:
            nodes.add(name)  # a version node's own absolute symbol
        elif name not in LINKER_SYMBOLS:
            symbols.add((name, node))
    return symbols, nodes


def from_map(path):
    """{(name, node)} of the version script's global entries; problems found in it."""
    with open(path, encoding="utf-8") as f:
        text = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    symbols, problems = set(), []
    for node, body in re.findall(r"([\w.]+)\s*\{(.*?)\}\s*[\w.]*\s*;", text, flags=re.S):
        section = None
        for entry in re.split(r"[;\s]+", body):
            if entry in ("global:", "local:"):
                section = entry
            elif entry and section == "global:":
                if re.search(r"[*?\[]", entry):
                    problems.append(f"{path}: wildcard '{entry}' in node {node}: "
                                    "name every exported function")
                symbols.add((entry, node))
    return symbols, problems


def from_symbols_file(path):
    """{(name, node)} of a dpkg symbols file, without the version nodes' own entries."""
    symbols = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith(" "):
                continue  # the library line and '* field' lines
            name, _, node = line.split()[0].partition("@")
            if name != node:
                symbols.add((name, node))
    return symbols


def declared(headers):
    names = set()
    for header in headers:
        with open(header, encoding="utf-8") as f:
            text = f.read()
        names |= set(re.findall(r"AADCRED_EXTERN[^;{]*?\b(aadcred_\w+)\s*\(", text))
    return names


def compare(problems, built, listed, where):
    for name, node in sorted(built - listed):
        problems.append(f"exported as {name}@{node} but not so in {where}")
    for name, node in sorted(listed - built):
        problems.append(f"{where} lists {name}@{node} but the library does not export it")


def main():
    nm, library, map_path, symbols_path = sys.argv[1:5]
    headers = sys.argv[5:]
    built, nodes = exported(nm, library)
    mapped, problems = from_map(map_path)
    names = {name for name, _ in built}
    if not mapped:
        problems.append(f"{map_path}: no global entries found: the pattern is out of date")
    for name in sorted(names):
        if not name.startswith("aadcred_"):
            problems.append(f"exported but not aadcred_*: {name}")
    compare(problems, built, mapped, map_path)
    compare(problems, built, from_symbols_file(symbols_path), symbols_path)
    for node in sorted({node for _, node in built} - nodes):
        problems.append(f"symbols in node {node}, which the library does not define")
    decls = declared(headers)
    if not decls:
        problems.append("no declarations found in the headers: the pattern is out of date")
    for name in sorted(decls - names):
        problems.append(f"declared in a public header but not exported: {name}")
    for name in sorted(names - decls):
        problems.append(f"exported but declared in no public header: {name}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
