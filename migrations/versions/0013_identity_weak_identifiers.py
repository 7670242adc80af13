"""a weak identifier (phone) may be held by several subjects

Revision ID: 0013_identity_weak_identifiers
Revises: 0012_erasure_certificates
Create Date: 2026-12-07 15:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_identity_weak_identifiers"
down_revision = "0012_erasure_certificates"
branch_labels = None
depends_on = None

STRONG = sa.text("kind <> 'phone'")


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("subject_identifiers", schema=None) as batch_op:
        batch_op.drop_constraint("uq_subject_identifiers_kind", type_="unique")
        batch_op.create_unique_constraint(
            "uq_subject_identifiers_holder", ["kind", "vendor", "blind_index", "subject_id"]
        )
    op.create_index(
        "uq_subject_identifiers_strong",
        "subject_identifiers",
        ["kind", "vendor", "blind_index"],
        unique=True,
        sqlite_where=STRONG,
        postgresql_where=STRONG,
    )


def downgrade() -> None:
    """Revert this revision: one holder per identifier again (later holders of a shared
    phone number lose that index entry; the person stays findable by the others)."""
    op.drop_index("uq_subject_identifiers_strong", table_name="subject_identifiers")
    op.execute(
        "DELETE FROM subject_identifiers WHERE kind = 'phone' AND id NOT IN ("
        " SELECT MIN(id) FROM subject_identifiers WHERE kind = 'phone'"
        " GROUP BY kind, vendor, blind_index)"
    )
    with op.batch_alter_table("subject_identifiers", schema=None) as batch_op:
        batch_op.drop_constraint("uq_subject_identifiers_holder", type_="unique")
        batch_op.create_unique_constraint(
            "uq_subject_identifiers_kind", ["kind", "vendor", "blind_index"]
        )
