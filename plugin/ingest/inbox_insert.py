"""The inbox's one batched INSERT ... ON CONFLICT DO NOTHING RETURNING, per backend."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.dml import ReturningInsert

from plugin.models import InboxEvent

EventKey = tuple[str, str]  # (vendor, event_key): the inbox's unique key

# The columns ``plugin.ingest.inbox.inbox_rows`` binds (the always-NULL ones are left out).
COLUMNS = (
    "vendor",
    "event_key",
    "kind",
    "object_type",
    "object_id",
    "occurred_at",
    "payload",
    "status",
    "attempts",
    "next_attempt_at",
    "received_at",
)
_TABLE = InboxEvent.__table__
_STATEMENTS: dict[str, ReturningInsert[tuple[str, str]]] = {}


def insert_rows(connection: sa.Connection, rows: list[dict[str, Any]]) -> set[EventKey]:
    """One batched INSERT ... ON CONFLICT DO NOTHING; returns the keys that were new.

    Rows must have distinct keys. No commit: the caller owns the transaction.
    """
    if not rows:
        return set()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        result = connection.execute(_statement(dialect), {"rows": _json_rows(rows)})
    else:
        result = connection.execute(_statement(dialect), rows)
    return {(vendor, key) for vendor, key in result}


def _statement(dialect: str) -> ReturningInsert[tuple[str, str]]:
    """Built once per dialect so SQLAlchemy compiles and caches it once."""
    if dialect not in _STATEMENTS:
        if dialect == "postgresql":
            insert = postgresql.insert(_TABLE).from_select(COLUMNS, _pg_rows())
        else:
            insert = sqlite_insert(_TABLE)
        _STATEMENTS[dialect] = insert.on_conflict_do_nothing(
            index_elements=["vendor", "event_key"]
        ).returning(_TABLE.c.vendor, _TABLE.c.event_key)
    return _STATEMENTS[dialect]


def _pg_rows() -> sa.Select[Any]:
    """PostgreSQL: every row in one JSON parameter, ``json_to_recordset`` turns it into rows.

    A VALUES list binds 11 parameters per row, and psycopg re-parses such long statements
    in Python on every call (it caches only short ones); this text never changes, so psycopg
    caches it and the server prepares it once. The record has the columns' own types, so a
    value too long for its column is refused as before.
    """
    source = (
        sa.func.json_to_recordset(sa.cast(sa.bindparam("rows", type_=sa.Text), postgresql.JSON))
        .table_valued(*(sa.column(c, _TABLE.c[c].type) for c in COLUMNS))
        .render_derived(name="incoming", with_types=True)
    )
    return sa.select(*(source.c[c] for c in COLUMNS))


def _json_rows(rows: list[dict[str, Any]]) -> str:
    """The rows as one JSON document (C-encoded; only timestamps call back into Python)."""
    return json.dumps(rows, default=_timestamp)


def _timestamp(value: object) -> str:
    """A timestamp in ISO 8601 with its offset; naive ones taken as UTC, as UTCDateTime does."""
    if not isinstance(value, datetime):
        raise TypeError(f"{type(value).__name__} is not JSON serializable")
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
