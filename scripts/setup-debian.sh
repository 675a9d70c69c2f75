#!/usr/bin/env bash
# Installs what building, running and testing Retort needs on Debian 12,
# and nothing that is already there. Safe to run again.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config clang-format
  # ./run sanitize: clang with ASan, UBSan and libFuzzer
  clang libclang-rt-dev
  qt6-base-dev qt6-base-dev-tools libqscintilla2-qt6-dev qtkeychain-qt6-dev
  # git facts (who added a revision, whether it is pushed)
  libgit2-dev git
  # the ER diagram: Graphviz layout, Qt SVG export; the HTML export is checked in Chromium
  libgraphviz-dev qt6-svg-dev chromium
  # pyproject.toml
  libtomlplusplus-dev
  # ./run package and its checks
  dpkg-dev fakeroot lintian desktop-file-utils appstream man-db
  # Qt SQL drivers
  libqt6sql6-sqlite libqt6sql6-psql libqt6sql6-mysql
  # the reference Alembic and the databases the tests use
  alembic python3-alembic python3-sqlalchemy python3-psycopg2 python3-pymysql sqlite3
  postgresql postgresql-common mariadb-server
  # GUI tests and screenshots without a display
  xvfb xauth imagemagick xdotool
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
