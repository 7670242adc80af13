"""Compliance report: Art. 9 data without a basis, consent-based processing after withdrawal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from plugin.auth import Actor, issue_token
from plugin.compliance import report
from plugin.consent import service
from plugin.consent.seed import seed_now
from plugin.consent.texts import current_text
from plugin.extensions import db
from plugin.models import DataSubject, Finding, Ticket
from plugin.models.types import utcnow

AGENT = Actor(id="agent-1", role="agent")
_counter = iter(range(1, 10_000))


def _subject() -> str:
    subject = DataSubject()
    db.session.add(subject)
    db.session.flush()
    return subject.id


def _ticket(subject_id: str, purpose: str, *categories: str, **extra: object) -> Ticket:
    ticket = Ticket(
        vendor="freshdesk", external_id=str(next(_counter)), subject_id=subject_id, purpose=purpose
    )
    for key, value in extra.items():
        setattr(ticket, key, value)
    db.session.add(ticket)
    db.session.flush()
    for category in categories:
        db.session.add(
            Finding(
                ticket_id=ticket.id,
                subject_id=subject_id,
                field="description",
                type="health" if category == "special" else "email",
                category=category,
                start=0,
                end=4,
                score=0.9,
                detector="test",
                masked="[health]",
            )
        )
    db.session.commit()
    return ticket


@pytest.fixture
def seeded(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """Seeded texts; a withdrawal's erasure jobs are only queued (no background dispatch
    outliving the test)."""
    app = make_app(erasure_dispatch="off")
    with app.app_context():
        seed_now(app)
        yield app


def test_special_categories_need_explicit_consent_or_declared_basis(seeded: Flask) -> None:
    bare = _subject()
    _ticket(bare, "support", "special", "special", "contact")
    consented = _subject()
    _ticket(consented, "support", "special")
    text = current_text("support", "da")
    service.give(consented, "support", text.id, channel="form", explicit=True, actor=AGENT)
    implicit = _subject()
    _ticket(implicit, "support", "special")
    service.give(implicit, "support", text.id, channel="form", explicit=False, actor=AGENT)
    _ticket(_subject(), "complaint", "special")  # Art. 9(2)(f) declared in the manifest
    _ticket(_subject(), "support", "contact")  # no special data at all
    _ticket(_subject(), "support", "special", deleted_at=utcnow())  # gone from the vendor

    check = report()["special_without_basis"]
    assert check["total"] == 2 and check["by_purpose"] == {"support": 2}
    assert {t["subject_id"] for t in check["tickets"]} == {bare, implicit}
    assert next(t for t in check["tickets"] if t["subject_id"] == bare)["findings"] == 2

    # The shipped wording promises erasure on withdrawal (issue 19): the health data goes
    # with the consent, so nothing is left without a basis.
    withdrawn = service.active(consented, "support")
    service.withdraw(withdrawn.id, channel="portal", actor=AGENT)
    assert report()["special_without_basis"]["total"] == 2
    # A wording that promises only to stop leaves the data, which now lacks a basis.
    stop = service.publish_text("support", "da", "Samtykke uden sletning.", AGENT, "stop")
    kept = _subject()
    _ticket(kept, "support", "special")
    consent = service.give(kept, "support", stop.id, channel="form", explicit=True, actor=AGENT)
    assert report()["special_without_basis"]["total"] == 2
    service.withdraw(consent.id, channel="portal", actor=AGENT)
    assert report()["special_without_basis"]["total"] == 3


def test_processing_after_withdrawal(seeded: Flask) -> None:
    text = current_text("marketing", "en")
    now = utcnow()

    def withdrawn_subject(days_ago: int) -> str:
        subject = _subject()
        consent = service.give(subject, "marketing", text.id, channel="form", actor=AGENT)
        service.withdraw(consent.id, channel="email", actor=AGENT)
        consent.withdrawn_at = now - timedelta(days=days_ago)
        db.session.commit()
        return subject

    recent = withdrawn_subject(1)
    _ticket(recent, "marketing", ingested_at=now - timedelta(days=5))  # within 30 days: fine
    active_again = withdrawn_subject(1)
    service.give(active_again, "marketing", text.id, channel="portal", actor=AGENT)
    _ticket(active_again, "marketing", last_activity_at=now)
    touched = withdrawn_subject(2)
    _ticket(touched, "marketing", ingested_at=now - timedelta(days=9), last_activity_at=now)
    stale = withdrawn_subject(45)
    _ticket(stale, "marketing", ingested_at=now - timedelta(days=60))
    _ticket(withdrawn_subject(45), "marketing", deleted_at=now)  # deleted in time
    _ticket(withdrawn_subject(45), "support")  # contract basis: withdrawal changes nothing

    check = report()["processing_after_withdrawal"]
    assert check["total"] == 2 and check["by_purpose"] == {"marketing": 2}
    reasons = {t["subject_id"]: t["reasons"] for t in check["tickets"]}
    assert reasons == {
        touched: ["activity_after_withdrawal"],
        stale: ["kept_past_retention"],
    }


def _bearer(app: Flask, role: str) -> dict[str, str]:
    token = issue_token(app.extensions["datavagt.keyring"], agent="someone", role=role)
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    ("role", "query", "status"),
    [
        (None, "", 401),
        ("agent", "", 403),
        ("team_lead", "", 403),
        ("dpo", "", 200),
        ("admin", "?limit=5", 200),
        ("dpo", "?limit=0", 422),
        ("dpo", "?limit=abc", 422),
        ("dpo", "?verbose=1", 422),
    ],
)
def test_route(app: Flask, client: FlaskClient, role: str | None, query: str, status: int) -> None:
    headers = _bearer(app, role) if role else {}
    response = client.get(f"/api/compliance{query}", headers=headers)
    assert response.status_code == status
    body = response.get_json()
    if status == 200:
        assert set(body) == {
            "generated_at",
            "special_without_basis",
            "processing_after_withdrawal",
            "plain_email_replies",
        }
    else:
        assert "error" in body


def test_bad_bearer(client: FlaskClient) -> None:
    response = client.get("/api/compliance", headers={"Authorization": "Bearer not.a.token"})
    assert response.status_code == 401
