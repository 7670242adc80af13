"""Demo hook: make a few seeded tickets overdue so ``datavagt demo`` can show a retention run."""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.models import Ticket
from plugin.models.types import utcnow
from plugin.retention.due import plan_tickets


def seed_due(app: Flask, count: int = 3, exclude: Collection[int] = ()) -> list[str]:
    """Back-date ``count`` live tickets past their rule (closed ones first), never the ticket
    rows in ``exclude`` (the demo's own links open them); returns their refs."""
    with app.app_context():
        purposes = app.extensions["datavagt.manifest"].purposes
        # Consent-based rules count from a withdrawal, which back-dating cannot fake.
        eligible = [
            c for c, p in purposes.items() if p["retention"]["start"] != "consent_withdrawn"
        ]
        tickets = list(
            db.session.scalars(
                sa.select(Ticket)
                .where(
                    Ticket.deleted_at.is_(None),
                    Ticket.legal_hold.is_(False),
                    Ticket.purpose.in_(eligible),
                    Ticket.id.not_in(list(exclude)),
                )
                .order_by(Ticket.closed_at.is_(None), Ticket.id)
                .limit(count)
            )
        )
        now = utcnow()
        for ticket in tickets:
            rule = purposes[ticket.purpose or ""]["retention"]
            moment = now - timedelta(days=rule["days"] + 1)
            # Whatever the rule counts from, that moment is now past the retention period.
            ticket.closed_at = moment
            ticket.last_activity_at = moment
            ticket.vendor_created_at = moment - timedelta(days=1)
            ticket.status = "closed"
        for plan in plan_tickets(tickets, now):
            plan.ticket.retention_due_at = plan.next_due
        db.session.commit()
        return [f"{t.vendor}:{t.external_id}" for t in tickets]
