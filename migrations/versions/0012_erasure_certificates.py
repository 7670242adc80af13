"""signed deletion certificate versions (pending_expiry, then complete)

Revision ID: 0012_erasure_certificates
Revises: 0011_breach_subject_notices
Create Date: 2026-12-07 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_erasure_certificates"
down_revision = "0011_breach_subject_notices"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "erasure_certificates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("token", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_certificates")),
        sa.UniqueConstraint(
            "subject_id", "version", name=op.f("uq_erasure_certificates_subject_id")
        ),
    )
    with op.batch_alter_table("erasure_certificates") as batch:
        batch.create_index(
            batch.f("ix_erasure_certificates_subject_id"), ["subject_id"], unique=False
        )
        batch.create_index(
            batch.f("ix_erasure_certificates_next_check_at"), ["next_check_at"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("erasure_certificates") as batch:
        batch.drop_index(batch.f("ix_erasure_certificates_next_check_at"))
        batch.drop_index(batch.f("ix_erasure_certificates_subject_id"))
    op.drop_table("erasure_certificates")
