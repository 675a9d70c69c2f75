"""merge audit log and avatar branches

Revision ID: 009_merge_audit_and_avatar
Revises: 007_create_audit_log, 008_add_user_avatar
Create Date: 2026-03-12 12:00:31.510063

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '009_merge_audit_and_avatar'
down_revision = ('007_create_audit_log', '008_add_user_avatar')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
