"""A split moves the tickets of the moved vendor contacts, their findings and vault values."""

from __future__ import annotations

from flask import Flask

from plugin.extensions import db
from plugin.models import DataSubject, Finding, SubjectIdentifier, Ticket, VaultItem
from plugin.subjects import find_or_create_subject
from plugin.vault import get_vault
from plugin.vendors.contract import VendorContact
from tests.agents.helpers import bearer, events
from tests.rights.seeding import CPR, EMAIL, Person, Sims, add_finding

TICKET_GET = ("GET", "/api/v2/tickets/{id}")


def _split(app: Flask, subject_id: str, identifier_ids: list[int]):  # noqa: ANN202
    return app.test_client().post(
        f"/api/subjects/{subject_id}/split",
        json={"identifier_ids": identifier_ids, "reason": "two people behind one record"},
        headers=bearer(app, "dpo"),
    )


def _vendor_contact(subject_id: str, vendor: str) -> list[SubjectIdentifier]:
    return list(
        db.session.scalars(
            db.select(SubjectIdentifier)
            .where(
                SubjectIdentifier.subject_id == subject_id,
                SubjectIdentifier.kind == "vendor_contact",
                SubjectIdentifier.vendor == vendor,
            )
            .order_by(SubjectIdentifier.id)
        )
    )


def _value(finding: Finding) -> str:
    return get_vault().decrypt(db.session.get(VaultItem, finding.vault_item_id))


def test_tickets_follow_the_moved_contact(vendor_app: Flask, person: Person, sims: Sims) -> None:
    (fd_contact,) = _vendor_contact(person.subject_id, "freshdesk")
    reads = sims.freshdesk.count(*TICKET_GET)  # seeding read the ticket once
    response = _split(vendor_app, person.subject_id, [fd_contact.id])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    (fresh,) = body["detached"]
    assert body["moved_tickets"] == [f"freshdesk:{person.tickets['freshdesk']}"]
    db.session.expire_all()
    owners = {t.vendor: t.subject_id for t in db.session.scalars(db.select(Ticket))}
    assert owners == {
        "freshdesk": fresh,
        "hubspot": person.subject_id,
        "dynamics": person.subject_id,
    }
    moved = [db.session.get(Finding, i) for i in person.findings["freshdesk"].values()]
    stayed = [db.session.get(Finding, i) for i in person.findings["hubspot"].values()]
    assert {f.subject_id for f in moved} == {fresh}
    assert {f.subject_id for f in stayed} == {person.subject_id}
    assert {db.session.get(VaultItem, f.vault_item_id).subject_id for f in moved} == {fresh}
    # Re-encrypted under the new subject's key: shredding the old subject leaves them readable.
    get_vault().shred(person.subject_id)
    db.session.commit()
    assert sorted(_value(f) for f in moved) == sorted([CPR, EMAIL])
    assert sims.freshdesk.count(*TICKET_GET) == reads  # unambiguous: no vendor call needed
    (event,) = events("subject_split")
    assert event.details["tickets"] == body["moved_tickets"]


def test_moving_the_email_moves_no_ticket(vendor_app: Flask, person: Person) -> None:
    email = db.session.scalars(
        db.select(SubjectIdentifier).where(SubjectIdentifier.kind == "email")
    ).one()
    response = _split(vendor_app, person.subject_id, [email.id])
    assert response.status_code == 200 and response.get_json()["moved_tickets"] == []
    db.session.expire_all()
    assert {t.subject_id for t in db.session.scalars(db.select(Ticket))} == {person.subject_id}


def _shared_mailbox(sims: Sims) -> tuple[str, dict[str, int]]:
    """Two Freshdesk contacts sharing one e-mail ended up as one subject; one ticket each."""
    contacts, tickets = {}, {}
    subject = None
    for name in ("Jens Holm", "Hanne Holm"):
        cid = sims.freshdesk.add_contact(name, "holm@example.dk")
        tid = sims.freshdesk.add_ticket("Hej", f"CPR {CPR}", cid, notify=False)
        subject = find_or_create_subject(
            "freshdesk", VendorContact(str(cid), email="holm@example.dk")
        )
        ticket = Ticket(
            vendor="freshdesk", external_id=str(tid), subject_id=subject.id, purpose="support"
        )
        db.session.add(ticket)
        db.session.flush()
        add_finding(ticket, subject.id, "cpr", "identity", CPR, "description", f"CPR {CPR}")
        contacts[name], tickets[name] = cid, tid
    db.session.commit()
    assert subject is not None
    return subject.id, tickets


def test_the_vendor_says_whose_ticket_it_is(vendor_app: Flask, sims: Sims) -> None:
    subject_id, tickets = _shared_mailbox(sims)
    jens, hanne = _vendor_contact(subject_id, "freshdesk")
    response = _split(vendor_app, subject_id, [hanne.id])
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["moved_tickets"] == [f"freshdesk:{tickets['Hanne Holm']}"]
    assert sims.freshdesk.count(*TICKET_GET) == 2  # both tickets' requesters were read
    db.session.expire_all()
    (fresh,) = response.get_json()["detached"]
    owner = {t.external_id: t.subject_id for t in db.session.scalars(db.select(Ticket))}
    assert owner == {str(tickets["Jens Holm"]): subject_id, str(tickets["Hanne Holm"]): fresh}


def test_vendor_down_is_502_and_nothing_moves(vendor_app: Flask, sims: Sims) -> None:
    subject_id, _ = _shared_mailbox(sims)
    _, hanne = _vendor_contact(subject_id, "freshdesk")
    sims.freshdesk.configure(fail_next=1, fail_status=403)  # refused: not retried
    response = _split(vendor_app, subject_id, [hanne.id])
    assert response.status_code == 502
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(DataSubject)) == 1
    assert {t.subject_id for t in db.session.scalars(db.select(Ticket))} == {subject_id}
    assert db.session.get(SubjectIdentifier, hanne.id).subject_id == subject_id
    assert events("subject_split") == []
