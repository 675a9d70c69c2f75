"""create teams

Revision ID: 002_create_teams
Revises: 001_create_users
Create Date: 2026-01-19 11:02:47.530912

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '002_create_teams'
down_revision = '001_create_users'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False, unique=True),
    )


def downgrade() -> None:
    op.drop_table("teams")
