"""Art. 17(3): cases kept under a legal exemption are shown before, kept through, and named
after an erasure; their contact goes only once they are gone. The preview is the scope."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import Flask

from plugin.auth.guard import Actor
from plugin.erasure import followup
from plugin.erasure.certificate import issue
from plugin.erasure.service import DEFERRED
from plugin.erasure.verify import verify_erasure
from plugin.extensions import db
from plugin.models import (
    AuditEvent,
    DataSubject,
    DataSubjectRequest,
    Finding,
    OutboxJob,
    SubjectKey,
    Ticket,
    VaultItem,
)
from plugin.models.types import utcnow
from plugin.retention.dispatcher import Dispatcher
from plugin.rights import requests
from plugin.vault import get_vault
from tests.erasure.conftest import person
from tests.retention.test_api import headers


def _complaint(sim: object, subject: DataSubject, contact: int) -> Ticket:
    """A closed complaint case (legal claims: kept 1095 days after closing) with a value."""
    add = sim.add_ticket  # type: ignore[attr-defined]
    external = add("Klage", "Refund to DK5000400440116243", contact, notify=False)
    closed = utcnow() - timedelta(days=10)
    ticket = Ticket(
        vendor="freshdesk",
        external_id=str(external),
        subject_id=subject.id,
        purpose="complaint",
        status="closed",
        closed_at=closed,
        last_activity_at=closed,
        retention_due_at=closed + timedelta(days=1095),
    )
    db.session.add(ticket)
    db.session.flush()
    item = get_vault().encrypt(
        subject.id, "DK5000400440116243", field="description", kind="iban", ticket_id=ticket.id
    )
    ticket.findings.append(
        Finding(
            subject_id=subject.id,
            field="description",
            type="iban",
            category="financial",
            start=10,
            end=28,
            score=1.0,
            detector="iban",
            vault_item_id=item.id,
            masked="[iban]",
        )
    )
    db.session.commit()
    return ticket


def test_preview_shows_the_scope_and_what_is_kept_and_changes_nothing(
    erasure_app: Flask, freshdesk: tuple
) -> None:
    sim, log = freshdesk
    subject, contact, (support,) = person(sim, tickets=1)
    kept = _complaint(sim, subject, contact)
    client = erasure_app.test_client()
    url = f"/api/subjects/{subject.id}/erasure/preview"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=headers(erasure_app, "team_lead")).status_code == 403
    missing = client.get(f"/api/subjects/{'0' * 36}/erasure/preview", headers=headers(erasure_app))
    assert missing.status_code == 404
    before = log.counts.copy()
    body = client.get(url, headers=headers(erasure_app)).get_json()
    assert body["people"] == [subject.id]
    assert body["tickets"] == [
        {"vendor": "freshdesk", "ticket_ref": support.external_id, "purpose": "support"}
    ]
    # The contact holds the kept case (Freshdesk's hard delete would take it along).
    assert body["contacts"]["freshdesk"]["ids"] == [str(contact)]
    assert body["contacts"]["freshdesk"]["erase_after"] == (
        (kept.retention_due_at + timedelta(days=2)).date().isoformat()
    )
    (row,) = body["kept"]
    assert row["ticket_ref"] == kept.external_id and row["purpose"] == "complaint"
    assert row["until"] == kept.retention_due_at.date().isoformat()
    assert row["legal_basis"]["article"] == "Art. 17(3)(e)"
    assert "forældelsesloven" in row["legal_basis"]["da"].lower()
    assert "Limitation Act" in row["legal_basis"]["en"]
    assert body["datavagt"]["vault_items"] == 5 and body["datavagt"]["vault_items_kept"] == 1
    # 3 sealed identifiers (e-mail, phone, contact id) + 2 values; only the case value stays.
    # A preview changes nothing and deletes nothing at the vendor.
    db.session.expire_all()
    assert db.session.get(DataSubject, subject.id).erased_at is None
    assert db.session.query(OutboxJob).count() == 0
    assert not [k for k, n in log.counts.items() if k[0] == "DELETE" and n > before.get(k, 0)]
    assert "DK5000" not in json.dumps(body) and "jens" not in json.dumps(body).lower()


def test_kept_cases_survive_the_erasure_and_the_answer_says_why_and_until(
    erasure_app: Flask, freshdesk: tuple
) -> None:
    sim, _ = freshdesk
    subject, contact, (support,) = person(sim, tickets=1)
    kept = _complaint(sim, subject, contact)
    asked = requests.create("erasure", Actor.system("test"), subject_id=subject.id)
    client = erasure_app.test_client()
    auth = headers(erasure_app)
    status = client.post(f"/api/subjects/{subject.id}/erase", headers=auth, json={}).get_json()
    assert status["jobs"]["pending"] == 1 and status["jobs"][DEFERRED] == 1
    Dispatcher(erasure_app, threads=2).run_until_idle(timeout=30)

    # The support case went; the complaint case and the contact holding it stay at Freshdesk.
    assert sim.tickets[int(support.external_id)]["deleted"]
    assert not sim.tickets[int(kept.external_id)]["deleted"]
    assert contact in sim.contacts
    db.session.expire_all()
    assert db.session.get(Ticket, kept.id).deleted_at is None
    # Its value stays readable (re-sealed under a fresh key); the support value is shredded.
    (finding,) = db.session.query(Finding).all()
    assert finding.ticket_id == kept.id
    sealed = db.session.get(VaultItem, finding.vault_item_id)
    assert get_vault().decrypt(sealed) == "DK5000400440116243"
    keys = db.session.query(SubjectKey).filter_by(subject_id=subject.id).all()
    assert sum(k.wrapped_key is None for k in keys) == 1 and len(keys) == 2

    erase = db.session.query(AuditEvent).filter_by(action="erase", actor_id="dpo-1").one()
    assert erase.details["kept"] == [
        {
            "vendor": "freshdesk",
            "ticket_ref": kept.external_id,
            "ground": "legal_claims",
            "until": kept.retention_due_at.date().isoformat(),
        }
    ]
    answer = db.session.get(DataSubjectRequest, asked.id).resolution
    until = kept.retention_due_at.date().isoformat()
    assert "Vi har slettet" in answer and "We have erased" in answer
    assert until in answer and "17(3)(e)" in answer and "17, stk. 3, litra e" in answer

    claims = issue(subject.id)["claims"]
    stores = {(s["store"], s.get("vendor")): s for s in claims["stores"]}
    case = stores[("kept_cases", "freshdesk")]
    assert case["state"] == "kept" and case["until"] == until
    assert case["legal_basis"]["ground"] == "legal_claims"
    assert stores[("contact", "freshdesk")]["state"] == "kept"
    assert stores[("vault", None)]["state"] in ("destroyed", "kept")
    assert any(s["store"] == "vault" and s["state"] == "kept" for s in claims["stores"])
    # Verify does not take the deferred contact, still at Freshdesk by design, for a leftover.
    assert claims["verification"]["ok"] is True
    assert claims["remaining_until"] != "unknown"
    checked = verify_erasure(subject.id)
    assert {i["status"] for i in checked["items"] if i["object_type"] == "contact"} == {"kept"}


def test_contact_and_key_go_once_the_kept_case_is_deleted(
    erasure_app: Flask, freshdesk: tuple
) -> None:
    sim, _ = freshdesk
    subject, contact, _ = person(sim, tickets=1)
    kept = _complaint(sim, subject, contact)
    erasure_app.test_client().post(
        f"/api/subjects/{subject.id}/erase", headers=headers(erasure_app), json={}
    )
    Dispatcher(erasure_app, threads=2).run_until_idle(timeout=30)
    due = kept.retention_due_at
    # The day the contact job is due, the case is still there (the sweep ran late): wait.
    late = due + timedelta(days=3)
    assert followup.run(now=late)["postponed"] == 1
    job = db.session.query(OutboxJob).filter_by(status=DEFERRED).one()
    assert job.next_attempt_at > late
    # Retention deletes the case; the next pass releases the contact and shreds the key.
    db.session.get(Ticket, kept.id).deleted_at = late
    db.session.commit()
    result = followup.run(now=job.next_attempt_at)
    assert result["released"] == 1 and result["keys_shredded"] == 1
    Dispatcher(erasure_app, threads=1).run_until_idle(timeout=30)
    assert contact not in sim.contacts
    db.session.expire_all()
    assert db.session.query(OutboxJob).filter_by(status="done").count() == 2
    live = db.session.query(SubjectKey).filter(SubjectKey.wrapped_key.is_not(None)).count()
    assert live == 0


def test_legal_obligation_purposes_are_kept_under_17_3_b(erasure_app: Flask) -> None:
    from plugin.erasure.scope import exemption  # noqa: PLC0415

    purposes = erasure_app.extensions["datavagt.manifest"].purposes
    assert exemption("support") is None and exemption("warranty") is None
    assert exemption(None) is None and exemption("no-such-purpose") is None
    # A bookkeeping purpose (legal obligation) without an explicit exemption: Art. 17(3)(b).
    purposes["warranty"]["legal_basis"] = "legal_obligation"
    basis = exemption("warranty")
    assert basis is not None and basis["ground"] == "legal_obligation"
    assert basis["article"] == "Art. 17(3)(b)" and "litra b" in basis["da"]


def test_manifest_rejects_an_unknown_exemption_ground() -> None:
    from marshmallow import ValidationError  # noqa: PLC0415

    from plugin.manifest import ErasureExemptionSchema  # noqa: PLC0415

    with pytest.raises(ValidationError):
        ErasureExemptionSchema().load({"ground": "we_want_to"})
    with pytest.raises(ValidationError):
        ErasureExemptionSchema().load({"ground": "legal_claims", "law": {"de": "x"}})


def test_preview_flags_a_legal_hold(erasure_app: Flask, freshdesk: tuple) -> None:
    sim, _ = freshdesk
    subject, _contact, (ticket,) = person(sim, tickets=1)
    ticket.legal_hold = True
    db.session.commit()
    body = (
        erasure_app.test_client()
        .get(f"/api/subjects/{subject.id}/erasure/preview", headers=headers(erasure_app))
        .get_json()
    )
    assert body["legal_hold"] is True
