#!/usr/bin/env bash
# The Debian package, built and checked as a user would get it: cpack makes
# retort_<version>_<arch>.deb; lintian reports no error (every warning it
# reports is listed in packaging/README.md with the reason); the desktop
# entry and the AppStream metadata validate; then the package is extracted
# with dpkg-deb -x into a temporary root and run from there, far from the
# build tree: --version, --versions DIR heads, and --demo (offscreen) whose
# window starts and copies the demo project from its resources.
#   test_package.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) ||
  { cat "$work/cpack.log" >&2; fail "cpack could not make the package"; }
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
arch=$(dpkg --print-architecture)
deb="$work/out/retort_${version}_${arch}.deb"
[ -f "$deb" ] || fail "no $deb (made: $(ls "$work/out"))"
echo "made $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

# The control fields: Depends from shlibdeps, the Recommends and Suggests.
control=$(dpkg-deb -f "$deb")
grep -q '^Depends:.*libqt6widgets6' <<<"$control" || fail "Depends lacks Qt (shlibdeps): $control"
grep -q '^Recommends:.*alembic.*libqt6sql6-psql.*postgresql' <<<"$control" ||
  fail "Recommends: $control"
grep -q '^Suggests:.*git' <<<"$control" || fail "Suggests: $control"

# lintian: no error; each warning explained in packaging/README.md.
lintian --tag-display-limit 0 "$deb" >"$work/lintian.txt" 2>&1 || true
cat "$work/lintian.txt"
if grep -q '^E: ' "$work/lintian.txt"; then fail "lintian reports errors"; fi
while read -r tag; do
  grep -q -- "\`$tag\`" "$source/packaging/README.md" ||
    fail "lintian warning $tag is not explained in packaging/README.md"
done < <(sed -n 's/^W: [^ ]* \([^ ]*\).*/\1/p' "$work/lintian.txt" | sort -u)

root="$work/root"
dpkg-deb -x "$deb" "$root"
desktop-file-validate "$root/usr/share/applications/dev.retort.Retort.desktop"
appstreamcli validate --no-net "$root/usr/share/metainfo/dev.retort.Retort.metainfo.xml"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for f in usr/bin/retort usr/lib/$multiarch/retort/retort-gui.so \
  usr/lib/$multiarch/retort/retort-git.so usr/lib/$multiarch/retort/retort-keyring.so \
  usr/share/icons/hicolor/scalable/apps/retort.svg \
  usr/share/icons/hicolor/48x48/apps/retort.png usr/share/icons/hicolor/256x256/apps/retort.png \
  usr/share/man/man1/retort.1.gz usr/share/bash-completion/completions/retort \
  usr/share/doc/retort/copyright; do
  [ -e "$root/$f" ] || fail "the package has no /$f"
done
# The man page renders without a warning and names every command.
man_warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/retort.1.gz" 2>&1 >"$work/man.txt")
[ -z "$man_warnings" ] || fail "man: $man_warnings"
exe="$root/usr/bin/retort"

# Run from the extracted root only: a clean environment, a fresh home.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" XDG_DATA_HOME="$work/home/data"
export XDG_CACHE_HOME="$work/home/cache" QT_QPA_PLATFORM=offscreen
mkdir -p "$HOME"
cd "$work"
for command in $("$exe" complete commands); do
  grep -q "^       $command\b\|^       $command " "$work/man.txt" ||
    grep -qw -- "$command" "$work/man.txt" || fail "the man page does not name $command"
done
out=$("$exe" --version)
[ "$out" = "retort $version" ] || fail "--version said: $out"
heads=$("$exe" --versions "$source/resources/demo/migrations/versions" heads)
grep -q '^3f9a1c2b7d4e (head)' <<<"$heads" || fail "heads said: $heads"
# The window module and its resources, from the installed layout.
set +e
timeout 10 "$exe" --demo >"$work/demo.log" 2>&1
code=$?
set -e
[ "$code" = 124 ] || { cat "$work/demo.log"; fail "--demo ended with $code (expected: still running)"; }
demo=$(find "$XDG_DATA_HOME" -name alembic.ini -path '*demo*' | head -1)
[ -n "$demo" ] || { cat "$work/demo.log"; fail "--demo did not copy the demo project"; }
grep -qi 'cannot load' "$work/demo.log" && fail "the window module did not load: $(cat "$work/demo.log")"
"$exe" -c "$demo" check >/dev/null || [ $? = 1 ] || fail "check on the copied demo"
# Bash completion from the installed script and the installed retort.
words=$(PATH="$root/usr/bin:$PATH" bash -c "
  source '$root/usr/share/bash-completion/completions/retort'
  COMP_WORDS=(retort -c '$demo' show 00); COMP_CWORD=4; _retort; printf '%s\n' \"\${COMPREPLY[@]}\"")
grep -q '^001_create_users$' <<<"$words" || fail "completion of ids offered: $words"
words=$(PATH="$root/usr/bin:$PATH" bash -c "
  source '$root/usr/share/bash-completion/completions/retort'
  COMP_WORDS=(retort sch); COMP_CWORD=1; _retort; printf '%s\n' \"\${COMPREPLY[@]}\"")
grep -q '^schema-diff$' <<<"$words" || fail "completion of commands offered: $words"
echo "the package installs, validates and runs from $root"
