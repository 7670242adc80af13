"""After a completed erasure, no simulator store holds a value of the person, except copies
the certificate names as remaining with the date the vendor drops them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from plugin.extensions import db
from plugin.models import Ticket
from plugin.retention.dispatcher import Dispatcher
from tests.retention.test_api import headers
from tests.rights.conftest import person, sims, vendor_app
from tests.rights.seeding import CPR, EMAIL, PHONE, Person, Sims

__all__ = ["person", "sims", "vendor_app"]
IBAN = "DK5000400440116243"
VALUES = (CPR, EMAIL, PHONE, IBAN, "Holm")


def _erase(app: Flask, person: Person) -> list[dict[str, Any]]:
    client = app.test_client()
    auth = headers(app)
    answer = client.post(f"/api/subjects/{person.subject_id}/erase", headers=auth, json={})
    assert answer.status_code == 202
    Dispatcher(app, threads=3).run_until_idle(timeout=60)
    body = client.get(f"/api/subjects/{person.subject_id}/erasure-certificate", headers=auth)
    assert body.status_code == 200
    return body.get_json()["claims"]["deleted"]


def _remaining(items: list[dict[str, Any]], vendor: str) -> list[dict[str, str]]:
    stores = [s for i in items if i["vendor"] == vendor for s in i.get("stores", [])]
    left = [s for s in stores if s["state"] == "remains"]
    assert all(s["until"] for s in left), "a remaining copy without the date it goes"
    return left


def _leftovers(state: dict[str, Any]) -> list[str]:
    held = json.dumps(state, ensure_ascii=False)
    return [value for value in VALUES if value in held]


def test_freshdesk_keeps_none_of_the_person_in_any_store(
    vendor_app: Flask, sims: Sims, person: Person
) -> None:
    fd = sims.freshdesk
    live = int(person.tickets["freshdesk"])
    contact = fd.tickets[live]["requester_id"]
    reply = fd.add_conversation(live, f"<div>Kontoen er {IBAN}, ring {PHONE}</div>")
    fd.add_conversation(live, f"CPR {CPR} bekræftet", private=True)
    fd.add_attachment(live, "loenseddel.pdf", f"CPR {CPR}".encode(), conversation_id=reply)
    archived = fd.add_ticket("Gammel sag", f"IBAN {IBAN}", contact, status=5, notify=False)
    fd.add_conversation(archived, f"Svar til {EMAIL}")
    fd.archive_ticket(archived)
    db.session.add(
        Ticket(
            vendor="freshdesk",
            external_id=str(archived),
            subject_id=person.subject_id,
            purpose="support",
        )
    )
    db.session.commit()
    assert _leftovers(fd.snapshot())

    items = _erase(vendor_app, person)

    assert _leftovers(fd.snapshot()) == []
    archive = next(i for i in items if i["object_ref"] == str(archived))
    assert archive["result"] == "done"  # deleted through the archive, not "already absent"
    assert ("archive", "destroyed") in {(s["store"], s["state"]) for s in archive["stores"]}
    # Trash is named with its date (the contact's hard delete took it sooner here).
    assert {s["store"] for s in _remaining(items, "freshdesk")} <= {"trash"}


def test_dynamics_keeps_none_of_the_person_in_any_store(
    vendor_app: Flask, sims: Sims, person: Person
) -> None:
    dy = sims.dynamics
    case = person.tickets["dynamics"]
    contact = dy.incidents[case]["_customerid_value"]
    dy.add_email(case, f"<p>Kontoen er {IBAN}</p>")
    dy.add_note(case, f"CPR {CPR}", filename="id.pdf", documentbody="Q1BSIDA1MDQ4Mi0xMjM0")
    dy.add_note(contact, f"Ring {PHONE}")
    # Seeding rewrote the case with tokens: the audit history holds the original text.
    assert CPR in json.dumps(dy.audits)

    items = _erase(vendor_app, person)

    assert _leftovers(dy.snapshot()) == []
    assert _remaining(items, "dynamics") == []
    stores = {s["store"] for i in items if i["vendor"] == "dynamics" for s in i.get("stores", [])}
    assert "audit" in stores


def test_hubspot_keeps_the_person_only_where_the_certificate_says_until_then(
    vendor_app: Flask, sims: Sims, person: Person
) -> None:
    hs = sims.hubspot
    ticket = person.tickets["hubspot"]
    contact = hs.links[ticket][0]
    payslip = hs.add_file("loenseddel.pdf", f"CPR {CPR}".encode())
    hs.add_email(
        ticket, html=f"<p>{IBAN}</p>", hs_email_from_email=EMAIL, hs_attachment_ids=payslip
    )
    hs.add_note(ticket, f"CPR {CPR}")
    hs.add_thread(contact, f"Hej, ring {PHONE}")
    # Seeding pseudonymised the ticket: its property history keeps the original CPR.
    assert CPR in json.dumps(hs.tickets[ticket]["history"])

    items = _erase(vendor_app, person)

    assert hs.files == {} and hs.contacts == {}
    left = _remaining(items, "hubspot")
    assert {s["store"] for s in left} == {"recycle_bin", "conversations"}
    # Nothing of the person outside the copies named (archived, restorable records)...
    state = hs.snapshot()
    live = {
        k: [r for r in v if not r.get("archived")]
        for k, v in state.items()
        if k != "associations" and isinstance(v, list)
    }
    assert _leftovers(live) == []
    # ...and on the last date named, nothing at all.
    last = max(datetime.fromisoformat(s["until"]) for s in left).replace(tzinfo=UTC)
    hs.purge_recycle_bin(last + timedelta(days=1))
    hs.purge_threads(last + timedelta(days=1))
    assert _leftovers(hs.snapshot()) == []
