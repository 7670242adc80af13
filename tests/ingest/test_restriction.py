"""Art. 18/21 while ingesting: store, keep protecting the CRM copy, no further purpose use."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.ingest.pipeline import ingest_ticket
from plugin.models import AuditEvent, Finding, PlainReply, Ticket
from plugin.rights.restrictions import lift, restrict

DPO = Actor(id="dpo-1", role="dpo", source="api")
BODY = "<p>Mit CPR er 010190-1234, skriv til jens@example.com</p>"


def _setup(app: Flask, sims: dict[str, Any]) -> tuple[Any, Any, int, str]:
    """A first ingested ticket of the contact (so the subject exists); returns its id."""
    sim = sims["freshdesk"]
    adapter = app.extensions["datavagt.adapters"]["freshdesk"]
    contact = sim.add_contact("Jens Hansen", "jens@example.com")
    first = sim.add_ticket("Spørgsmål", "<p>Hej</p>", contact, notify=False)
    ingest_ticket(adapter, adapter.get_ticket(str(first)))
    db.session.commit()
    subject_id = db.session.scalars(sa.select(Ticket.subject_id)).one()
    assert subject_id is not None
    return sim, adapter, contact, subject_id


def _second(sim: Any, contact: int) -> int:
    tid = sim.add_ticket("Faktura", BODY, contact, notify=False)
    sim.add_conversation(tid, "<p>Mit kort er 4111 1111 1111 1111</p>", incoming=True)
    # A public agent reply with personal data: the compliance report's plain replies.
    sim.add_conversation(tid, "<p>Vi ringer på 20 12 34 56</p>", incoming=False)
    return tid


def _findings(tid: int) -> list[Finding]:
    ticket = db.session.scalars(sa.select(Ticket).where(Ticket.external_id == str(tid))).one()
    return list(db.session.scalars(sa.select(Finding).where(Finding.ticket_id == ticket.id)))


def test_restricted_ticket_is_stored_and_protected_only(ingest_app: Flask, sims: dict) -> None:
    """Writable fields are still tokenised; conversations are not read; no plain-reply scan."""
    sim, adapter, contact, subject_id = _setup(ingest_app, sims)
    restrict(subject_id, "restriction", "accuracy contested", DPO, purpose="support")
    tid = _second(sim, contact)
    result = ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    db.session.commit()

    assert result.restricted
    ticket = db.session.get(Ticket, result.ticket_id)
    assert ticket.subject_id == subject_id and ticket.purpose == "support"
    # Protection: the CRM copy shows tokens, originals are vaulted.
    assert "010190-1234" not in sim.tickets[tid]["description"]
    assert "[CPR ••••••-••34]" in sim.tickets[tid]["description"]
    findings = _findings(tid)
    assert {f.field for f in findings} == {"description"}
    assert all(f.vault_item_id and f.written_back for f in findings)
    # No further use: conversations unread, nothing added to the plain-reply report.
    assert ticket.unwritable_fields == [] and result.unwritable_fields == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlainReply)) == 0
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.ticket_ref == f"freshdesk:{tid}")
    ).one()
    assert event.action == "pseudonymise" and event.details["restricted"] is True


def test_restriction_for_another_purpose_changes_nothing(ingest_app: Flask, sims: dict) -> None:
    """A flag for 'complaint' does not stop processing a 'support' ticket."""
    sim, adapter, contact, subject_id = _setup(ingest_app, sims)
    restrict(subject_id, "restriction", "accuracy contested", DPO, purpose="complaint")
    tid = _second(sim, contact)
    result = ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    db.session.commit()
    assert not result.restricted
    fields = {f.field for f in _findings(tid)}
    assert "description" in fields and len(result.unwritable_fields) == 2
    assert fields >= set(result.unwritable_fields)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlainReply)) == 1


def test_lifting_the_restriction_catches_up(ingest_app: Flask, sims: dict) -> None:
    """A restriction of every purpose stops reading; after lifting, the next ingest reads all."""
    sim, adapter, contact, subject_id = _setup(ingest_app, sims)
    flag = restrict(subject_id, "restriction", "unlawful, keep instead of erasing", DPO)
    tid = _second(sim, contact)
    assert ingest_ticket(adapter, adapter.get_ticket(str(tid))).restricted
    db.session.commit()
    assert {f.field for f in _findings(tid)} == {"description"}
    lift(flag.id, "restriction ended", DPO)
    again = ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    db.session.commit()
    assert not again.restricted and again.written_fields == []
    assert len(again.unwritable_fields) == 2
    assert {f.field for f in _findings(tid)} == {"description", *again.unwritable_fields}
