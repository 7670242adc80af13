"""The inbox's batched insert: new keys back, repeats ignored, values kept as given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.ingest.inbox_insert import insert_rows
from plugin.models import InboxEvent

AT = datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)


def _row(key: str, occurred_at: datetime | None, **overrides: Any) -> dict[str, Any]:
    row = {
        "vendor": "hubspot",
        "event_key": key,
        "kind": "updated",
        "object_type": "ticket",
        "object_id": "7",
        "occurred_at": occurred_at,
        "payload": {"event_key": key, "note": "Ærø ✓"},
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": AT,
        "received_at": AT,
    }
    return {**row, **overrides}


def test_new_keys_returned_repeats_ignored_values_kept(app: Flask) -> None:
    rows = [
        _row("aware", AT),
        _row("offset", AT.astimezone(timezone(timedelta(hours=2)))),  # the same instant
        _row("naive", AT.replace(tzinfo=None)),  # taken as UTC, as UTCDateTime does
        _row("none", None),
    ]
    with db.engine.begin() as connection:
        assert insert_rows(connection, rows) == {("hubspot", row["event_key"]) for row in rows}
    with db.engine.begin() as connection:
        assert insert_rows(connection, [rows[0], _row("new", AT)]) == {("hubspot", "new")}
        assert insert_rows(connection, []) == set()
    stored = {event.event_key: event for event in db.session.scalars(sa.select(InboxEvent))}
    assert len(stored) == 5
    for key in ("aware", "offset", "naive"):
        assert stored[key].occurred_at == AT
    assert stored["none"].occurred_at is None
    assert stored["aware"].payload == {"event_key": "aware", "note": "Ærø ✓"}
    assert stored["aware"].received_at == AT and stored["aware"].status == "pending"


def test_overlong_value_is_refused_not_cut(app: Flask) -> None:
    """A value longer than its column fails the insert (it is never silently shortened)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite does not enforce VARCHAR lengths")
    with pytest.raises(sa.exc.DBAPIError), db.engine.begin() as connection:
        insert_rows(connection, [_row("long", AT, kind="k" * 65)])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InboxEvent)) == 0
