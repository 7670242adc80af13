"""Store normalised webhook events in the inbox; a repeated event key is a no-op."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from plugin.extensions import db
from plugin.models import InboxEvent
from plugin.vendors.contract import WebhookEvent


@dataclass(frozen=True)
class StoreResult:
    """How many events were new and how many were already in the inbox."""

    accepted: int
    duplicates: int


def store_events(events: Iterable[WebhookEvent]) -> StoreResult:
    """Insert each event (ids only, never the raw body) and commit once."""
    accepted = duplicates = 0
    for event in events:
        if _insert(event):
            accepted += 1
        else:
            duplicates += 1
    db.session.commit()
    return StoreResult(accepted, duplicates)


def _values(event: WebhookEvent) -> dict[str, object]:
    return {
        "vendor": event.vendor,
        "event_key": event.event_key[:255],
        "kind": event.kind,
        "object_type": event.object_type,
        "object_id": event.object_id[:128],
        "occurred_at": event.occurred_at,
        "payload": event.to_payload(),
    }


def _insert(event: WebhookEvent) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING where the dialect has it, else a savepoint."""
    dialect = db.session.get_bind().dialect.name
    table = InboxEvent.__table__
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(table)
            .values({**_defaults(), **_values(event)})
            .on_conflict_do_nothing(index_elements=["vendor", "event_key"])
            .returning(table.c.id)  # rowcount is -1 under psycopg 3: RETURNING tells
        )
        return db.session.execute(statement).scalar_one_or_none() is not None
    try:
        with db.session.begin_nested():
            db.session.add(InboxEvent(**_values(event)))
        return True
    except IntegrityError:
        return False


def _defaults() -> dict[str, object]:
    """Column defaults the Core insert would otherwise skip (ORM-side defaults)."""
    values: dict[str, object] = {}
    for column in InboxEvent.__table__.columns:
        default = column.default
        if default is None or column.primary_key:
            continue
        if default.is_callable:
            values[column.name] = default.arg(None)  # type: ignore[union-attr]
        elif default.is_scalar:
            values[column.name] = default.arg  # type: ignore[union-attr]
    return values
