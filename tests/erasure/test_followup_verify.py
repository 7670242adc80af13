"""The follow-up job asks the vendors again (``erasure verify``) before it signs a version:
a copy still held after the date the vendor documents dropping it, or a vendor that cannot
be asked, keeps the certificate from ``complete``; each store records what verify found."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Flask

from plugin.erasure import followup
from plugin.erasure.certificate import UNKNOWN, issue
from plugin.erasure.service import erasure_status
from plugin.erasure.verify import verify_erasure
from plugin.extensions import db
from plugin.models import AuditEvent, DataSubject, Ticket
from plugin.models.types import utcnow
from plugin.retention.dispatcher import Dispatcher
from tests.erasure.conftest import person
from tests.retention.test_api import headers


def _erase_with_a_ticket_of_someone_else(app: Flask, sim: object) -> tuple[DataSubject, int]:
    """The person, plus a ticket another contact opened about them: the person's hard
    delete does not reach it, so after its delete it sits in Freshdesk's Trash."""
    subject, _contact, _rows = person(sim, tickets=1)  # type: ignore[arg-type]
    colleague = sim.add_contact("Anna Berg", "anna@example.com")  # type: ignore[attr-defined]
    other = sim.add_ticket("Om Jens", "Jens ringede", colleague, notify=False)  # type: ignore[attr-defined]
    db.session.add(
        Ticket(
            vendor="freshdesk",
            external_id=str(other),
            subject_id=subject.id,
            purpose="support",
            status="open",
            last_activity_at=utcnow(),
        )
    )
    db.session.commit()
    client = app.test_client()
    answer = client.post(f"/api/subjects/{subject.id}/erase", headers=headers(app), json={})
    assert answer.status_code == 202
    Dispatcher(app, threads=2).run_until_idle(timeout=30)
    db.session.expire_all()
    return db.session.get(DataSubject, subject.id), other


def _store(claims: dict, store: str, vendor: str = "freshdesk") -> dict:
    return next(s for s in claims["stores"] if s["store"] == store and s.get("vendor") == vendor)


def _latest_claims(subject_id: str, now: datetime) -> dict:
    return issue(subject_id, now=now)["claims"]


def _after_every_date(subject: DataSubject) -> datetime:
    """A day after the trash's 30 days and the backups' window (36 days and slack)."""
    return subject.erased_at + timedelta(days=40)


def test_trash_held_past_its_date_is_a_leftover_and_the_certificate_stays_pending(
    erasure_app: Flask, freshdesk: tuple
) -> None:
    sim, _ = freshdesk
    subject, other = _erase_with_a_ticket_of_someone_else(erasure_app, sim)
    assert sim.tickets[other]["deleted"] is True  # in Trash, restorable

    # Before the date the vendor drops it, the trash copy is expected, with that date.
    now = verify_erasure(subject.id)
    item = next(i for i in now["items"] if i["object_ref"] == str(other))
    assert item["status"] == "expected" and item["found"][0]["store"] == "trash"
    drop = date.fromisoformat(item["found"][0]["until"])
    assert drop == date.today() + timedelta(days=30)
    first = issue(subject.id)["claims"]
    assert first["verification"]["ok"] is True
    trash = _store(first, "trash")
    assert trash["verify"] == "expected" and trash["until"] == drop.isoformat()
    assert _store(first, "record")["verify"] == "clean"

    # Freshdesk has not purged its Trash when the date has passed: a leftover, not expected.
    late = _after_every_date(subject)
    report = verify_erasure(subject.id, today=late.date())
    item = next(i for i in report["items"] if i["object_ref"] == str(other))
    assert item["status"] == "unexpected" and item["found"][0]["expected"] is False
    assert not report["ok"]

    result = followup.run(now=late)
    assert result["issued"] == 1 and result["complete"] == 0 and result["unverified"] == 1
    claims = _latest_claims(subject.id, late)
    assert claims["state"] == "pending_expiry" and claims["remaining_until"] == UNKNOWN
    assert claims["verification"]["ok"] is False and claims["verification"]["unexpected"] == 1
    trash = _store(claims, "trash")
    assert trash["state"] == "remains" and trash["verify"] == "unexpected"
    assert trash["until"] == UNKNOWN and trash["vendor_until"] == drop.isoformat()
    assert erasure_status(subject.id, late)["state"] == "pending_expiry"
    signed = db.session.query(AuditEvent).filter(AuditEvent.subject_id == subject.id).all()
    assert any((e.details or {}).get("verified") is False for e in signed)
    # Looked at again the next day, still held: no new version, still not complete.
    again = followup.run(now=late + timedelta(days=1))
    assert again["complete"] == 0 and again["unverified"] == 1

    # Once the vendor's clean-up has run, the next pass verifies clean and completes.
    assert sim.purge_trash(now=late) == [other]
    done = followup.run(now=late + timedelta(days=2))
    assert done["issued"] == 1 and done["complete"] == 1 and done["unverified"] == 0
    final = _latest_claims(subject.id, late + timedelta(days=2))
    assert final["state"] == "complete" and final["verification"]["ok"] is True
    assert _store(final, "trash")["verify"] == "clean"
    assert _store(final, "trash")["state"] == "destroyed"
    assert erasure_status(subject.id, late + timedelta(days=2))["state"] == "complete"


def test_an_unreachable_vendor_keeps_the_certificate_from_complete(
    erasure_app: Flask, freshdesk: tuple
) -> None:
    sim, _ = freshdesk
    subject, other = _erase_with_a_ticket_of_someone_else(erasure_app, sim)
    sim.purge_trash(now=_after_every_date(subject))  # nothing is left at the vendor
    late = _after_every_date(subject)
    sim.configure(fail_next=1000, fail_status=403)
    result = followup.run(now=late)
    assert result["complete"] == 0 and result["unverified"] == 1
    claims = _latest_claims(subject.id, late)
    assert claims["state"] == "pending_expiry" and claims["remaining_until"] == UNKNOWN
    assert claims["verification"]["unreachable"] == ["freshdesk"]
    assert {s["verify"] for s in claims["stores"] if s.get("vendor") == "freshdesk"} == {
        "unreachable"
    }
    # The trash's date passed, but nobody could confirm it is gone: it still remains.
    assert _store(claims, "trash")["state"] == "remains"
    sim.configure(fail_next=0)
    done = followup.run(now=late + timedelta(days=1))
    assert done["complete"] == 1 and done["unverified"] == 0
