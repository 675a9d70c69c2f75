"""index users email

Revision ID: 005_index_users_email
Revises: 004_create_projects
Create Date: 2026-02-10 08:55:31.266090

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '005_index_users_email'
down_revision = '004_create_projects'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_users_email", "users", ["email"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_users_email", table_name="users")
