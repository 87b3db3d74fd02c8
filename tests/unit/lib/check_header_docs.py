#!/usr/bin/python3
"""Every function of the public C headers is documented the way STYLE.md asks: a Doxygen
comment right before it with an @param for each parameter and an @return unless it
returns void; and no comment of a public header points at our issue tracker ("issue 3"),
which means nothing to a reader of the installed header.

usage: check_header_docs.py HEADER...
"""
import re
import sys

DECLARATION = re.compile(r"(/\*\*(?:(?!\*/).)*\*/)?\s*^AADCRED_EXTERN\s+([^;(]*?)\b(aadcred_\w+)"
                         r"\s*\(([^)]*)\)\s*;", re.S | re.M)


def parameters(text):
    text = text.strip()
    if text in ("", "void"):
        return []
    return [re.findall(r"\w+", p)[-1] for p in text.split(",")]


def check(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    problems = []
    for match in re.finditer(r"\bissues?\s+#?\d+", text, re.I):
        line = text.count("\n", 0, match.start()) + 1
        problems.append(f"{path}:{line}: a tracker note '{match.group(0)}' in a public header")
    found = 0
    for doc, returns, name, params in DECLARATION.findall(text):
        found += 1
        if not doc:
            problems.append(f"{path}: {name} has no Doxygen comment right before it")
            continue
        for param in parameters(params):
            if not re.search(r"@param\s+" + re.escape(param) + r"\b", doc):
                problems.append(f"{path}: {name}: no @param {param}")
        if returns.split() != ["void"] and "@return" not in doc:
            problems.append(f"{path}: {name}: no @return")
    return found, problems


def main():
    total, problems = 0, []
    for header in sys.argv[1:]:
        found, more = check(header)
        total += found
        problems += more
    if total == 0:
        problems.append("no declarations found: the pattern is out of date")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
