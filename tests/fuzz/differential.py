#!/usr/bin/python3
"""Retort's reader against CPython on many files (the fuzzer's corpus).

    differential.py READER_DUMP DIR

Where CPython compiles a file and reads `revision` and `down_revision` as
literals, Retort must report no error and read the same four identifiers.
(Where CPython refuses a file, Retort may still read it: the static reader
does not run Python's whole compiler; see README, "What the reader checks".)
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance"))
import python_read  # noqa: E402

NAMES = ("revision", "down_revision", "branch_labels", "depends_on")


def main():
    dump, folder = sys.argv[1], sys.argv[2]
    paths = sorted(os.path.join(folder, f) for f in os.listdir(folder))
    paths = [p for p in paths if os.path.isfile(p)]
    retort = {}
    for i in range(0, len(paths), 500):
        out = subprocess.run([dump] + paths[i:i + 500], capture_output=True, check=True)
        for line in out.stdout.decode().splitlines():
            o = json.loads(line)
            retort[o["path"]] = o
    checked = mismatches = 0
    for path in paths:
        py = python_read.read(path)
        if not py["ok"] or not isinstance(py.get("revision"), str) or "down_revision" not in py:
            continue
        if any(isinstance(py.get(n), dict) for n in NAMES):
            continue
        checked += 1
        r = retort.get(path, {})
        problems = []
        if r.get("errors"):
            problems.append("Retort reports %s" % r["errors"])
        for n in NAMES:
            want = py.get(n)
            got = r.get(n)
            if isinstance(want, str) and n != "revision":
                want = [want]
            if isinstance(got, str) and n != "revision":
                got = [got]
            if (want or None) != (got or None):
                problems.append("%s: Python %r, Retort %r" % (n, want, got))
        if problems:
            mismatches += 1
            print("differential: %s: %s" % (path, "; ".join(problems)))
    print("differential: %d files CPython reads, %d disagree" % (checked, mismatches))
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
