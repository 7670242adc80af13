"""data subject requests and restrictions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 14:12:12.984648
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "data_subject_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extended_on", sa.Date(), nullable=True),
        sa.Column("extension_reason", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolution", sa.String(length=500), nullable=True),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["data_subjects.id"],
            name=op.f("fk_data_subject_requests_subject_id_data_subjects"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_subject_requests")),
    )
    with op.batch_alter_table("data_subject_requests", schema=None) as batch_op:
        batch_op.create_index("ix_data_subject_requests_open", ["status", "due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_data_subject_requests_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "processing_restrictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by", sa.String(length=128), nullable=True),
        sa.ForeignKeyConstraint(
            ["purpose"], ["purposes.code"], name=op.f("fk_processing_restrictions_purpose_purposes")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["data_subjects.id"],
            name=op.f("fk_processing_restrictions_subject_id_data_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processing_restrictions")),
    )
    with op.batch_alter_table("processing_restrictions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_processing_restrictions_active", ["subject_id", "lifted_at"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("processing_restrictions", schema=None) as batch_op:
        batch_op.drop_index("ix_processing_restrictions_active")

    op.drop_table("processing_restrictions")
    with op.batch_alter_table("data_subject_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_subject_requests_subject_id"))
        batch_op.drop_index("ix_data_subject_requests_open")

    op.drop_table("data_subject_requests")
