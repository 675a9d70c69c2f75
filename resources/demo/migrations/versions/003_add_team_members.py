"""add team members

Revision ID: 003_add_team_members
Revises: 002_create_teams
Create Date: 2026-01-26 16:40:12.004417

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '003_add_team_members'
down_revision = '002_create_teams'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_members",
        sa.Column("team_id", sa.Integer(), sa.ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False, server_default="member"),
    )


def downgrade() -> None:
    op.drop_table("team_members")
