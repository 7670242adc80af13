"""The chain lock and head: the sequencer, checkpoints and pruning take it, requests never."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from plugin.audit.canonical import GENESIS_HASH
from plugin.models.audit import AuditCheckpoint, AuditEvent

# pg_advisory_xact_lock key: any fixed 64-bit number private to the audit chain.
PG_LOCK_KEY = 0x44_56_41_55_44_49_54  # "DVAUDIT"


def lock_chain(session: Session) -> None:
    """Serialise appends until the caller's transaction ends (commit or rollback)."""
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK_KEY})
    elif dialect == "sqlite":
        raw = connection.connection.dbapi_connection
        # pysqlite opens a deferred transaction only before DML; when one is open the caller
        # already wrote, so this connection holds SQLite's single write lock. Otherwise take
        # the write lock now (BEGIN IMMEDIATE), before the head is read.
        if raw is not None and not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"audit chain: unsupported database {dialect}")


def chain_head(session: Session | Connection) -> tuple[int, str]:
    """(seq, hash) of the newest event, else of the newest anchor, else the genesis."""
    row = session.execute(
        sa.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    if row is not None:
        return int(row.seq), str(row.hash)
    anchor = session.execute(
        sa.select(AuditCheckpoint.seq, AuditCheckpoint.head_hash)
        .where(AuditCheckpoint.is_anchor.is_(True))
        .order_by(AuditCheckpoint.seq.desc())
        .limit(1)
    ).first()
    if anchor is not None:
        return int(anchor.seq), str(anchor.head_hash)
    return 0, GENESIS_HASH
