"""Art. 17 erasure: fan-out to the vendor, vault shredding, certificate, holds, input errors."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.models import AuditEvent, DataSubject, Finding, SubjectIdentifier, SubjectKey
from plugin.models.types import utcnow
from plugin.retention.dispatcher import Dispatcher
from plugin.signing.verify import VerificationError, verify_document
from tests.erasure.conftest import person
from tests.retention.test_api import headers


def test_erase_deletes_everywhere_and_certifies(erasure_app: Flask, freshdesk: tuple) -> None:
    sim, log = freshdesk
    subject, contact, tickets = person(sim)
    client = erasure_app.test_client()
    auth = headers(erasure_app)

    answer = client.post(f"/api/subjects/{subject.id}/erase", headers=auth, json={})
    assert answer.status_code == 202
    assert answer.get_json()["state"] == "in_progress"
    assert answer.get_json()["jobs"]["pending"] == 3  # two tickets and the contact
    # Datavagt's own copies are gone at once: key destroyed, findings and identifiers removed.
    assert db.session.query(SubjectKey).filter(SubjectKey.wrapped_key.is_not(None)).count() == 0
    assert db.session.query(Finding).count() == 0
    assert db.session.query(SubjectIdentifier).count() == 0
    early = client.get(f"/api/subjects/{subject.id}/erasure-certificate", headers=auth)
    assert early.status_code == 409

    Dispatcher(erasure_app, threads=2).run_until_idle(timeout=30)
    assert contact not in sim.contacts  # soft + hard delete
    assert log.counts[("DELETE", f"/api/v2/contacts/{contact}/hard_delete", 204)] == 1
    assert all(
        int(t.external_id) not in sim.tickets or sim.tickets[int(t.external_id)]["deleted"]
        for t in tickets
    )

    document = client.get(f"/api/subjects/{subject.id}/erasure-certificate", headers=auth)
    assert document.status_code == 200
    body = document.get_json()
    claims = body["claims"]
    assert {(i["object_type"], i["object_ref"]) for i in claims["deleted"]} == {
        ("contact", str(contact)),
        *{("ticket", t.external_id) for t in tickets},
    }
    assert claims["vault"]["keys_destroyed_at"]
    # Each ticket names the copy Freshdesk still keeps (Trash) and the date it drops it.
    for item in (i for i in claims["deleted"] if i["object_type"] == "ticket"):
        trash = [s for s in item["stores"] if s["store"] == "trash"]
        assert trash and trash[0]["state"] == "remains"
        assert date.fromisoformat(trash[0]["until"]) > date.today()
    text = document.get_data(as_text=True)
    assert "jens" not in text.lower() and "12345678" not in text
    assert "OK" in verify_document(body, erasure_app.extensions["datavagt.keyring"])
    forged = dict(body, claims={**claims, "subject": "someone-else"})
    with pytest.raises(VerificationError):
        verify_document(forged, erasure_app.extensions["datavagt.keyring"])
    again = client.post(f"/api/subjects/{subject.id}/erase", headers=auth, json={})
    # Jobs done, but the Trash and backups still hold copies: not "complete" yet.
    assert again.status_code == 202 and again.get_json()["state"] == "pending_expiry"
    assert claims["state"] == "pending_expiry" and claims["remaining_until"]
    erase_events = db.session.query(AuditEvent).filter_by(action="erase").count()
    assert erase_events == 5  # the request, one per vendor object, the certificate issued


def test_legal_hold_refuses_with_409(erasure_app: Flask, freshdesk: tuple) -> None:
    sim, log = freshdesk
    subject, _contact, tickets = person(sim, tickets=1)
    tickets[0].legal_hold = True
    db.session.commit()
    answer = erasure_app.test_client().post(
        f"/api/subjects/{subject.id}/erase", headers=headers(erasure_app), json={}
    )
    assert answer.status_code == 409
    assert answer.get_json()["error"]["code"] == "legal_hold"
    assert "legal hold" in answer.get_json()["error"]["message"]
    db.session.expire_all()
    assert db.session.get(DataSubject, subject.id).erased_at is None
    assert db.session.query(SubjectKey).filter(SubjectKey.wrapped_key.is_not(None)).count() == 1


def test_vendor_down_while_looking_up_the_contact_is_503(
    erasure_app: Flask, freshdesk: tuple
) -> None:
    sim, _ = freshdesk
    subject, _contact, _tickets = person(sim, tickets=1)
    db.session.query(SubjectIdentifier).filter_by(kind="vendor_contact").delete()
    db.session.commit()
    sim.configure(fail_rate=1.0, fail_status=401)
    answer = erasure_app.test_client().post(
        f"/api/subjects/{subject.id}/erase", headers=headers(erasure_app), json={}
    )
    assert answer.status_code == 503
    db.session.expire_all()
    assert db.session.get(DataSubject, subject.id).erased_at is None


def test_input_and_auth_errors(erasure_app: Flask) -> None:
    client = erasure_app.test_client()
    auth = headers(erasure_app)
    url = f"/api/subjects/{'0' * 36}/erase"
    assert client.post(url, json={}).status_code == 401
    assert client.post(url, json={}, headers=headers(erasure_app, "team_lead")).status_code == 403
    assert client.post(url, json={}, headers=auth).status_code == 404
    bad = client.post(url, data="{", headers=auth, content_type="application/json")
    assert bad.status_code == 400
    assert client.post(url, json={"reason": ""}, headers=auth).status_code == 422
    assert client.post(url, json={"nope": 1}, headers=auth).status_code == 422
    assert client.post(url, json={"reason": "x" * 2_000_000}, headers=auth).status_code == 413
    cert = f"/api/subjects/{'0' * 36}/erasure-certificate"
    assert client.get(cert).status_code == 401
    assert client.get(cert, headers=headers(erasure_app, "agent")).status_code == 403
    assert client.get(cert, headers=auth).status_code == 404


def test_no_personal_data_or_tokens_reach_the_logs(
    erasure_app: Flask, freshdesk: tuple, caplog: pytest.LogCaptureFixture
) -> None:
    sim, _ = freshdesk
    subject, _contact, _tickets = person(sim)
    caplog.set_level(logging.DEBUG)
    auth = headers(erasure_app)
    client = erasure_app.test_client()
    assert (
        client.post(f"/api/subjects/{subject.id}/erase", headers=auth, json={}).status_code == 202
    )
    sim.configure(fail_next=2, fail_status=503)  # failures are logged too
    Dispatcher(erasure_app, threads=2).run_until_idle(timeout=30)
    client.get(f"/api/subjects/{subject.id}/erasure-certificate", headers=auth)
    logged = "\n".join(r.getMessage() + " " + str(r.__dict__) for r in caplog.records)
    for secret in ("jens", "12345678", "4512345678", auth["Authorization"].split()[1]):
        assert secret.lower() not in logged.lower()


def test_ticket_deleted_meanwhile_still_completes_the_certificate(
    erasure_app: Flask, freshdesk: tuple
) -> None:
    sim, _ = freshdesk
    subject, _contact, (first, _second) = person(sim)
    client = erasure_app.test_client()
    auth = headers(erasure_app)
    assert (
        client.post(f"/api/subjects/{subject.id}/erase", headers=auth, json={}).status_code == 202
    )
    # Retention (or an agent in the CRM) deletes one ticket before the erasure job runs.
    sim.tickets[int(first.external_id)]["deleted"] = True
    first.deleted_at = utcnow()
    db.session.commit()
    Dispatcher(erasure_app, threads=2).run_until_idle(timeout=30)
    claims = client.get(f"/api/subjects/{subject.id}/erasure-certificate", headers=auth)
    assert claims.status_code == 200
    results = {d["object_ref"]: d["result"] for d in claims.get_json()["claims"]["deleted"]}
    assert results[first.external_id] == "already_absent"
    # Gone from the helpdesk, but the certificate still names the Trash copy and its date.
    item = next(
        d for d in claims.get_json()["claims"]["deleted"] if d["object_ref"] == first.external_id
    )
    assert [(s["store"], s["state"]) for s in item["stores"]] == [("trash", "remains")]
    assert item["stores"][0]["until"]
