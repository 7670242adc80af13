"""audit queue (requests insert without a lock, the sequencer chains) and Merkle roots

Revision ID: 0015_audit_queue
Revises: 0014_rate_budget
Create Date: 2026-12-07 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_audit_queue"
down_revision = "0014_rate_budget"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "audit_queue",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.String(length=128), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=True),
        sa.Column("vendor_user", sa.String(length=128), nullable=True),
        sa.Column("action", sa.String(length=48), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=True),
        sa.Column("ticket_ref", sa.String(length=170), nullable=True),
        sa.Column("field", sa.String(length=128), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_queue")),
    )
    op.create_table(
        "audit_verified",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("frontier", sa.JSON(), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_verified")),
    )
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("root_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Revert this revision (events still queued are lost: run `datavagt audit flush` first)."""
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.drop_column("root_hash")
    op.drop_table("audit_verified")
    op.drop_table("audit_queue")
