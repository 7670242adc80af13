"""Store normalised webhook events in the inbox; a repeated event key is a no-op."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from plugin.extensions import db
from plugin.ingest.inbox import enqueue
from plugin.vendors.contract import WebhookEvent


@dataclass(frozen=True)
class StoreResult:
    """How many events were new and how many were already in the inbox."""

    accepted: int
    duplicates: int


def store_events(events: Iterable[WebhookEvent]) -> StoreResult:
    """Insert the events (ids only, never the raw body) in one statement and commit.

    The commit happens before the webhook is answered: a 2xx means the event is durable.
    """
    accepted, duplicates = enqueue(events)
    db.session.commit()
    return StoreResult(accepted, duplicates)
