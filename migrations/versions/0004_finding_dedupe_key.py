"""finding dedupe key

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 14:15:13.385288
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dedupe_key", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_findings_dedupe_key"), ["dedupe_key"])


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_findings_dedupe_key"), type_="unique")
        batch_op.drop_column("dedupe_key")
