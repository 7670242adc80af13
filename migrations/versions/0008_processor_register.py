"""register of processors and sub-processors (Art. 28)

Revision ID: 0008_processor_register
Revises: 0006_o_accountability
Create Date: 2026-12-07 13:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_processor_register"
down_revision = "0006_o_accountability"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "processor_agreements",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("parent_key", sa.String(length=64), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("service", sa.String(length=500), nullable=False),
        sa.Column("transfer_basis", sa.String(length=16), nullable=False),
        sa.Column("transfer_mechanism", sa.String(length=500), nullable=False),
        sa.Column("agreement_date", sa.Date(), nullable=True),
        sa.Column("dpa_url", sa.String(length=500), nullable=False),
        sa.Column("data_categories", sa.JSON(), nullable=False),
        sa.Column("last_review_on", sa.Date(), nullable=True),
        sa.Column("last_review_by", sa.String(length=200), nullable=False),
        sa.Column("review_note", sa.String(length=2000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_processor_agreements")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("processor_agreements")
