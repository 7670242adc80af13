"""Only the right person: contacts that share a phone number are two people.

Crash-test finding (issue 15): two vendor contacts with different e-mail addresses but one
phone number (a family, a firm's switchboard) became one subject at ingest, so erasing one
person deleted the other's tickets and contact too.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from flask import Flask

from adapters.basic_auth import basic_auth_header
from plugin.extensions import db
from plugin.ingest.processor import drain
from plugin.models import AuditEvent, Finding, SubjectIdentifier, SubjectKey, Ticket, VaultItem
from plugin.retention.dispatcher import Dispatcher
from plugin.subjects.identity import resolve_contact
from plugin.vault import get_vault
from plugin.vendors.contract import VendorContact
from simulators.freshdesk.simulator import FreshdeskSimulator
from tests.retention.test_api import headers

SHARED_PHONE = "+4540404040"


def _deliver(app: Flask, sim: FreshdeskSimulator, ticket: int) -> None:
    """The webhook a Freshdesk automation rule sends for a new ticket, then the inbox run."""
    body = json.dumps(
        {
            "freshdesk_webhook": {
                "ticket_id": str(ticket),
                "triggered_event": "{ticket_action:created}",
            }
        }
    )
    auth = basic_auth_header(sim.webhook_user, sim.webhook_password)
    answer = app.test_client().post(
        "/webhooks/freshdesk",
        data=body,
        headers={"Authorization": auth, "Content-Type": "application/json"},
    )
    assert answer.status_code == 202, answer.get_data(as_text=True)
    assert drain() == 1


def _household(app: Flask, sim: FreshdeskSimulator) -> dict[str, dict[str, Any]]:
    """Anne and Bo Holm: own e-mail addresses, one landline; two tickets each."""
    people: dict[str, dict[str, Any]] = {}
    for name, email, text in (
        ("Anne Holm", "anne.holm@example.dk", "Min CPR er 010190-1234, ring 40 40 40 40"),
        ("Bo Holm", "bo.holm@example.dk", "Konto DK5000400440116243, ring 40 40 40 40"),
    ):
        contact = sim.add_contact(name, email, SHARED_PHONE)
        tickets = [sim.add_ticket("Sag", text, contact, notify=False) for _ in range(2)]
        for ticket in tickets:
            _deliver(app, sim, ticket)
        people[name.split()[0]] = {"contact": contact, "tickets": tickets}
    db.session.expire_all()
    for person in people.values():
        rows = db.session.scalars(
            sa.select(Ticket).where(Ticket.external_id.in_([str(t) for t in person["tickets"]]))
        ).all()
        assert len(rows) == 2 and len({r.subject_id for r in rows}) == 1
        person["subject"] = rows[0].subject_id
    return people


def _holdings(subject_id: str) -> dict[str, Any]:
    """What Datavagt keeps of a subject, values decrypted (they must still open)."""
    items = db.session.scalars(sa.select(VaultItem).where(VaultItem.subject_id == subject_id))
    return {
        "tickets": sorted(
            db.session.scalars(
                sa.select(Ticket.external_id).where(
                    Ticket.subject_id == subject_id, Ticket.deleted_at.is_(None)
                )
            )
        ),
        "findings": db.session.scalar(
            sa.select(sa.func.count()).select_from(Finding).where(Finding.subject_id == subject_id)
        ),
        "identifiers": sorted(
            db.session.scalars(
                sa.select(SubjectIdentifier.kind).where(SubjectIdentifier.subject_id == subject_id)
            )
        ),
        "values": sorted(get_vault().decrypt(item) for item in items),
        "live_keys": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(SubjectKey)
            .where(SubjectKey.subject_id == subject_id, SubjectKey.wrapped_key.is_not(None))
        ),
    }


def test_a_shared_phone_number_makes_two_people_and_erasing_one_spares_the_other(
    erasure_app: Flask, freshdesk: tuple[FreshdeskSimulator, Any]
) -> None:
    sim, _log = freshdesk
    people = _household(erasure_app, sim)
    anne, bo = people["Anne"], people["Bo"]
    assert anne["subject"] != bo["subject"]
    assert db.session.query(AuditEvent).filter_by(action="subject_merge").count() == 0
    bo_before = _holdings(bo["subject"])
    assert bo_before["tickets"] == sorted(str(t) for t in bo["tickets"])
    assert "DK5000400440116243" in bo_before["values"] and bo_before["live_keys"] == 1
    bo_vendor_before = {t: dict(sim.tickets[t]) for t in bo["tickets"]}

    # Erasure shows its scope first: one person, their two tickets, their one contact.
    answer = erasure_app.test_client().post(
        f"/api/subjects/{anne['subject']}/erase", headers=headers(erasure_app), json={}
    )
    assert answer.status_code == 202, answer.get_data(as_text=True)
    assert answer.get_json()["jobs"]["pending"] == 3
    Dispatcher(erasure_app, threads=1).run_until_idle(timeout=30)

    # Anne is gone at the vendor and locally.
    assert anne["contact"] not in sim.contacts
    assert all(t not in sim.tickets or sim.tickets[t]["deleted"] for t in anne["tickets"])
    db.session.expire_all()
    assert _holdings(anne["subject"])["live_keys"] == 0
    # Bo is untouched: contact, tickets (same content) at the vendor; rows, keys and values here.
    assert sim.contacts[bo["contact"]]["phone"] == SHARED_PHONE
    assert {t: sim.tickets[t] for t in bo["tickets"]} == bo_vendor_before
    assert _holdings(bo["subject"]) == bo_before
    # The phone number still finds the person who holds it in the index, never Anne again.
    from plugin.subjects import find_subjects

    assert [s.id for s in find_subjects(phone=SHARED_PHONE)] == [bo["subject"]]


def test_only_a_strong_identifier_ties_a_new_contact_to_a_known_person(
    erasure_app: Flask,
) -> None:
    first = resolve_contact(
        "freshdesk", VendorContact(external_id="1", email="anne@example.dk", phone=SHARED_PHONE)
    )
    db.session.commit()
    assert first.matched_on is None and first.added == ("vendor_contact", "email", "phone")
    # Same phone, another e-mail and contact id: a new person.
    other = resolve_contact(
        "freshdesk", VendorContact(external_id="2", email="bo@example.dk", phone=SHARED_PHONE)
    )
    assert other.subject.id != first.subject.id and other.matched_on is None
    # Same verified e-mail at another vendor: the same person, linked on the e-mail.
    again = resolve_contact("hubspot", VendorContact(external_id="77", email="ANNE@example.dk"))
    assert again.subject.id == first.subject.id and again.matched_on == "email"
    assert again.added == ("vendor_contact",)
    # Same vendor contact id, new e-mail: the same person, linked on the contact id.
    moved = resolve_contact("freshdesk", VendorContact(external_id="1", email="a.h@example.dk"))
    assert moved.subject.id == first.subject.id and moved.matched_on == "vendor_contact"
    # A typed e-mail lands on the person who holds it (issue 19: never an orphan subject),
    # but a typed claim links nothing else (tests/subjects/test_one_subject.py).
    typed = resolve_contact(
        "form", VendorContact(external_id="", email="anne@example.dk"), verified=False
    )
    assert typed.subject.id == first.subject.id and typed.merged == ()


def test_a_strong_tie_made_at_ingest_is_audited_and_a_dpo_can_split_it(
    erasure_app: Flask, freshdesk: tuple[FreshdeskSimulator, Any]
) -> None:
    sim, _log = freshdesk
    first = sim.add_contact("Anne Holm", "anne.holm@example.dk")
    second = sim.add_contact("A. Holm (arbejde)", "anne.holm@example.dk", SHARED_PHONE)
    own = sim.add_ticket("Sag", "Ring 40 40 40 40", first, notify=False)
    work = sim.add_ticket("Sag", "Faktura", second, notify=False)
    _deliver(erasure_app, sim, own)
    _deliver(erasure_app, sim, work)
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Ticket).order_by(Ticket.id)).all()
    assert len({r.subject_id for r in rows}) == 1  # the same verified e-mail: one person
    subject_id = rows[0].subject_id
    link = db.session.query(AuditEvent).filter_by(action="subject_merge").one()
    assert link.subject_id == subject_id and link.actor_id == "system:worker"
    assert link.details == {
        "vendor": "freshdesk",
        "matched_on": "email",
        "added": sorted(["vendor_contact", "phone"]),
    }
    assert "anne" not in json.dumps(link.details).lower()

    contact_ids = db.session.scalars(
        sa.select(SubjectIdentifier.id)
        .where(SubjectIdentifier.subject_id == subject_id, SubjectIdentifier.kind != "email")
        .order_by(SubjectIdentifier.id)
    ).all()
    answer = erasure_app.test_client().post(
        f"/api/subjects/{subject_id}/split",
        headers=headers(erasure_app),
        json={"identifier_ids": contact_ids[1:], "reason": "to personer i samme husstand"},
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    db.session.expire_all()
    assert answer.get_json()["moved_tickets"] == [f"freshdesk:{work}"]
    owners = {r.external_id: r.subject_id for r in db.session.scalars(sa.select(Ticket))}
    assert owners[str(own)] == subject_id and owners[str(work)] != subject_id
    assert db.session.query(AuditEvent).filter_by(action="subject_split").count() == 1
