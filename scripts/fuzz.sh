#!/usr/bin/env bash
# Runs the libFuzzer harnesses of a sanitizer build (./run sanitize):
#   scripts/fuzz.sh BUILD_DIR [SECONDS_PER_TARGET]
# Each target first replays its regression inputs (tests/fuzz/regressions/
# TARGET: every crash ever found, kept as a test), then fuzzes from a seed
# corpus made of the project's fixtures: with FUZZ_RUNS set (as ./run test
# does), that many new inputs from a fixed seed, the same every time;
# otherwise for the given time from a random seed, to look further. The reader's
# outputs are then checked against CPython (tests/fuzz/differential.py).
# A crash leaves its input in BUILD_DIR/fuzz/TARGET-crashes and fails.
set -euo pipefail
build=$(cd "$1" && pwd)
seconds=${2:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
work="$build/fuzz"
mkdir -p "$work"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

seed() { # TARGET -> seed corpus folder
  local target=$1 dir="$work/$1-corpus"
  mkdir -p "$dir"
  case $target in
    reader) find "$root/tests/fixtures" "$root/resources/demo" -name '*.py' -exec cp -t "$dir" {} + ;;
    splitter) printf '%s' "CREATE FUNCTION f() RETURNS int AS \$fn1\$ BEGIN RETURN 1; END; \$fn1\$ LANGUAGE plpgsql;" >"$dir/pg"
              printf '%s' "CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN IF NEW.x THEN SET NEW.x = 0; END IF; END;" >"$dir/my"
              printf '%s' "INSERT INTO t VALUES (E'a\\'b', 'c''d'); /* x /* y */ */ SELECT 1; -- z" >"$dir/q" ;;
    url) printf '%s' "postgresql+psycopg2://u:p%40ss@h:5432/db?sslmode=require&password=x" >"$dir/pg"
         printf '%s' "sqlite:///file:app.db?mode=ro&uri=true" >"$dir/lite"
         printf '%s' "mysql+pymysql://u@[::1]:3306/db?passwd=y" >"$dir/my" ;;
    config) find "$root/resources/demo" "$root/tests" -name '*.ini' -exec cp -t "$dir" {} + 2>/dev/null || true
            cp "$root/resources/demo/alembic.ini" "$dir/" ;;
  esac
  echo "$dir"
}

status=0
passed=0
failed=0
for target in reader splitter url config; do
  before=$status
  exe="$build/tests/fuzz/fuzz_$target"
  regressions="$root/tests/fuzz/regressions/$target"
  if [ -d "$regressions" ] && [ -n "$(ls -A "$regressions")" ]; then
    echo "fuzz: $target: replaying $(ls "$regressions" | wc -l) regression input(s)"
    "$exe" -runs=0 "$regressions"/* >"$work/$target-replay.log" 2>&1 || {
      tail -30 "$work/$target-replay.log"; status=1; }
  fi
  corpus=$(seed "$target")
  mkdir -p "$work/$target-crashes"
  budget=(-max_total_time="$seconds")
  [ -n "${FUZZ_RUNS:-}" ] && budget=(-runs="$FUZZ_RUNS" -seed=1 -max_total_time=600)
  echo "fuzz: $target: ${budget[*]}"
  if ! "$exe" "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$work/$target-crashes/" "$corpus" >"$work/$target.log" 2>&1; then
    tail -40 "$work/$target.log"
    echo "fuzz: $target found a crash: $(ls "$work/$target-crashes")"
    status=1
  else
    tail -1 "$work/$target.log"
  fi
  if [ "$status" = "$before" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done

# Where CPython reads the four identifiers of a fuzzed file, Retort agrees.
if /usr/bin/python3 "$root/tests/fuzz/differential.py" "$build/tests/fuzz/reader_dump" \
  "$work/reader-corpus"; then
  passed=$((passed + 1))
else
  failed=$((failed + 1))
  status=1
fi
echo "fuzz: $passed passed, $failed failed"
exit $status
