"""consent withdrawal receipts and immutable consent texts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 14:12:57.611850
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Published wording is evidence: the database itself refuses to change or delete it.
SQLITE_TRIGGERS = (
    """CREATE TRIGGER consent_texts_no_update BEFORE UPDATE ON consent_texts
    BEGIN SELECT RAISE(ABORT, 'consent texts are immutable'); END""",
    """CREATE TRIGGER consent_texts_no_delete BEFORE DELETE ON consent_texts
    BEGIN SELECT RAISE(ABORT, 'consent texts are immutable'); END""",
)
PG_FUNCTION = """CREATE FUNCTION consent_texts_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'consent texts are immutable'; END; $$ LANGUAGE plpgsql"""
PG_TRIGGER = """CREATE TRIGGER consent_texts_immutable BEFORE UPDATE OR DELETE ON consent_texts
FOR EACH ROW EXECUTE FUNCTION consent_texts_immutable()"""


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("withdrawal_receipt", sa.Text(), nullable=True))
        batch_op.create_index(
            "ix_consents_subject_purpose", ["subject_id", "purpose"], unique=False
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    """Revert this revision."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS consent_texts_immutable ON consent_texts")
        op.execute("DROP FUNCTION IF EXISTS consent_texts_immutable()")
    else:
        op.execute("DROP TRIGGER IF EXISTS consent_texts_no_update")
        op.execute("DROP TRIGGER IF EXISTS consent_texts_no_delete")
    with op.batch_alter_table("consents", schema=None) as batch_op:
        batch_op.drop_index("ix_consents_subject_purpose")
        batch_op.drop_column("withdrawal_receipt")
