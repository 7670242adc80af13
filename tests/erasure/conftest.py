"""Erasure fixtures: the retention simulator fixtures plus a person known to Freshdesk."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.models import DataSubject, Finding, Ticket
from plugin.models.types import utcnow
from plugin.retention.vendors import close_adapters
from plugin.subjects.identity import find_or_create_subject
from plugin.vault import get_vault
from plugin.vendors.contract import VendorContact
from simulators.freshdesk.simulator import FreshdeskSimulator
from tests.retention.conftest import FAST, StatusLog, freshdesk, freshdesk_settings

__all__ = ["freshdesk"]


@pytest.fixture
def erasure_app(
    make_app: Callable[..., Flask], freshdesk: tuple[FreshdeskSimulator, StatusLog]
) -> Iterator[Flask]:
    """An app on the simulator; erasure jobs run only when the test dispatches them."""
    sim, _ = freshdesk
    app = make_app(freshdesk=freshdesk_settings(sim), erasure_dispatch="off", **FAST)
    with app.app_context():
        yield app
        close_adapters(app)


def person(sim: FreshdeskSimulator, tickets: int = 2) -> tuple[DataSubject, int, list[Ticket]]:
    """A contact with tickets in the simulator, ingested as a subject with sealed findings."""
    contact = sim.add_contact("Jens Hansen", "jens@example.com", "+4512345678")
    subject = find_or_create_subject(
        "freshdesk",
        VendorContact(external_id=str(contact), email="jens@example.com", phone="+4512345678"),
    )
    rows = []
    for _ in range(tickets):
        external = sim.add_ticket("Help", "Call me on 12345678", contact, notify=False)
        ticket = Ticket(
            vendor="freshdesk",
            external_id=str(external),
            subject_id=subject.id,
            purpose="support",
            status="open",
            last_activity_at=utcnow(),
        )
        db.session.add(ticket)
        db.session.flush()
        item = get_vault().encrypt(
            subject.id, "12345678", field="description", kind="phone", ticket_id=ticket.id
        )
        ticket.findings.append(
            Finding(
                subject_id=subject.id,
                field="description",
                type="phone",
                category="contact",
                start=11,
                end=19,
                score=1.0,
                detector="phone",
                vault_item_id=item.id,
                masked="[phone]",
            )
        )
        rows.append(ticket)
    db.session.commit()
    return subject, contact, rows
