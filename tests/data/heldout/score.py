#!/usr/bin/env python3
"""Scores a paradedup binary on the held-out no-loss set (made by make_heldout.py).

For each NAME.txt it runs `BIN -q [OPTIONS] NAME.txt` and compares the output with
NAME.expected as multisets of lines:
  lost  lines of the expected output that are missing: text that said something new was
        removed (the no-loss promise: must be 0);
  left  lines in the output that the expected output does not have: a real copy kept
        (recall).
It prints one row per document kind with the languages that came out exact, then the totals,
and exits 1 when any line was lost.

Usage: python3 tests/data/heldout/score.py BIN [OPTIONS...]
  e.g. python3 tests/data/heldout/score.py build/examples/paradedup
       python3 tests/data/heldout/score.py build/examples/paradedup --near-rule similar
"""
import collections
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary, options = sys.argv[1], sys.argv[2:]
    rows = collections.defaultdict(dict)
    docs = exact = lost = left = 0
    details = []
    for path in sorted(glob.glob(os.path.join(HERE, "*.txt"))):
        name = os.path.basename(path)[:-4]
        lang, kind = name.split("_", 1)
        out = subprocess.run([binary, "-q", *options, path], capture_output=True, check=True,
                             text=True).stdout
        with open(os.path.join(HERE, name + ".expected"), encoding="utf-8") as f:
            want = f.read()
        got_lines = collections.Counter(out.splitlines())
        want_lines = collections.Counter(want.splitlines())
        n_lost = sum((want_lines - got_lines).values())
        n_left = sum((got_lines - want_lines).values())
        docs += 1
        exact += out == want
        lost += n_lost
        left += n_left
        rows[kind][lang] = "ok" if out == want else "-%d +%d" % (n_lost, n_left)
        if n_lost:
            details.append("%s: lost %r" % (name, list((want_lines - got_lines).elements())))
    langs = ["en", "ja", "ko", "zh-cn", "zh-tw"]
    print("| kind | " + " | ".join(langs) + " |")
    print("|---|" + "---|" * len(langs))
    for kind in sorted(rows):
        print("| %s | %s |" % (kind, " | ".join(rows[kind].get(l, "") for l in langs)))
    print()
    print("%d documents, %d exact; %d lines lost (look-alikes removed), %d copy lines left"
          % (docs, exact, lost, left))
    for d in details:
        print(d)
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
