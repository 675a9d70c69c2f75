#!/usr/bin/env bash
# Takes the README's screenshots: the real window under Xvfb, captured with
# ImageMagick's `import`. Needs a build (./run build).
#   scripts/screenshots.sh [BUILD_DIR]      (ONLY="schema walkthrough": just those)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
ROOT_BUILD=$(cd "$BUILD_DIR" && pwd)
OUT=docs/screenshots
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A copy of the demo with one mistake a developer makes: a typo in
# down_revision, so the chain breaks and a second head appears.
cp -r resources/demo "$work/demo"
rm -f "$work/demo/demo.db"
cat > "$work/demo/migrations/versions/013_add_comments.py" <<'PY'
"""add comments

Revision ID: 013_add_comments
Revises: 012_create_label
Create Date: 2026-11-27 09:12:44.102938

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "013_add_comments"
down_revision = "012_create_label"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("comments")
PY

shoot() { # name, then retort arguments; DARK=1 for the dark palette
  local name=$1
  shift
  # ONLY="a b": take only these shots.
  [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $name "* ]] || return 0
  mkdir -p "$work/config/Retort"
  [ -n "${KEEP_SETTINGS:-}" ] || printf '[ui]\ndarkPalette=%s\n' "$([ "${DARK:-0}" = 1 ] && echo true || echo false)" > "$work/config/Retort/Retort.conf"
  XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
    xvfb-run -a -s "-screen 0 ${SCREEN:-1280x800}x24" bash -c "
      '$BUILD_DIR/app/retort' $* &
      pid=\$!
      sleep ${WAIT:-3}
      # CLICKS: 'X,Y ...' pressed in turn (the runner's buttons, say).
      for xy in ${CLICKS:-}; do xdotool mousemove \${xy%,*} \${xy#*,} click 1; sleep 0.7; done
      # KEYS: xdotool key names pressed in turn (a dock's shortcut, say).
      for k in ${KEYS:-}; do xdotool key \$k; sleep 0.4; done
      sleep ${AFTER:-0}
      import -window root '$OUT/$name.png'
      kill \$pid"
  echo "wrote $OUT/$name.png"
}

v="$work/demo/migrations/versions"
shoot history "'$work/demo/alembic.ini' --select 009_merge_audit_and_avatar"
shoot editor "'$work/demo/alembic.ini' --select 013_add_comments --open '$v/013_add_comments.py:14'"
shoot normalize "'$work/demo/alembic.ini' --select 3f9a1c2b7d4e --normalize 3f9a1c2b7d4e"
DARK=1 shoot dark "'$work/demo/alembic.ini' --select 009_merge_audit_and_avatar --open '$v/009_merge_audit_and_avatar.py:13'"

# The database side: a saved "staging" database at 003 (the demo folder as a
# git repository whose first revisions are pushed), then the runner paused
# two steps into an upgrade, the SQL of a step, and the guard in front of a
# downgrade of the same database marked shared.
(
  cd "$work/demo"
  rm -f migrations/versions/013_add_comments.py # the broken one: Alembic could not load the rest
  git init -q -b main . && git init -q --bare "$work/remote.git"
  git -c user.name=Demo -c user.email=demo@example.invalid add -A migrations alembic.ini
  git -c user.name=Demo -c user.email=demo@example.invalid commit -qm "schema history"
  git remote add origin "$work/remote.git" && git push -q origin main
  export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
  "$ROOT_BUILD/app/retort" upgrade 003_add_team_members --url "sqlite:///$work/demo/staging.db" >/dev/null
  "$ROOT_BUILD/app/retort" profile add staging "sqlite:///$work/demo/staging.db" >/dev/null
)
sed -i 's/darkPalette=true/darkPalette=false/' "$work/config/Retort/Retort.conf"
KEEP_SETTINGS=1 SCREEN=1280x800 WAIT=7 CLICKS="50,506 50,506" \
  shoot runner "'$work/demo/alembic.ini' --database staging --upgrade 010_add_project_slug"
(
  export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
  cd "$work/demo" && "$ROOT_BUILD/app/retort" profile add staging "sqlite:///$work/demo/staging.db" --shared >/dev/null
)
KEEP_SETTINGS=1 SCREEN=1280x800 WAIT=6 shoot guard "'$work/demo/alembic.ini' --database staging --downgrade 001_create_users"

# The onboarding side, on the history without its broken revision (the
# schema history cannot be replayed while Alembic cannot read the folder).
# A click gives the window the keyboard (there is no window manager).
# The Schema dock is in front; the Diagram dock's tab is clicked.
KEEP_SETTINGS=1 WAIT=6 AFTER=1 shoot schema "'$work/demo/alembic.ini' --select 008_add_user_avatar"
KEEP_SETTINGS=1 WAIT=6 CLICKS="1003,507" AFTER=1 \
  shoot diagram "'$work/demo/alembic.ini' --select 008_add_user_avatar"
KEEP_SETTINGS=1 WAIT=6 CLICKS="640,380" KEYS="shift+F5 Right Right Right Right Right Right" AFTER=1 \
  shoot walkthrough "'$work/demo/alembic.ini' --select 008_add_user_avatar"
