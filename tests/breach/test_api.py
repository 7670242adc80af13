"""Breach register: live counts, 72-hour clock and reminders, drafts, alert intake, audit."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from plugin.audit import record as audit_record
from plugin.audit.actions import REVEAL
from plugin.auth.guard import Actor
from plugin.breach import service
from plugin.extensions import db
from plugin.models import Breach, DataSubject, Finding, Ticket
from plugin.models.types import utcnow
from tests.agents.helpers import bearer, events

DAY = "2026-01-01"


def _seed() -> None:
    """Two live subjects (one with health data), one erased subject that must not count."""
    for index, (categories, erased) in enumerate(
        ((["contact", "special"], False), (["contact"], False), (["special"], True))
    ):
        subject = DataSubject(erased_at=utcnow() if erased else None)
        db.session.add(subject)
        db.session.flush()
        ticket = Ticket(vendor="hubspot", external_id=str(index), subject_id=subject.id)
        db.session.add(ticket)
        db.session.flush()
        for category in categories:
            db.session.add(
                Finding(
                    ticket_id=ticket.id,
                    subject_id=subject.id,
                    field="content",
                    type="x",
                    category=category,
                    start=0,
                    end=1,
                    score=1.0,
                    detector="t",
                    masked="[X]",
                )
            )
    db.session.commit()


def test_record_with_live_counts_and_drafts(app: Flask) -> None:
    _seed()
    client = app.test_client()
    dpo = bearer(app, "dpo", agent="dpo-anne")
    created = client.post(
        "/api/breaches",
        headers=dpo,
        json={
            "title": "Lost laptop",
            "description": "An unencrypted export was on a laptop left on a train.",
            "categories": ["special"],
            "consequences": "Health data may be disclosed.",
            "measures": "Remote wipe requested.",
            "high_risk": True,
        },
    )
    assert created.status_code == 201, created.get_json()
    breach = created.get_json()
    assert breach["subjects_estimate"] == 1 and breach["records_estimate"] == 1
    assert breach["status"] == "suspected" and 71.9 <= breach["hours_left"] <= 72
    every = client.post("/api/breaches", headers=dpo, json={"title": "All"}).get_json()
    assert every["subjects_estimate"] == 2 and every["records_estimate"] == 3
    drafts = client.get(f"/api/breaches/{breach['id']}/drafts?lang=da", headers=dpo).get_json()
    authority = drafts["authority"]
    assert authority["title"].startswith("Udkast til anmeldelse")
    assert [s["heading"][:2] for s in authority["sections"]] == ["a)", "b)", "c)", "d)"]
    assert "Omkring 1 registrerede og 1 registreringer" in authority["sections"][0]["text"]
    assert "dpo@example.com" in authority["sections"][1]["text"]
    assert drafts["subjects"]["required"] is True
    assert "Remote wipe requested." in drafts["subjects"]["text"]
    en = client.get(f"/api/breaches/{every['id']}/drafts", headers=dpo).get_json()
    assert (
        en["subjects"]["required"] is False
        and "(a) Nature" in en["authority"]["sections"][0]["heading"]
    )
    assert [e.details["breach"] for e in events("breach_recorded")] == [breach["id"], every["id"]]
    assert events("breach_recorded")[0].actor_id == "dpo-anne"


def test_status_steps_are_checked_and_audited(app: Flask) -> None:
    client = app.test_client()
    dpo = bearer(app, "dpo")
    breach = client.post("/api/breaches", headers=dpo, json={"title": "x"}).get_json()
    url = f"/api/breaches/{breach['id']}"
    assert client.patch(url, headers=dpo, json={"status": "notified"}).status_code == 409
    assert client.patch(url, headers=dpo, json={"status": "confirmed"}).status_code == 200
    notified = client.patch(url, headers=dpo, json={"status": "notified"}).get_json()
    assert notified["notified_at"] and notified["overdue"] is False
    listed = client.get("/api/breaches?status=notified", headers=dpo).get_json()
    assert [b["id"] for b in listed] == [breach["id"]]
    assert [e.details["status"] for e in events("breach_updated")] == ["confirmed", "notified"]


def test_reminders_once_per_mark(app: Flask) -> None:
    actor = Actor(id="dpo-anne", role="dpo")
    breach = service.record({"title": "x", "detected_at": utcnow() - timedelta(hours=30)}, actor)
    db.session.commit()
    sent = service.due_reminders()
    assert [mark for _, mark in sent] == ["48h"]
    assert service.due_reminders() == []  # not again
    later = utcnow() + timedelta(hours=43)
    assert [mark for _, mark in service.due_reminders(later)] == ["24h", "6h", "overdue"]
    db.session.commit()
    assert db.session.get(Breach, breach.id).reminders == ["48h", "24h", "6h", "overdue"]
    assert [e.details["mark"] for e in events("breach_reminder")] == ["48h", "24h", "6h", "overdue"]


def test_watch_jobs_open_one_incident_per_burst(app: Flask) -> None:
    """alert_watch opens the suspected incident (tests/alerts); breach_watch only reminds."""
    from plugin.alerts.service import watch_job as alert_watch

    lead = Actor(id="lead-1", role="team_lead")
    for _ in range(50):
        audit_record(REVEAL, actor=lead, field="email", reason="check")
    db.session.commit()
    service.watch_job(app)
    assert db.session.query(Breach).count() == 0
    alert_watch(app)
    alert_watch(app)  # the same burst again: no second incident
    service.watch_job(app)
    db.session.expire_all()
    [breach] = db.session.query(Breach).all()
    assert breach.source == "alert:bulk_reveal:lead-1" and breach.status == "suspected"
    assert "revealed 50 values within 1 minute" in breach.title
    assert events("breach_reminder") == []


def test_auth_and_bad_input(app: Flask) -> None:
    client = app.test_client()
    dpo = bearer(app, "dpo")
    for method, url in (
        ("POST", "/api/breaches"),
        ("GET", "/api/breaches"),
        ("GET", "/api/breaches/x"),
        ("PATCH", "/api/breaches/x"),
        ("GET", "/api/breaches/x/drafts"),
    ):
        assert client.open(url, method=method, json={}).status_code == 401
        assert (
            client.open(url, method=method, json={}, headers=bearer(app, "team_lead")).status_code
            == 403
        )
    assert (
        client.post(
            "/api/breaches", headers=dpo, data="{", content_type="application/json"
        ).status_code
        == 400
    )
    for body in (
        {},
        {"title": ""},
        {"title": "x", "categories": ["nonsense"]},
        {"title": "x", "detected_at": "yesterday"},
        {"title": "x", "detected_at": "2026-01-01T00:00:00"},  # no time zone
        {"title": "x", "extra": 1},
        {"title": "x" * 201},
        {"title": "x", "detected_at": "2999-01-01T00:00:00+00:00"},
        {
            "title": "x",
            "detected_at": "2026-01-01T00:00:00+00:00",
            "occurred_at": "2026-02-01T00:00:00+00:00",
        },
    ):
        response = client.post("/api/breaches", headers=dpo, json=body)
        assert response.status_code == 422 and response.is_json, body
    big = client.post("/api/breaches", headers=dpo, json={"title": "x", "description": "y" * 70000})
    assert big.status_code == 413
    assert client.get("/api/breaches/nope", headers=dpo).status_code == 404
    assert client.get(f"/api/breaches/{'x' * 5000}", headers=dpo).status_code == 404
    assert (
        client.patch("/api/breaches/nope", headers=dpo, json={"status": "closed"}).status_code
        == 404
    )
    assert client.get("/api/breaches?status=bogus", headers=dpo).status_code == 422
    breach = client.post("/api/breaches", headers=dpo, json={"title": "x"}).get_json()
    assert (
        client.patch(f"/api/breaches/{breach['id']}", headers=dpo, json={"status": "x"}).status_code
        == 422
    )
    assert (
        client.get(f"/api/breaches/{breach['id']}/drafts?lang=de", headers=dpo).status_code == 422
    )
    assert db.session.query(Breach).count() == 1


def test_openapi_lists_the_register(app: Flask) -> None:
    paths = set(app.test_client().get("/openapi.json").get_json()["paths"])
    expected = {"/api/breaches", "/api/breaches/{breach_id}", "/api/breaches/{breach_id}/drafts"}
    assert expected <= paths
