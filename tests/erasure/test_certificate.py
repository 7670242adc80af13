"""Honest deletion certificates: per store what went and what remains until when; the state
says ``complete`` only once nothing restorable is left (checked with an injected clock)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask

from plugin.erasure import followup
from plugin.erasure.certificate import UNKNOWN, _remaining, issue, versions
from plugin.erasure.service import erasure_status
from plugin.extensions import db
from plugin.keys import Keyring
from plugin.keys.epochs import JOB_SLACK
from plugin.models import DataSubject, ErasureCertificate, OutboxJob
from plugin.retention.dispatcher import Dispatcher
from plugin.signing.jws import sign_payload
from plugin.signing.verify import VerificationError, verify_document
from tests.erasure.conftest import person
from tests.retention.test_api import headers


def _erase(app: Flask, sim: object, tickets: int = 2) -> DataSubject:
    subject, _contact, _tickets = person(sim, tickets=tickets)  # type: ignore[arg-type]
    client = app.test_client()
    assert (
        client.post(f"/api/subjects/{subject.id}/erase", headers=headers(app), json={}).status_code
        == 202
    )
    Dispatcher(app, threads=2).run_until_idle(timeout=30)
    db.session.expire_all()
    return db.session.get(DataSubject, subject.id)


def _by_store(claims: dict) -> dict[tuple[str, str | None], dict]:
    return {(s["store"], s.get("vendor")): s for s in claims["stores"]}


def test_certificate_names_every_store_what_remains_why_and_until(
    erasure_app: Flask, freshdesk: tuple
) -> None:
    sim, _ = freshdesk
    subject = _erase(erasure_app, sim)
    erased = subject.erased_at
    response = erasure_app.test_client().get(
        f"/api/subjects/{subject.id}/erasure-certificate", headers=headers(erasure_app)
    )
    assert response.status_code == 200
    claims = response.get_json()["claims"]
    stores = _by_store(claims)

    assert stores[("vault", None)]["state"] == "destroyed" and stores[("vault", None)]["at"]
    record = stores[("record", "freshdesk")]
    assert record["state"] == "destroyed" and record["objects"] == 2  # the 2 tickets
    contact = stores[("contact", "freshdesk")]  # the hard delete names its own stores
    assert contact["state"] == "destroyed" and contact["objects"] == 1
    trash = stores[("trash", "freshdesk")]
    assert trash["state"] == "remains" and trash["objects"] == 2
    assert date.fromisoformat(trash["until"]) == date.today() + timedelta(days=30)
    backups = stores[("backups", None)]
    # key_epoch_days (1) + backup_retention_days (35) + the job's slack after the erasure
    assert backups["state"] == "remains"
    assert backups["until"] == (erased + timedelta(days=36) + JOB_SLACK).date().isoformat()
    audit = stores[("audit_trail", None)]
    assert audit["state"] == "kept" and audit["objects"] >= 4
    assert audit["legal_basis"]["article"] == "Art. 17(3)(b) and (e)"
    assert "17, stk. 3" in audit["legal_basis"]["da"]
    # The manifest keeps the audit log 5 years: the newest entry goes 5 years from now.
    assert audit["until"][:4] == str(date.today().year + 5)

    assert claims["state"] == "pending_expiry"
    assert claims["remaining_until"] == backups["until"]  # the latest restorable copy
    assert erasure_status(subject.id)["state"] == "pending_expiry"
    text = json.dumps(claims).lower()
    assert "jens" not in text and "12345678" not in text


def test_follow_up_issues_the_final_certificate_once_every_date_passed(
    erasure_app: Flask, freshdesk: tuple
) -> None:
    sim, _ = freshdesk
    subject = _erase(erasure_app, sim, tickets=1)
    first = issue(subject.id)
    assert first["claims"]["version"] == 1 and first["claims"]["state"] == "pending_expiry"
    keyring = erasure_app.extensions["datavagt.keyring"]
    assert "state pending_expiry" in verify_document(first, keyring)

    trash_gone = subject.erased_at + timedelta(days=31)
    # Trash is gone after 30 days; backups still hold the key: still pending, a new version
    # with the new remaining date (the backups').
    assert followup.run(now=trash_gone)["issued"] == 1
    second = issue(subject.id, now=trash_gone)
    assert second["claims"]["version"] == 2 and second["claims"]["state"] == "pending_expiry"
    assert _by_store(second["claims"])[("trash", "freshdesk")]["state"] == "destroyed"
    # Nothing due the next day: the job issues nothing new.
    assert followup.run(now=trash_gone + timedelta(days=1))["issued"] == 0

    after = subject.erased_at + timedelta(days=36) + JOB_SLACK + timedelta(days=1)
    assert followup.run(now=after) == {
        "released": 0,
        "postponed": 0,
        "keys_shredded": 0,
        "issued": 1,
        "complete": 1,
        "waiting": 0,
        "unverified": 0,
    }
    final = issue(subject.id, now=after + timedelta(days=400))
    claims = final["claims"]
    assert claims["state"] == "complete" and claims["remaining_until"] is None
    assert claims["version"] == 3
    assert all(s["state"] != "remains" for s in claims["stores"])
    assert _by_store(claims)[("backups", None)]["state"] == "destroyed"
    assert "state complete" in verify_document(final, keyring)
    assert [v["state"] for v in versions(subject.id)] == [
        "pending_expiry",
        "pending_expiry",
        "complete",
    ]
    # The final certificate is obtainable through the API and never changes again.
    response = erasure_app.test_client().get(
        f"/api/subjects/{subject.id}/erasure-certificate", headers=headers(erasure_app)
    )
    assert response.get_json()["certificate"] == final["certificate"]
    assert followup.run(now=after + timedelta(days=2))["issued"] == 0


def test_forged_and_replayed_certificates_are_refused(
    erasure_app: Flask, freshdesk: tuple, tmp_path: Path
) -> None:
    sim, _ = freshdesk
    subject = _erase(erasure_app, sim, tickets=1)
    keyring = erasure_app.extensions["datavagt.keyring"]
    pending = issue(subject.id)
    # An auditor is shown a pending certificate whose readable claims were edited to say
    # complete: the signature covers the claims, so it fails.
    edited = dict(pending, claims={**pending["claims"], "state": "complete"})
    with pytest.raises(VerificationError):
        verify_document(edited, keyring)
    stripped = dict(pending["claims"], stores=[])
    with pytest.raises(VerificationError):
        verify_document(dict(pending, claims=stripped), keyring)
    # A token signed by another key is not ours.
    other = Keyring(tmp_path / "other.keys")
    foreign = sign_payload(other, pending["claims"], "datavagt-deletion-certificate")
    with pytest.raises(VerificationError):
        verify_document(dict(pending, certificate=foreign), keyring)
    # Replaying the stored version into the table as a "newer" row does not make it final.
    row = db.session.query(ErasureCertificate).one()
    db.session.add(
        ErasureCertificate(
            subject_id=subject.id,
            version=2,
            state="complete",
            issued_at=row.issued_at,
            token=row.token,
        )
    )
    db.session.commit()
    replayed = issue(subject.id)
    assert replayed["claims"]["state"] == "pending_expiry"  # read from the signed token


def test_unknown_or_failed_remainders_keep_the_certificate_back(
    erasure_app: Flask, freshdesk: tuple
) -> None:
    assert _remaining([{"store": "trash", "state": "remains", "until": UNKNOWN}]) == UNKNOWN
    assert _remaining([{"store": "x", "state": "kept", "until": None}]) is None
    sim, _ = freshdesk
    subject, _contact, _tickets = person(sim, tickets=1)
    client = erasure_app.test_client()
    client.post(f"/api/subjects/{subject.id}/erase", headers=headers(erasure_app), json={})
    db.session.query(OutboxJob).update({"status": "dead", "last_error": "gone wrong"})
    db.session.commit()
    answer = client.get(
        f"/api/subjects/{subject.id}/erasure-certificate", headers=headers(erasure_app)
    )
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "erasure_failed"
    assert followup.run()["waiting"] == 1
