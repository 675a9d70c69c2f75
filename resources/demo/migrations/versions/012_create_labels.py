"""create labels

Revision ID: 012_create_labels
Revises: 011_add_project_paused_status
Create Date: 2026-06-22 13:33:40.318554

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '012_create_labels'
down_revision = '011_add_project_paused_status'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "labels",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("project_id", sa.Integer(), sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("color", sa.String(7), nullable=False, server_default="#808080"),
    )


def downgrade() -> None:
    op.drop_table("labels")
