"""what withdrawing a consent does (per text version) and what it did (per consent)

Revision ID: 0016_consent_withdrawal_effect
Revises: 0015_audit_queue
Create Date: 2026-12-07 23:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_consent_withdrawal_effect"
down_revision = "0015_audit_queue"
branch_labels = None
depends_on = None


# consent_texts is immutable by trigger (revision 0003); SQLite drops a table's triggers
# when batch mode rebuilds it, so the downgrade puts them back.
SQLITE_TRIGGERS = (
    """CREATE TRIGGER consent_texts_no_update BEFORE UPDATE ON consent_texts
    BEGIN SELECT RAISE(ABORT, 'consent texts are immutable'); END""",
    """CREATE TRIGGER consent_texts_no_delete BEFORE DELETE ON consent_texts
    BEGIN SELECT RAISE(ABORT, 'consent texts are immutable'); END""",
)


def upgrade() -> None:
    """Apply this revision (ADD COLUMN: no table rebuild, the triggers stay)."""
    op.add_column(
        "consent_texts",
        sa.Column("on_withdrawal", sa.String(length=16), nullable=False, server_default="stop"),
    )
    op.add_column("consents", sa.Column("withdrawal_effect", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("consents") as batch:
        batch.drop_column("withdrawal_effect")
    if sqlite:
        op.execute("DROP TRIGGER IF EXISTS consent_texts_no_update")
        op.execute("DROP TRIGGER IF EXISTS consent_texts_no_delete")
    with op.batch_alter_table("consent_texts") as batch:
        batch.drop_column("on_withdrawal")
    if sqlite:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
