"""portal sessions and secure messages

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 14:33:05.371746
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "portal_login_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=True),
        sa.Column("email_index", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["data_subjects.id"],
            name=op.f("fk_portal_login_tokens_subject_id_data_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_login_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_portal_login_tokens_token_hash")),
    )
    with op.batch_alter_table("portal_login_tokens", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portal_login_tokens_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_portal_login_tokens_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "portal_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["data_subjects.id"],
            name=op.f("fk_portal_sessions_subject_id_data_subjects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_portal_sessions")),
    )
    with op.batch_alter_table("portal_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portal_sessions_expires_at"), ["expires_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_portal_sessions_subject_id"), ["subject_id"], unique=False
        )

    op.create_table(
        "plain_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("types", sa.JSON(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_plain_replies_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plain_replies")),
        sa.UniqueConstraint(
            "ticket_id", "conversation_id", name=op.f("uq_plain_replies_ticket_id")
        ),
    )
    with op.batch_alter_table("plain_replies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plain_replies_recorded_at"), ["recorded_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plain_replies_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "secure_messages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.String(length=36), nullable=True),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("vault_item_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["data_subject_requests.id"],
            name=op.f("fk_secure_messages_request_id_data_subject_requests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["data_subjects.id"],
            name=op.f("fk_secure_messages_subject_id_data_subjects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_secure_messages_ticket_id_tickets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["vault_item_id"],
            ["vault_items.id"],
            name=op.f("fk_secure_messages_vault_item_id_vault_items"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_secure_messages")),
    )
    with op.batch_alter_table("secure_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_secure_messages_subject_created", ["subject_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_secure_messages_ticket_id"), ["ticket_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("secure_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_secure_messages_ticket_id"))
        batch_op.drop_index("ix_secure_messages_subject_created")

    op.drop_table("secure_messages")
    with op.batch_alter_table("plain_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plain_replies_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_plain_replies_recorded_at"))

    op.drop_table("plain_replies")
    with op.batch_alter_table("portal_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_sessions_subject_id"))
        batch_op.drop_index(batch_op.f("ix_portal_sessions_expires_at"))

    op.drop_table("portal_sessions")
    with op.batch_alter_table("portal_login_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portal_login_tokens_subject_id"))
        batch_op.drop_index(batch_op.f("ix_portal_login_tokens_expires_at"))

    op.drop_table("portal_login_tokens")
