"""The Ticket row for a vendor ticket: upsert, purpose, dates and retention deadline."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from plugin.extensions import db
from plugin.ingest.settings import IngestSettings
from plugin.inventory import purpose_for, retention_deadline
from plugin.models import Ticket
from plugin.vendors.contract import VendorTicket


def upsert_ticket(vt: VendorTicket, settings: IngestSettings) -> Ticket:
    """Find or create the ticket row and refresh what the vendor says about it (flushes).

    On PostgreSQL the row is locked until the caller's commit, so two workers handling
    events of one ticket run its phase 1 one after the other.
    """
    query = sa.select(Ticket).where(
        Ticket.vendor == vt.vendor, Ticket.external_id == vt.external_id
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    ticket = db.session.scalars(query).first()
    if ticket is None:
        ticket = Ticket(vendor=vt.vendor, external_id=vt.external_id, unwritable_fields=[])
        db.session.add(ticket)
    purposes = current_app.extensions["datavagt.manifest"].purposes
    purpose = purpose_for(vt, settings.purpose_rules, settings.default_purpose)
    ticket.purpose = purpose if purpose in purposes else settings.default_purpose
    ticket.status = (vt.status or ("closed" if vt.closed else "open"))[:32]
    ticket.vendor_created_at = vt.created_at or ticket.vendor_created_at
    ticket.last_activity_at = vt.updated_at or ticket.last_activity_at
    ticket.closed_at = (vt.closed_at or vt.updated_at) if vt.closed else None
    db.session.flush()
    return ticket


def refresh_retention(ticket: Ticket, settings: IngestSettings) -> None:
    """Set ``retention_due_at`` from the purpose (shortened while fields stay unwritable)."""
    purposes = current_app.extensions["datavagt.manifest"].purposes
    spec = purposes.get(ticket.purpose or "", {})
    shorten = settings.unwritable_retention_days if ticket.unwritable_fields else None
    ticket.retention_due_at = retention_deadline(ticket, spec, shorten)
