"""Retention deadline of a ticket from its purpose, shortened when fields stay unwritable."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from plugin.models import Ticket


def anchor(ticket: Ticket, start: str) -> datetime | None:
    """The moment the purpose's retention counts from, if it has happened.

    ``consent_withdrawn`` is left to the retention sweep (it depends on consent records).
    """
    if start == "closed":
        return ticket.closed_at
    if start == "last_activity":
        return ticket.last_activity_at or ticket.closed_at or ticket.vendor_created_at
    if start == "created":
        return ticket.vendor_created_at or ticket.ingested_at
    return None


def retention_deadline(
    ticket: Ticket, purpose: Mapping[str, Any], unwritable_days: int | None = None
) -> datetime | None:
    """When the ticket is due: purpose days from its anchor; personal data left in clear in
    unwritable fields is kept at most ``unwritable_days`` from the same anchor."""
    rule = purpose.get("retention") or {}
    start = rule.get("start") or rule.get("from") or "closed"
    moment = anchor(ticket, start)
    if moment is None:
        return None
    due = moment + timedelta(days=int(rule.get("days", 0)))
    if unwritable_days is not None:
        due = min(due, moment + timedelta(days=unwritable_days))
    return due
