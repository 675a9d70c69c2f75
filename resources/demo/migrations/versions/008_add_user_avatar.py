"""add user avatar

Revision ID: 008_add_user_avatar
Revises: 006_add_project_status
Create Date: 2026-03-10 17:05:44.932611

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '008_add_user_avatar'
down_revision = '006_add_project_status'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("avatar_url", sa.String(500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("avatar_url")
