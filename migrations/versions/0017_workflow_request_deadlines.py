"""request workflow: extension length, reminder/escalation marks, closer; Art. 18(3)/21 marks

Revision ID: 0017_workflow_request_deadlines
Revises: 0016_consent_withdrawal_effect
Create Date: 2026-12-08 03:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_workflow_request_deadlines"
down_revision = "0016_consent_withdrawal_effect"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision (ADD COLUMN only)."""
    op.add_column("data_subject_requests", sa.Column("extension_months", sa.Integer()))
    op.add_column("data_subject_requests", sa.Column("reminded_on", sa.Date()))
    op.add_column("data_subject_requests", sa.Column("escalated_on", sa.Date()))
    op.add_column("data_subject_requests", sa.Column("closed_by", sa.String(length=128)))
    op.add_column(
        "processing_restrictions", sa.Column("lift_notice_at", sa.DateTime(timezone=True))
    )
    op.add_column("processing_restrictions", sa.Column("compelling_grounds", sa.String(length=500)))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("processing_restrictions") as batch:
        batch.drop_column("compelling_grounds")
        batch.drop_column("lift_notice_at")
    with op.batch_alter_table("data_subject_requests") as batch:
        for column in ("closed_by", "escalated_on", "reminded_on", "extension_months"):
            batch.drop_column(column)
