#!/usr/bin/python3
"""Benchmark: schema history (replay with snapshots, cached reads, the
private PostgreSQL server).

    bench_schema.py BUILD_DIR [--runs N]

In the same run:
  demo      `retort replay` of the bundled demo, cold cache (goal: < 1.5 s)
  narrow    a generated 500-revision SQLite history (--plain): `retort replay`
            cold, against `alembic upgrade heads` on a fresh copy (goal: 1.5x)
  wide      the same for a wide 500-revision history (--wide: many branches
            and merges), against `alembic upgrade heads`
  cached    `retort schema heads` once the cache is full (goal: < 100 ms)
  postgres  the private PostgreSQL server ready, template cached (goal: < 3 s)
Medians of --runs runs.
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
ROOT = os.path.dirname(HERE)


def timed(cmd, cwd, env=None):
    start = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit("%s failed:\n%s" % (" ".join(cmd), (p.stdout + p.stderr).decode()[-2000:]))
    return elapsed, p


def fresh(template, root, name):
    dest = os.path.join(root, name)
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(template, dest, ignore=shutil.ignore_patterns("*.db"))
    return dest


def median(xs):
    return statistics.median(xs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    retort = os.path.join(os.path.abspath(args.build), "app", "retort")
    root = tempfile.mkdtemp(prefix="retort-schema-")
    try:
        def env(tag):
            return dict(os.environ, XDG_CACHE_HOME=os.path.join(root, "cache-" + tag),
                        RETORT_TIMINGS="1")

        demo = []
        for run in range(args.runs):
            d = fresh(os.path.join(ROOT, "resources", "demo"), root, "demo%d" % run)
            t, _ = timed([retort, "replay"], d, env("demo%d" % run))
            demo.append(t)
        print("schema demo: cold replay with snapshots %.2f s (goal < 1.5 s)" % median(demo))

        for shape in ("narrow", "wide"):
            template = os.path.join(root, shape)
            flags = ["--plain"] if shape == "narrow" else ["--wide"]
            subprocess.run([sys.executable, os.path.join(HERE, "generate_history.py"), template,
                            "500", "--seed", "5"] + flags, check=True, capture_output=True)
            times = {"alembic": [], "replay": []}
            for run in range(args.runs):
                d = fresh(template, root, "%s-a%d" % (shape, run))
                t, _ = timed(["/usr/bin/alembic", "upgrade", "heads"], d)
                times["alembic"].append(t)
                d = fresh(template, root, "%s-r%d" % (shape, run))
                t, p = timed([retort, "replay"], d, env("%s%d" % (shape, run)))
                times["replay"].append(t)
            a, r = median(times["alembic"]), median(times["replay"])
            print("schema %s 500: alembic upgrade heads %.2f s, retort replay (500 snapshots) "
                  "%.2f s, ratio %.2fx (goal 1.5x)" % (shape, a, r, r / a))
            if shape == "narrow":
                cached = []
                for _ in range(max(5, args.runs)):
                    t, _ = timed([retort, "schema", "heads"], d, env("%s%d" % (shape, args.runs - 1)))
                    cached.append(t)
                plain = []
                for _ in range(max(5, args.runs)):
                    t, _ = timed([retort, "heads"], d)
                    plain.append(t)
                print("schema cached `retort schema heads` %.0f ms (goal < 100 ms); "
                      "`retort heads` %.0f ms, ratio %.2fx"
                      % (median(cached) * 1000, median(plain) * 1000, median(cached) / median(plain)))

        pg_bin = any(os.path.exists("/usr/lib/postgresql/%s/bin/initdb" % v)
                     for v in os.listdir("/usr/lib/postgresql")) if os.path.isdir("/usr/lib/postgresql") else False
        if not pg_bin:
            print("schema postgres: no server binaries, skipped")
            return
        ready = []
        d = fresh(os.path.join(ROOT, "resources", "demo"), root, "pgdemo")
        ini = os.path.join(d, "alembic.ini")
        text = open(ini).read()
        text = re.sub(r"(?m)^sqlalchemy\.url.*$", "sqlalchemy.url = postgresql://x@127.0.0.1:1/x", text)
        open(ini, "w").write(text)
        pg_env = env("pg")
        timed([retort, "replay"], d, pg_env)  # makes the template
        for run in range(args.runs):
            shutil.rmtree(os.path.join(root, "cache-pg", "retort", "schema"), ignore_errors=True)
            t, p = timed([retort, "replay"], d, pg_env)
            m = re.search(rb"scratch ready (\d+) ms", p.stderr)
            ready.append(int(m.group(1)) / 1000.0)
        print("schema postgres: private server ready %.2f s with the template cached "
              "(goal < 3 s); demo replay on it %.2f s" % (median(ready), t))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
