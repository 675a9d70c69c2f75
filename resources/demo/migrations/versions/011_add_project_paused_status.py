"""add paused project status

Revision ID: 011_add_project_paused_status
Revises: 010_add_project_slug
Create Date: 2026-05-18 10:07:52.093385

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '011_add_project_paused_status'
down_revision = '010_add_project_slug'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        # PostgreSQL: add the value to the type; the column follows.
        op.execute("ALTER TYPE project_status ADD VALUE 'paused' BEFORE 'archived'")
        return
    with op.batch_alter_table("projects") as batch_op:
        batch_op.alter_column(
            "status",
            existing_type=sa.Enum("active", "archived", name="project_status"),
            type_=sa.Enum("active", "paused", "archived", name="project_status"),
            existing_nullable=False,
        )


def downgrade() -> None:
    op.execute("UPDATE projects SET status = 'active' WHERE status = 'paused'")
    if op.get_context().dialect.name == "postgresql":
        # A value cannot be dropped from a type: swap in a type without it.
        op.execute("ALTER TYPE project_status RENAME TO project_status_old")
        op.execute("CREATE TYPE project_status AS ENUM ('active', 'archived')")
        op.execute("ALTER TABLE projects ALTER COLUMN status DROP DEFAULT")
        op.execute(
            "ALTER TABLE projects ALTER COLUMN status TYPE project_status "
            "USING status::text::project_status"
        )
        op.execute("ALTER TABLE projects ALTER COLUMN status SET DEFAULT 'active'")
        op.execute("DROP TYPE project_status_old")
        return
    with op.batch_alter_table("projects") as batch_op:
        batch_op.alter_column(
            "status",
            existing_type=sa.Enum("active", "paused", "archived", name="project_status"),
            type_=sa.Enum("active", "archived", name="project_status"),
            existing_nullable=False,
        )
