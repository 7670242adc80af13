"""alerts and failed sign-in counts

Revision ID: 0010_alerts
Revises: 0009_dpia
Create Date: 2026-12-07 15:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_alerts"
down_revision = "0009_dpia"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "alerts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deliveries", sa.JSON(), nullable=False),
        sa.Column("breach_id", sa.String(length=36), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=128), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_key"), "alerts", ["key"], unique=False)
    op.create_index(op.f("ix_alerts_rule"), "alerts", ["rule"], unique=False)
    op.create_index(op.f("ix_alerts_status"), "alerts", ["status"], unique=False)
    op.create_table(
        "signin_failures",
        sa.Column("minute", sa.DateTime(timezone=True), nullable=False),
        sa.Column("surface", sa.String(length=32), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("minute", "surface", name=op.f("pk_signin_failures")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("signin_failures")
    op.drop_index(op.f("ix_alerts_status"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_rule"), table_name="alerts")
    op.drop_index(op.f("ix_alerts_key"), table_name="alerts")
    op.drop_table("alerts")
