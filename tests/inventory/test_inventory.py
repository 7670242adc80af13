"""Inventory: purposes from rules, over-collection, Art. 9 basis, retention deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.ingest.pipeline import ingest_ticket
from plugin.ingest.settings import ingest_settings
from plugin.inventory import (
    inventory_for_subject,
    inventory_for_ticket,
    purpose_for,
    retention_deadline,
)
from plugin.models import Consent, ConsentText, Ticket
from plugin.models.types import utcnow
from plugin.vendors.contract import VendorTicket

RULES = [
    {"match": {"tags": ["complaint", "klage"]}, "purpose": "complaint"},
    {"match": {"vendor": ["hubspot"], "pipeline": ["warranty-pipe"]}, "purpose": "warranty"},
    {"match": {"vendor": ["freshdesk"], "ticket_type": ["Refund"]}, "purpose": "complaint"},
]


def _vt(vendor: str = "freshdesk", **kw: object) -> VendorTicket:
    return VendorTicket(vendor=vendor, external_id="1", subject="s", fields={}, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ticket", "purpose"),
    [
        (_vt(), "support"),
        (_vt(tags=["Klage", "x"]), "complaint"),
        (_vt("hubspot", pipeline="warranty-pipe"), "warranty"),
        (_vt("freshdesk", pipeline="warranty-pipe"), "support"),
        (_vt("freshdesk", ticket_type="refund"), "complaint"),
        (_vt("dynamics", ticket_type="Refund"), "support"),
    ],
)
def test_purpose_rules(ticket: VendorTicket, purpose: str) -> None:
    assert purpose_for(ticket, RULES) == purpose


def test_retention_deadline() -> None:
    closed = datetime(2026, 1, 1, tzinfo=UTC)
    ticket = Ticket(vendor="x", external_id="1", closed_at=closed, vendor_created_at=closed)
    spec = {"retention": {"days": 365, "start": "closed"}}
    assert retention_deadline(ticket, spec) == closed + timedelta(days=365)
    assert retention_deadline(ticket, spec, unwritable_days=30) == closed + timedelta(days=30)
    assert retention_deadline(Ticket(vendor="x", external_id="2"), spec) is None  # still open
    withdrawn = {"retention": {"days": 30, "start": "consent_withdrawn"}}
    assert retention_deadline(ticket, withdrawn) is None  # left to the retention sweep


def _ingest(app: Flask, sims: dict, text: str, tags: list[str] | None = None, status: int = 2):
    sim = sims["freshdesk"]
    contact = sim.add_contact("Jens Hansen", "jens@example.com")
    tid = sim.add_ticket("Hjælp", text, contact, tags=tags, status=status, notify=False)
    adapter = app.extensions["datavagt.adapters"]["freshdesk"]
    result = ingest_ticket(adapter, adapter.get_ticket(str(tid)), ingest_settings())
    db.session.commit()
    return db.session.get(Ticket, result.ticket_id)


def test_ticket_inventory_flags(ingest_app: Flask, sims: dict) -> None:
    text = "Jeg har diabetes. Mit IBAN er DK5000400440116243, CPR 010190-1234."
    ticket = _ingest(ingest_app, sims, text, status=5)
    inv = inventory_for_ticket(ticket)
    assert inv["purpose"] == "support" and inv["legal_basis"] == "contract"
    assert {"identity", "financial", "special"} <= set(inv["categories"])
    # support allows identity, contact, location, online: financial and special are extra.
    assert inv["over_collection"] == ["financial", "special"]
    assert inv["special_without_basis"] is True and inv["art9_basis"] is None
    assert inv["retention"]["due_at"] is not None and inv["retention"]["legal_hold"] is False
    assert inv["unwritable_fields"] == [] and inv["retention"]["shortened"] is False
    health = next(f for f in inv["findings"] if f["type"] == "health")
    assert health["masked"] == "[health]" and health["special_without_basis"]
    assert "diabetes" not in str(inv) and "010190" not in str(inv)


def test_explicit_consent_is_an_art9_basis(ingest_app: Flask, sims: dict) -> None:
    ticket = _ingest(ingest_app, sims, "Min søn har astma og jeg har diabetes.")
    text = ConsentText(purpose="support", language="da", version=1, text="Ja", sha256="0" * 64)
    db.session.add(text)
    db.session.flush()
    consent = Consent(
        subject_id=ticket.subject_id,
        purpose="support",
        consent_text_id=text.id,
        explicit=True,
        channel="portal",
    )
    db.session.add(consent)
    db.session.commit()
    inv = inventory_for_ticket(ticket)
    assert inv["art9_basis"] == "explicit_consent" and not inv["special_without_basis"]
    consent.withdrawn_at = utcnow()
    db.session.commit()
    assert inventory_for_ticket(ticket)["special_without_basis"] is True


def test_declared_art9_basis_for_complaints(ingest_app: Flask, sims: dict) -> None:
    ticket = _ingest(ingest_app, sims, "Jeg har diabetes og klager.", tags=["klage"])
    inv = inventory_for_ticket(ticket)
    assert inv["purpose"] == "complaint"
    assert inv["art9_basis"] and "9(2)(f)" in inv["art9_basis"]
    assert inv["special_without_basis"] is False


def test_unwritable_fields_shorten_retention(ingest_app: Flask, sims: dict) -> None:
    sim = sims["freshdesk"]
    contact = sim.add_contact("Jens Hansen", "jens@example.com")
    tid = sim.add_ticket("Hjælp", "Intet her", contact, status=5, notify=False)
    sim.add_conversation(tid, "Mit CPR er 010190-1234", incoming=True)
    adapter = ingest_app.extensions["datavagt.adapters"]["freshdesk"]
    result = ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    db.session.commit()
    ticket = db.session.get(Ticket, result.ticket_id)
    inv = inventory_for_ticket(ticket)
    assert inv["retention"]["shortened"] and inv["unwritable_fields"][0].startswith("conversation.")
    due = datetime.fromisoformat(inv["retention"]["due_at"])
    assert due == ticket.closed_at + timedelta(days=30)


def test_subject_inventory(ingest_app: Flask, sims: dict) -> None:
    first = _ingest(ingest_app, sims, "CPR 010190-1234")
    second = _ingest(ingest_app, sims, "Jeg klager, IBAN DK5000400440116243", tags=["klage"])
    assert first.subject_id == second.subject_id
    inv = inventory_for_subject(first.subject_id)
    assert [t["ticket"]["id"] for t in inv["tickets"]] == [first.id, second.id]
    assert inv["purposes"] == ["complaint", "support"]
    assert "identity" in inv["categories"] and "financial" in inv["categories"]
    assert inv["over_collection"] == []  # financial is allowed for complaints
    assert {"kind": "email", "vendor": None} in inv["identifiers"]
    assert "jens" not in str(inv).lower()
    with pytest.raises(LookupError):
        inventory_for_subject("no-such-subject")
