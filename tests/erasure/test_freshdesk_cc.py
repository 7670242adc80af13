"""A person CC'd on someone else's Freshdesk ticket: the erasure finds those tickets, names
them on the certificate (the API cannot take an address off a ticket's CC), verify keeps
looking at them, and the certificate completes only once the vendor no longer holds them."""

from __future__ import annotations

import json
from datetime import timedelta

import requests
from flask import Flask

from plugin.erasure import followup
from plugin.erasure.certificate import UNKNOWN, issue
from plugin.erasure.verify import verify_erasure
from plugin.extensions import db
from plugin.models import DataSubject, OutboxJob
from plugin.retention.dispatcher import Dispatcher
from tests.erasure.conftest import person
from tests.retention.test_api import headers


def _erase(app: Flask, sim: object) -> tuple[DataSubject, list[int], int]:
    subject, _contact, _rows = person(sim, tickets=1)  # type: ignore[arg-type]
    anna = sim.add_contact("Anna Berg", "anna@example.com")  # type: ignore[attr-defined]
    cc = [
        sim.add_ticket(  # type: ignore[attr-defined]
            "Møde", "Se vedhæftet", anna, notify=False, cc_emails=["Jens Hansen <JENS@example.com>"]
        ),
        sim.add_ticket(  # type: ignore[attr-defined]
            "Videresendt", "Fwd", anna, notify=False, fwd_emails=["jens@example.com"]
        ),
    ]
    untouched = sim.add_ticket(  # type: ignore[attr-defined]
        "Andet", "Intet om Jens", anna, notify=False, cc_emails=["bo@example.com"]
    )
    client = app.test_client()
    answer = client.post(f"/api/subjects/{subject.id}/erase", headers=headers(app), json={})
    assert answer.status_code == 202
    Dispatcher(app, threads=2).run_until_idle(timeout=30)
    db.session.expire_all()
    return db.session.get(DataSubject, subject.id), cc, untouched


def _store(claims: dict, store: str) -> dict:
    return next(s for s in claims["stores"] if s["store"] == store and s.get("vendor"))


def test_cc_tickets_are_found_named_and_verified_until_they_are_gone(
    erasure_app: Flask, freshdesk: tuple
) -> None:
    sim, _ = freshdesk
    subject, cc, untouched = _erase(erasure_app, sim)

    # Freshdesk's Update a ticket takes no cc_emails: the address stays on Anna's tickets.
    refused = requests.put(
        f"{sim.url}/api/v2/tickets/{cc[0]}",
        json={"cc_emails": []},
        auth=(sim.api_key, "X"),
        timeout=5,
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "invalid_field"
    assert "jens@example.com" in json.dumps(sim.tickets[cc[0]]).lower()

    job = db.session.query(OutboxJob).filter_by(kind="erase_contact").one()
    first = issue(subject.id)["claims"]
    item = next(i for i in first["deleted"] if i["job"] == job.id)
    named = next(s for s in item["stores"] if s["store"] == "cc")
    assert sorted(named["refs"]) == sorted(str(t) for t in cc)  # not Bo's ticket
    assert str(untouched) not in named["refs"]
    row = _store(first, "cc")
    assert row["state"] == "remains" and row["objects"] == 2 and row["until"] == UNKNOWN
    assert "cc_emails" in row["reason"] and row["verify"] == "expected"
    assert first["state"] == "pending_expiry" and first["remaining_until"] == UNKNOWN
    assert "jens" not in json.dumps(first).lower()  # ticket ids only, never the address

    report = verify_erasure(subject.id)
    contact = next(i for i in report["items"] if i["object_type"] == "contact")
    assert contact["status"] == "expected" and [f["store"] for f in contact["found"]] == ["cc"]

    # Long after every date, Anna's tickets are still there: never complete.
    late = subject.erased_at + timedelta(days=40)
    assert followup.run(now=late)["complete"] == 0
    assert _store(issue(subject.id, now=late)["claims"], "cc")["state"] == "remains"

    # Anna's tickets are deleted under their own retention and leave Freshdesk: verify
    # finds nothing at the tickets it was told about, and the certificate completes.
    for tid in cc:
        del sim.tickets[tid]
    done = followup.run(now=late + timedelta(days=1))
    assert done["complete"] == 1 and done["unverified"] == 0
    final = issue(subject.id, now=late + timedelta(days=1))["claims"]
    assert final["state"] == "complete"
    cc_row = _store(final, "cc")
    assert cc_row["state"] == "destroyed" and cc_row["verify"] == "clean"


def test_a_person_on_no_other_ticket_gets_no_cc_entry(erasure_app: Flask, freshdesk: tuple) -> None:
    sim, _ = freshdesk
    subject, _contact, _rows = person(sim, tickets=1)
    other = sim.add_contact("Bo Lund", "bo@example.com")
    sim.add_ticket("Andet", "x", other, notify=False, reply_cc_emails=["anna@example.com"])
    client = erasure_app.test_client()
    client.post(f"/api/subjects/{subject.id}/erase", headers=headers(erasure_app), json={})
    Dispatcher(erasure_app, threads=2).run_until_idle(timeout=30)
    claims = issue(subject.id)["claims"]
    assert not [s for s in claims["stores"] if s["store"] == "cc"]
