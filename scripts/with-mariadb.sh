#!/usr/bin/env bash
# Runs "$@" with a throwaway MariaDB server on loopback, like pg_virtualenv
# does for PostgreSQL: it exports RETORT_TEST_MYSQL_HOST, _PORT, _USER and
# _PASSWORD for the tests, and removes the server and its data afterwards.
# Without mariadb-server installed it runs "$@" alone (the MySQL tests skip).
set -euo pipefail

if ! command -v mariadbd >/dev/null || ! command -v mariadb-install-db >/dev/null; then
  echo "with-mariadb: mariadb-server is not installed; MySQL/MariaDB tests will skip" >&2
  exec "$@"
fi

dir=$(mktemp -d /tmp/retort-mariadb.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

user_opt=()
[ "$(id -u)" = 0 ] && user_opt=(--user=root)
mariadb-install-db --no-defaults --datadir="$dir/data" "${user_opt[@]}" \
  --auth-root-authentication-method=socket >"$dir/install.log" 2>&1 || {
  cat "$dir/install.log" >&2
  exit 1
}
mariadbd --no-defaults --datadir="$dir/data" "${user_opt[@]}" --socket="$dir/sock" \
  --port="$port" --bind-address=127.0.0.1 --pid-file="$dir/pid" \
  --skip-name-resolve >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do
  mariadb --no-defaults --socket="$dir/sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
  sleep 0.5
done
password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
mariadb --no-defaults --socket="$dir/sock" -uroot -e "
  CREATE USER 'retort_test'@'127.0.0.1' IDENTIFIED BY '$password';
  GRANT ALL ON *.* TO 'retort_test'@'127.0.0.1';" || {
  cat "$dir/server.log" >&2
  exit 1
}
export RETORT_TEST_MYSQL_HOST=127.0.0.1 RETORT_TEST_MYSQL_PORT=$port
export RETORT_TEST_MYSQL_USER=retort_test RETORT_TEST_MYSQL_PASSWORD=$password
"$@"
