"""ropa versions: saved, signed records of processing

Revision ID: 0006_o_ropa_versions
Revises: 0005
Create Date: 2026-12-07 13:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_o_ropa_versions"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "ropa_versions",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("jws", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_ropa_versions")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("ropa_versions")
