"""Backfill: enqueue a vendor's existing tickets as inbox events, then process them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from plugin.extensions import db
from plugin.ingest.inbox import enqueue
from plugin.vendors.contract import Adapter, VendorTicket, WebhookEvent

CHUNK = 100


@dataclass
class BackfillResult:
    """Counts of one backfill run."""

    seen: int = 0
    enqueued: int = 0
    duplicates: int = 0


def backfill_event(ticket: VendorTicket) -> WebhookEvent:
    """A synthetic 'updated' event; the key repeats for an unchanged ticket (no re-work)."""
    stamp = ticket.updated_at.isoformat() if ticket.updated_at else "unknown"
    return WebhookEvent(
        vendor=ticket.vendor,
        event_key=f"backfill:ticket:{ticket.external_id}:{stamp}",
        kind="updated",
        object_type="ticket",
        object_id=ticket.external_id,
        occurred_at=ticket.updated_at,
    )


def enqueue_backfill(adapter: Adapter, since: datetime) -> BackfillResult:
    """Walk ``iter_tickets`` (every page) and store one event per ticket, committing per chunk.

    The worker re-reads each ticket, exactly as for a webhook, so backfill and webhook
    processing are the same idempotent path.
    """
    result = BackfillResult()
    chunk: list[WebhookEvent] = []
    for ticket in adapter.iter_tickets(since):
        result.seen += 1
        chunk.append(backfill_event(ticket))
        if len(chunk) >= CHUNK:
            _store(chunk, result)
            chunk = []
    if chunk:
        _store(chunk, result)
    return result


def _store(chunk: list[WebhookEvent], result: BackfillResult) -> None:
    new, duplicates = enqueue(chunk)
    db.session.commit()
    result.enqueued += new
    result.duplicates += duplicates
