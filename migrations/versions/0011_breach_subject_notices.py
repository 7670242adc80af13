"""breaches: when and how many affected persons were told (Art. 34)

Revision ID: 0011_breach_subject_notices
Revises: 0010_alerts
Create Date: 2026-12-07 15:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_breach_subject_notices"
down_revision = "0010_alerts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("breaches") as batch:
        batch.add_column(
            sa.Column("subjects_notified_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("subjects_notified", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("breaches") as batch:
        batch.drop_column("subjects_notified")
        batch.drop_column("subjects_notified_at")
