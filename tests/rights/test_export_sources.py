"""The export reads consents, the access log and the inventory through their own modules."""

from __future__ import annotations

import json

from flask import Flask

from plugin import audit
from plugin.audit.queries import accessed_by
from plugin.auth.guard import Actor
from plugin.consent.service import give, history, withdraw
from plugin.consent.texts import publish_text
from plugin.extensions import db
from plugin.inventory import inventory_for_ticket
from plugin.models import DataSubject, Ticket
from plugin.rights.export import build
from tests.rights.seeding import CPR, EMAIL, Person, add_finding

DPO = Actor(id="dpo-anne", role="dpo", source="api")


def test_consents_are_the_consent_history(vendor_app: Flask, person: Person) -> None:
    text = publish_text("marketing", "da", "Ja tak til nyhedsbreve.", DPO)
    consent = give(
        person.subject_id, "marketing", text.id, channel="portal", actor=DPO, evidence={"form": "x"}
    )
    withdraw(consent.id, channel="portal", actor=DPO)
    doc = build(person.subject_id)
    assert doc["consents"] == history(person.subject_id)
    (row,) = doc["consents"]
    assert row["text"]["text"] == "Ja tak til nyhedsbreve." and row["active"] is False
    assert row["withdrawn_channel"] == "portal"


def test_accessed_by_is_the_audit_query(vendor_app: Flask, person: Person) -> None:
    agent = Actor(id="agent-7", role="team_lead", vendor="hubspot", vendor_user="u-7")
    audit.record(audit.actions.REVEAL, actor=agent, subject_id=person.subject_id, field="content")
    db.session.commit()
    doc = build(person.subject_id)
    (event,) = accessed_by(person.subject_id)
    # The audit query's rows, by role: no employee id, vendor user id or internal reason.
    assert doc["accessed_by"] == [
        {k: event[k] for k in ("role", "action", "at", "field")} | {"by": "employee"}
    ]
    assert "agent-7" not in json.dumps(doc) and "u-7" not in json.dumps(doc)


def test_merged_subjects_access_and_consents_are_included(
    vendor_app: Flask, person: Person
) -> None:
    other = DataSubject(merged_into_id=person.subject_id)
    db.session.add(other)
    db.session.flush()
    audit.record(audit.actions.VIEW, actor=DPO, subject_id=other.id)
    db.session.commit()
    doc = build(person.subject_id)
    assert [a["action"] for a in doc["accessed_by"]] == ["view"]


def test_tickets_carry_the_inventory(vendor_app: Flask, person: Person) -> None:
    doc = build(person.subject_id)
    for exported in doc["tickets"]:
        ticket = db.session.scalars(
            db.select(Ticket).where(Ticket.external_id == exported["external_id"])
        ).one()
        inventory = inventory_for_ticket(ticket)
        for key in ("purpose_name", "legal_basis", "categories", "types", "retention"):
            assert exported[key] == inventory[key]
        assert [f["id"] for f in exported["findings"]] == [f["id"] for f in inventory["findings"]]
        assert {f["value"] for f in exported["findings"]} == {CPR, EMAIL}
    assert doc["categories"] == {"contact": 5, "identity": 3}


def test_someone_elses_ticket_shows_only_the_persons_data(
    vendor_app: Flask, person: Person
) -> None:
    requester = DataSubject()
    db.session.add(requester)
    db.session.flush()
    ticket = Ticket(vendor="freshdesk", external_id="9001", subject_id=requester.id)
    db.session.add(ticket)
    db.session.flush()
    add_finding(ticket, person.subject_id, "email", "contact", EMAIL, "description", EMAIL)
    add_finding(
        ticket, requester.id, "cpr", "identity", "010203-4567", "description", "010203-4567"
    )
    db.session.commit()
    doc = build(person.subject_id)
    (theirs,) = [t for t in doc["tickets"] if t["external_id"] == "9001"]
    assert [f["type"] for f in theirs["findings"]] == ["email"]
    assert theirs["categories"] == ["contact"] and theirs["types"] == ["email"]
    text = json.dumps(doc)
    assert requester.id not in text and "010203-4567" not in text


def test_accessed_by_names_the_scheduler_and_the_person_not_as_employees(
    vendor_app: Flask, person: Person
) -> None:
    job = Actor(id="scheduler", role="admin", source="job")
    audit.record(audit.actions.RETENTION_DELETE, actor=job, subject_id=person.subject_id)
    you = Actor(id=f"subject:{person.subject_id}", role=None, source="portal")
    audit.record(audit.actions.LOGIN, actor=you, subject_id=person.subject_id)
    db.session.commit()
    rows = build(person.subject_id)["accessed_by"]
    assert [(a["by"], a["action"]) for a in rows] == [
        ("system", "retention_delete"),
        ("you", "login"),
    ]
