"""add project status

Revision ID: 006_add_project_status
Revises: 005_index_users_email
Create Date: 2026-02-24 14:12:09.640528

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '006_add_project_status'
down_revision = '005_index_users_email'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # PostgreSQL keeps ENUM types apart from columns: create it first.
    if op.get_context().dialect.name == "postgresql":
        op.execute("CREATE TYPE project_status AS ENUM ('active', 'archived')")
    with op.batch_alter_table("projects") as batch_op:
        batch_op.add_column(
            sa.Column(
                "status",
                sa.Enum("active", "archived", name="project_status"),
                nullable=False,
                server_default="active",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_column("status")
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TYPE project_status")
