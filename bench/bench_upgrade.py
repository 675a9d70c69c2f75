#!/usr/bin/python3
"""Benchmark: upgrading a generated 500-revision history on SQLite, base to heads.

    bench_upgrade.py BUILD_DIR [--revisions N] [--runs N]

In the same run, on fresh copies of the same project:
  alembic   /usr/bin/alembic upgrade heads                 (end to end)
  retort    BUILD_DIR/app/retort upgrade heads             (end to end: read,
            plan, one Alembic run to render the SQL, execute)
  shell     the statements Retort executes, each step in BEGIN/COMMIT, fed
            to the sqlite3 shell: the floor for executing that SQL
and Retort's execution phase alone (RETORT_TIMINGS). Prints medians and the
ratios retort/alembic (end to end) and execution/shell.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def fresh(template, root, name):
    dest = os.path.join(root, name)
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(template, dest)
    return dest


def timed(cmd, cwd, stdin=None, env=None):
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit("%s failed:\n%s" % (" ".join(cmd), p.stderr.decode()[-2000:]))
    return elapsed, p


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--revisions", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    retort = os.path.join(os.path.abspath(args.build), "app", "retort")
    if not shutil.which("sqlite3"):
        sys.exit("sqlite3 is missing (Debian: sqlite3)")
    root = tempfile.mkdtemp(prefix="retort-upgrade-")
    try:
        template = os.path.join(root, "template")
        subprocess.run([sys.executable, os.path.join(HERE, "generate_history.py"), template,
                        str(args.revisions), "--seed", "5", "--plain"], check=True)
        # The SQL Retort runs, step by step, for the shell.
        _, p = timed([retort, "upgrade", "heads", "--sql"], template)
        blocks, current = [], []
        for line in p.stdout.decode().splitlines():
            if line.startswith("-- step "):
                if current:
                    blocks.append(current)
                current = []
            else:
                current.append(line)
        if current:
            blocks.append(current)
        shell_sql = "".join("BEGIN;\n%s\nCOMMIT;\n" % "\n".join(b) for b in blocks if "".join(b).strip()).encode()

        times = {"alembic": [], "retort": [], "execute": [], "shell": []}
        for run in range(args.runs):
            # A cold SQL cache: the end-to-end time includes rendering.
            env = dict(os.environ, RETORT_TIMINGS="1", XDG_CACHE_HOME=os.path.join(root, "cache%d" % run))
            d = fresh(template, root, "a%d" % run)
            t, _ = timed(["/usr/bin/alembic", "upgrade", "heads"], d)
            times["alembic"].append(t)
            d = fresh(template, root, "r%d" % run)
            t, p = timed([retort, "upgrade", "heads"], d, env=env)
            times["retort"].append(t)
            m = re.search(r"retort: execute\s+([\d.]+) ms", p.stderr.decode())
            times["execute"].append(float(m.group(1)) / 1000)
            d = fresh(template, root, "s%d" % run)
            t, _ = timed(["sqlite3", os.path.join(d, "synthetic.db")], d, stdin=shell_sql)
            times["shell"].append(t)
        med = {k: statistics.median(v) for k, v in times.items()}
        print("revisions: %d, runs: %d" % (args.revisions, args.runs))
        print("alembic upgrade heads (end to end):  %8.0f ms" % (med["alembic"] * 1e3))
        print("retort upgrade heads (end to end):   %8.0f ms   ratio retort/alembic %.2f (target <= 1)"
              % (med["retort"] * 1e3, med["retort"] / med["alembic"]))
        print("retort execution phase:              %8.0f ms" % (med["execute"] * 1e3))
        print("sqlite3 shell, same SQL:             %8.0f ms   ratio execution/shell %.2f (target <= 1.5)"
              % (med["shell"] * 1e3, med["execute"] / med["shell"]))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
