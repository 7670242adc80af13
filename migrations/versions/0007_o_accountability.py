"""accountability: saved signed ROPA versions and the breach register

Revision ID: 0006_o_accountability
Revises: 0006_m_admin_sessions
Create Date: 2026-12-07 13:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_o_accountability"
down_revision = "0006_m_admin_sessions"
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
    op.create_table(
        "breaches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("subjects_estimate", sa.Integer(), nullable=False),
        sa.Column("records_estimate", sa.Integer(), nullable=False),
        sa.Column("consequences", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("high_risk", sa.Boolean(), nullable=False),
        sa.Column("reminders", sa.JSON(), nullable=False),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breaches")),
    )
    with op.batch_alter_table("breaches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_breaches_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_breaches_source"), ["source"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("breaches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_breaches_source"))
        batch_op.drop_index(batch_op.f("ix_breaches_status"))
    op.drop_table("breaches")
    op.drop_table("ropa_versions")
