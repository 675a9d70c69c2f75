#!/usr/bin/env bash
# Takes the README's screenshots: the real window under Xvfb, captured with
# ImageMagick's `import`. Needs a build (./run build).
#   scripts/screenshots.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}
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
  mkdir -p "$work/config/Retort"
  printf '[ui]\ndarkPalette=%s\n' "$([ "${DARK:-0}" = 1 ] && echo true || echo false)" > "$work/config/Retort/Retort.conf"
  XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
    xvfb-run -a -s "-screen 0 ${SCREEN:-1280x800}x24" bash -c "
      '$BUILD_DIR/app/retort' $* &
      pid=\$!
      sleep 3
      import -window root '$OUT/$name.png'
      kill \$pid"
  echo "wrote $OUT/$name.png"
}

v="$work/demo/migrations/versions"
shoot history "'$work/demo/alembic.ini' --select 009_merge_audit_and_avatar"
shoot editor "'$work/demo/alembic.ini' --select 013_add_comments --open '$v/013_add_comments.py:14'"
shoot normalize "'$work/demo/alembic.ini' --select 3f9a1c2b7d4e --normalize 3f9a1c2b7d4e"
DARK=1 shoot dark "'$work/demo/alembic.ini' --select 009_merge_audit_and_avatar --open '$v/009_merge_audit_and_avatar.py:13'"
