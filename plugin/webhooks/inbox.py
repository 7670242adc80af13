"""Store normalised webhook events in the inbox; a repeated event key is a no-op."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from contextlib import AbstractContextManager

from flask import Flask, current_app

from plugin.extensions import db
from plugin.ingest.inbox import inbox_rows
from plugin.ingest.settings import ingest_settings
from plugin.vendors.contract import WebhookEvent
from plugin.webhooks.writer import Arrival, InboxWriter, StoreResult, StoreUnavailable

WRITER = "datavagt.inbox_writer"
_create_lock = threading.Lock()

__all__ = [
    "StoreResult",
    "StoreUnavailable",
    "arriving",
    "inbox_writer",
    "store_arrived",
    "store_events",
]


def inbox_writer() -> InboxWriter:
    """The current app's group-commit writer, created on first use (one per app, process)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    writer: InboxWriter | None = app.extensions.get(WRITER)
    if writer is None:
        with _create_lock:
            writer = app.extensions.get(WRITER)
            if writer is None:
                settings = ingest_settings()
                writer = InboxWriter(
                    db.engine,
                    max_events=settings.group_commit_max_events,
                    max_wait=settings.group_commit_max_wait_ms / 1000,
                    timeout=settings.group_commit_timeout_seconds,
                )
                app.extensions[WRITER] = writer
    return writer


def arriving() -> AbstractContextManager[Arrival]:
    """Announce a webhook request to the writer before it verifies and parses its body."""
    return inbox_writer().arriving()


def store_arrived(arrival: Arrival, events: Iterable[WebhookEvent]) -> StoreResult:
    """``store_events`` for a request announced with ``arriving``."""
    rows, given = inbox_rows(events)
    return arrival.submit(rows, given)


def store_events(events: Iterable[WebhookEvent]) -> StoreResult:
    """Store the events (ids only, never the raw body); returns after they are committed.

    A 2xx means the event is durable: this returns only once the group commit holding the
    events succeeded, and raises StoreUnavailable when it did not.
    """
    rows, given = inbox_rows(events)
    return inbox_writer().submit(rows, given)
