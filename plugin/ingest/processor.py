"""Process claimed inbox events: re-read the ticket from the vendor and ingest it."""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime

from flask import current_app

from plugin.database import purge_residue
from plugin.extensions import db
from plugin.ingest import inbox
from plugin.ingest.deletions import handle_deletion
from plugin.ingest.errors import EventParked, IngestError
from plugin.ingest.pipeline import ingest_ticket
from plugin.ingest.settings import IngestSettings, ingest_settings
from plugin.models import InboxEvent, Ticket
from plugin.models.types import utcnow
from plugin.vendors.contract import Adapter, WebhookEvent
from plugin.vendors.errors import NotFound

log = logging.getLogger(__name__)


def worker_id() -> str:
    """Names this process in ``locked_by`` (host and pid: no personal data)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _event(row: InboxEvent) -> WebhookEvent:
    payload = row.payload or {}
    occurred = payload.get("occurred_at")
    return WebhookEvent(
        vendor=row.vendor,
        event_key=row.event_key,
        kind=row.kind,
        object_type=row.object_type,
        object_id=row.object_id,
        occurred_at=datetime.fromisoformat(occurred) if occurred else row.occurred_at,
        change_source=payload.get("change_source"),
        attempt=payload.get("attempt"),
        actor=payload.get("actor"),
    )


def _adapter(vendor: str) -> Adapter:
    adapters: dict[str, Adapter] = current_app.extensions.get("datavagt.adapters", {})
    adapter = adapters.get(vendor)
    if adapter is None:
        raise IngestError(f"vendor {vendor!r} is not configured")
    return adapter


def _mark_deleted(vendor: str, external_id: str) -> None:
    ticket = db.session.query(Ticket).filter_by(vendor=vendor, external_id=external_id).first()
    if ticket is not None and ticket.deleted_at is None:
        ticket.deleted_at = utcnow()


def handle(row: InboxEvent, settings: IngestSettings) -> str:
    """Do the work of one event; returns an outcome word. Raises to retry."""
    if row.kind in ("deleted", "privacy_deletion"):
        # Ticket or contact: our own copies go too, once the vendor confirms it is gone.
        return handle_deletion(row, _adapter(row.vendor))
    if row.object_type != "ticket":
        return "skipped_object"  # other contact events belong to the rights subsystem
    adapter = _adapter(row.vendor)
    if adapter.is_own_change(_event(row)):
        return "own_change"
    try:
        vendor_ticket = adapter.get_ticket(row.object_id)
    except NotFound:
        _mark_deleted(row.vendor, row.object_id)
        return "gone"
    ingest_ticket(adapter, vendor_ticket, settings)
    return "ok"


def process_event(event_id: int, settings: IngestSettings | None = None) -> str:
    """Process one claimed event to done, retry or parked; returns the final status word."""
    settings = settings or ingest_settings()
    row = db.session.get(InboxEvent, event_id)
    if row is None or row.status != inbox.PROCESSING:
        return "not_claimed"
    try:
        outcome = handle(row, settings)
        row = db.session.get(InboxEvent, event_id)  # phase 1 committed: reload
        inbox.mark_done(row, outcome)
        db.session.commit()
        if outcome == "deleted":
            # A contact gone at its only vendor shreds the person's key; a ticket only rows.
            purge_residue(keys=row.object_type == "contact")
        return outcome
    except EventParked as exc:
        inbox.park(event_id, exc)
        log.info("inbox event parked", extra={"event_id": event_id})
        return inbox.PARKED
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row and retried
        status = inbox.mark_failed(event_id, exc, settings)
        log.warning(
            "inbox event failed",
            extra={"event_id": event_id, "error_type": type(exc).__name__, "status": status},
        )
        return status


def run_once(settings: IngestSettings | None = None, limit: int | None = None) -> int:
    """Claim a batch and process it; returns how many events were handled."""
    settings = settings or ingest_settings()
    ids = inbox.claim(worker_id(), settings, limit)
    for event_id in ids:
        process_event(event_id, settings)
    return len(ids)


def drain(settings: IngestSettings | None = None, max_batches: int = 1000) -> int:
    """Process until no event is due (bounded); returns how many were handled."""
    total = 0
    for _ in range(max_batches):
        handled = run_once(settings)
        total += handled
        if not handled:
            break
    return total
