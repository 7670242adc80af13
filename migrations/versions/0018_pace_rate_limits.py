"""the vendor's learnt rate limit and its 429 block, shared by every replica

Revision ID: 0018_pace_rate_limits
Revises: 0017_workflow_request_deadlines
Create Date: 2026-12-08 03:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_pace_rate_limits"
down_revision = "0017_workflow_request_deadlines"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "vendor_rate_limits",
        sa.Column("vendor", sa.String(length=32), nullable=False),
        sa.Column("limit", sa.Integer(), nullable=True),
        sa.Column("window", sa.Float(), nullable=True),
        sa.Column("blocked_until", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("vendor", name=op.f("pk_vendor_rate_limits")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("vendor_rate_limits")
