#!/usr/bin/python3
"""Benchmark: `retort heads` against `alembic heads` and the read floor.

    bench_heads.py BUILD_DIR [--sizes 1000,10000] [--wide-sizes 10000] [--runs N] [--keep DIR]

For each size it generates a narrow history and, for --wide-sizes, a wide one
(generate_history.py --wide: ~100 open heads, ~300 merges, ~50 branch labels
at 10,000 revisions); it generates a synthetic project (bench/generate_history.py),
warms the page cache, then times in the same run:
  alembic  /usr/bin/alembic heads           (the real Alembic, Debian's)
  retort   BUILD_DIR/app/retort heads
  floor    BUILD_DIR/bench/readfloor DIR    (a minimal C program that lists
           the folder and reads every file: the physical floor)
and prints medians and the ratios alembic/retort and retort/floor. Alembic
runs in a block of its own first; Retort and the floor alternate.
Both tools must print the same heads, or the benchmark fails.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd, cwd):
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    return time.perf_counter() - start, out.stdout.decode()


def heads_of(text):
    return sorted(line.split()[0] for line in text.splitlines() if line.strip())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--wide-sizes", default="10000")
    parser.add_argument("--runs", type=int, default=0, help="runs per tool (default: 15, 5 for alembic at 10k)")
    parser.add_argument("--keep", help="generate into this folder and keep it")
    args = parser.parse_args()

    retort = os.path.join(os.path.abspath(args.build), "app", "retort")
    floor = os.path.join(os.path.abspath(args.build), "bench", "readfloor")
    for tool in (retort, floor, "/usr/bin/alembic"):
        if not os.path.exists(tool):
            sys.exit("missing %s" % tool)

    root = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="retort-bench-")
    failed = False
    try:
        print("%14s  %10s  %10s  %10s  %10s  %10s" % ("revisions", "alembic", "retort", "floor",
                                                      "alembic/r", "retort/fl"))
        cases = [(int(x), False) for x in args.sizes.split(",") if x]
        cases += [(int(x), True) for x in args.wide_sizes.split(",") if x]
        for n, wide in cases:
            dest = os.path.join(root, ("w%d" if wide else "h%d") % n)
            if not os.path.exists(os.path.join(dest, "alembic.ini")):
                subprocess.run([sys.executable, os.path.join(HERE, "generate_history.py"), dest, str(n),
                                "--seed", "7"] + (["--wide"] if wide else []), check=True)
            versions = os.path.join(dest, "migrations", "versions")
            # warm the page cache and check both tools agree
            _, a_out = timed(["/usr/bin/alembic", "heads"], dest)
            _, r_out = timed([retort, "heads"], dest)
            timed([floor, versions], dest)
            if heads_of(a_out) != heads_of(r_out):
                print("heads differ at %d revisions:\n alembic %s\n retort  %s"
                      % (n, heads_of(a_out), heads_of(r_out)))
                failed = True
            runs = args.runs or 15
            alembic_runs = args.runs or (5 if n >= 5000 else 15)
            times = {"alembic": [], "retort": [], "floor": []}
            # Alembic in a block of its own: each run takes seconds and some
            # 200 MB, and interleaved it came right before Retort's samples
            # but not the floor's, which made Retort's slower.
            for i in range(alembic_runs):
                times["alembic"].append(timed(["/usr/bin/alembic", "heads"], dest)[0])
            # Retort and the floor alternate, in turns ABBA, so that the
            # machine's drift over the run weighs on both alike.
            commands = {"retort": [retort, "heads"], "floor": [floor, versions]}
            for i in range(runs):
                order = ("retort", "floor") if i % 2 == 0 else ("floor", "retort")
                for name in order:
                    times[name].append(timed(commands[name], dest)[0])
            # What bash completion runs for a revision id, against `heads`.
            times["complete"] = [timed([retort, "complete", "revisions"], dest)[0] for _ in range(runs)]
            med = {k: statistics.median(v) for k, v in times.items()}
            print("%14s  %9.1fms  %9.1fms  %9.1fms  %9.1fx  %9.2fx" % (
                "%d %s" % (n, "wide" if wide else "narrow"), med["alembic"] * 1e3, med["retort"] * 1e3, med["floor"] * 1e3,
                med["alembic"] / med["retort"], med["retort"] / med["floor"]))
            print("%14s  completion of revision ids (retort complete revisions) %.1f ms, %.2fx retort heads"
                  % ("", med["complete"] * 1e3, med["complete"] / med["retort"]))
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
