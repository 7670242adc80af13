"""one rate budget per vendor shared by every replica

Revision ID: 0014_rate_budget
Revises: 0013_identity_weak_identifiers
Create Date: 2026-12-07 15:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_rate_budget"
down_revision = "0013_identity_weak_identifiers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "vendor_rate_slots",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("vendor", sa.String(length=32), nullable=False),
        sa.Column("sent_at", sa.Float(), nullable=False),
        sa.Column("cost", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vendor_rate_slots")),
    )
    op.create_index("ix_vendor_rate_slots_vendor_sent", "vendor_rate_slots", ["vendor", "sent_at"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_vendor_rate_slots_vendor_sent", table_name="vendor_rate_slots")
    op.drop_table("vendor_rate_slots")
