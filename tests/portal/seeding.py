"""A known customer: identifiers, a ticket with a vaulted CPR number, a consent, a message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask

from plugin.consent import receipt
from plugin.consent import service as consents
from plugin.consent.seed import ensure_seeded
from plugin.extensions import db
from plugin.models import Consent, Finding, Ticket
from plugin.models.types import utcnow
from plugin.subjects import find_or_create_subject
from plugin.vault import get_vault
from plugin.vendors.contract import VendorContact

EMAIL = "karen.holm@example.dk"
OTHER_EMAIL = "ole.berg@example.dk"
UNKNOWN_EMAIL = "nobody.here@example.dk"
CPR = "050482-1234"


@dataclass
class Customer:
    """Ids a test needs (no values)."""

    subject_id: str
    vendor: str
    external_id: str
    ticket_id: int
    consent_id: str


def seed_customer(
    app: Flask, email: str = EMAIL, external_id: str = "9001", name: str = "Karen Holm"
) -> Customer:
    """One person known by e-mail, a closed support ticket with a CPR number, a consent."""
    ensure_seeded(app)
    contact = VendorContact(external_id=f"c{external_id}", name=name, email=email)
    subject = find_or_create_subject("freshdesk", contact)
    closed = utcnow() - timedelta(days=3)
    ticket = Ticket(
        vendor="freshdesk",
        external_id=external_id,
        subject_id=subject.id,
        purpose="support",
        status="closed",
        closed_at=closed,
        retention_due_at=closed + timedelta(days=365),
    )
    db.session.add(ticket)
    db.session.flush()
    item = get_vault().encrypt(
        subject.id, CPR, field="description", kind="cpr", ticket_id=ticket.id
    )
    db.session.add(
        Finding(
            ticket_id=ticket.id,
            subject_id=subject.id,
            field="description",
            type="cpr",
            category="identity",
            start=0,
            end=len(CPR),
            score=1.0,
            detector="cpr",
            vault_item_id=item.id,
            masked="[CPR ••••••-••34]",
            written_back=True,
        )
    )
    text = consents.current_text("marketing", "da")
    assert text is not None
    # Recorded directly: fixture data, not the feature under test.
    consent = Consent(
        subject_id=subject.id,
        purpose="marketing",
        consent_text_id=text.id,
        channel="form",
        evidence={"form": "newsletter"},
        given_at=utcnow() - timedelta(days=30),
    )
    consent.text = text
    db.session.add(consent)
    db.session.flush()
    consent.receipt = receipt.issue(consent, withdrawn=False)
    db.session.commit()
    return Customer(subject.id, "freshdesk", external_id, ticket.id, consent.id)
