"""Contact rules: consent withdrawn 30 days ago -> the requester is anonymised in the vendor."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import Flask

from plugin.extensions import db
from plugin.models import AuditEvent, Consent, ConsentText, DataSubject
from plugin.models.types import utcnow
from plugin.retention.dispatcher import Dispatcher
from plugin.retention.sweep import sweep
from tests.retention.conftest import seed


def _consent(subject: DataSubject, withdrawn_days_ago: int | None) -> None:
    text = db.session.query(ConsentText).filter_by(purpose="marketing").first()
    if text is None:
        wording = "Newsletter"
        text = ConsentText(
            purpose="marketing",
            language="en",
            version=1,
            text=wording,
            sha256=hashlib.sha256(wording.encode()).hexdigest(),
        )
        db.session.add(text)
        db.session.flush()
    withdrawn = utcnow() - timedelta(days=withdrawn_days_ago) if withdrawn_days_ago else None
    db.session.add(
        Consent(
            subject_id=subject.id,
            purpose="marketing",
            consent_text_id=text.id,
            channel="form",
            given_at=utcnow() - timedelta(days=400),
            withdrawn_at=withdrawn,
        )
    )
    db.session.commit()


def test_withdrawn_consent_anonymises_the_contact(retention_app: Flask, freshdesk: tuple) -> None:
    sim, _ = freshdesk
    gone, standing = DataSubject(), DataSubject()
    db.session.add_all([gone, standing])
    db.session.flush()
    _, (ticket,) = seed(sim, due=0, fresh=1, purpose="marketing", subject=gone)
    seed(sim, due=0, fresh=1, purpose="marketing", subject=standing)
    _consent(gone, withdrawn_days_ago=40)
    _consent(standing, withdrawn_days_ago=None)

    planned = sweep(dry_run=True).planned
    assert [(p.ticket_id, p.rule, p.action) for p in planned] == [
        (ticket.id, "marketing", "anonymise_contact")
    ]
    assert sweep().enqueued == 1
    Dispatcher(retention_app, threads=1).run_until_idle(timeout=30)
    contact = sim.contacts[sim.tickets[int(ticket.external_id)]["requester_id"]]
    assert contact["name"] == "Anonymised" and contact["phone"] is None
    others = [c for c in sim.contacts.values() if c is not contact]
    assert all(c["name"] == "Test Person" for c in others)
    event = db.session.query(AuditEvent).filter_by(action="retention_anonymise").one()
    assert event.details["kind"] == "anonymise_contact" and event.subject_id == gone.id
