"""The request workflow by the law: Art. 12(3) deadlines and extension, the deadline job
(reminder, escalation, automatic closure), Art. 18(3) notice before a lift, Art. 21
objections on legitimate interests, Art. 19 notice of the recipients told."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask

from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import Alert, DataSubject, DataSubjectRequest, SecureMessage, VaultItem
from plugin.models.types import utcnow
from plugin.rights import rectify, requests, restrictions
from plugin.rights.requests import add_months
from plugin.subjects.restrictions import is_restricted
from plugin.vault import get_vault
from plugin.worker.scheduler import JOBS
from tests.agents.helpers import bearer, events
from tests.rights.seeding import Person

DPO = Actor(id="dpo-anne", role="dpo")


def bodies(subject_id: str) -> list[str]:
    """The decrypted messages sent to the person, oldest first."""
    rows = db.session.query(SecureMessage).filter_by(subject_id=subject_id, direction="out")
    vault = get_vault()
    return [
        vault.decrypt(db.session.get(VaultItem, r.vault_item_id))
        for r in rows.order_by(SecureMessage.created_at)
    ]


def _post(app: Flask, path: str, body: object, role: str = "dpo"):  # noqa: ANN202
    return app.test_client().post(path, json=body, headers=bearer(app, role, agent="dpo-anne"))


def _received_one_month_ago(today: date) -> date:
    """The receipt day whose first month ends today (the last day an extension is allowed)."""
    for back in range(27, 32):
        day = today - timedelta(days=back)
        if add_months(day, 1) == today:
            return day
    pytest.skip("no day whose month ends today (e.g. the 29th-31st after a short month)")


def test_extension_after_the_first_month_is_refused(app: Flask) -> None:
    today = utcnow().date()
    late_day = (today - timedelta(days=222)).isoformat()  # the review's case
    late = _post(app, "/api/requests", {"kind": "access", "received_on": late_day}).get_json()
    refused = _post(app, f"/api/requests/{late['id']}", {"action": "extend", "reason": "busy"})
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "extension_too_late"
    assert "within one month of receipt" in error["message"] and "Art. 12(3)" in error["message"]
    db.session.expire_all()
    row = db.session.get(DataSubjectRequest, late["id"])
    assert row.extended_on is None and row.due_on == add_months(date.fromisoformat(late_day), 1)
    # The last day of the first month is still in time; the deadline runs from receipt.
    edge = _received_one_month_ago(today)
    made = _post(app, "/api/requests", {"kind": "access", "received_on": edge.isoformat()})
    made = made.get_json()
    assert made["extendable_until"] == today.isoformat()
    ok = _post(app, f"/api/requests/{made['id']}", {"action": "extend", "months": 1, "reason": "x"})
    assert ok.status_code == 200, ok.get_data(as_text=True)
    assert ok.get_json()["due_on"] == add_months(edge, 2).isoformat()


def test_watch_reminds_escalates_once_and_audits(app: Flask) -> None:
    today = utcnow().date()
    soon = requests.create("access", DPO, received_on=today - timedelta(days=25))
    late = requests.create("rectification", DPO, received_on=today - timedelta(days=60))
    fresh = requests.create("access", DPO, received_on=today)
    result = requests.watch(today)
    db.session.commit()
    assert result["reminded"] == [soon.id] and result["escalated"] == [late.id]
    assert fresh.id not in result["reminded"] + result["escalated"]
    steps = {
        (e.details["request"], e.details.get("step"))
        for e in events("request_updated")
        if e.actor_id == "system:request_watch"
    }
    assert steps == {(soon.id, "reminded"), (late.id, "escalated")}
    alerts = {a.rule: a for a in db.session.query(Alert)}
    assert set(alerts) == {"request_due", "request_overdue"}
    again = requests.watch(today)
    db.session.commit()
    assert again == {"closed": [], "reminded": [], "escalated": []}
    assert db.session.query(Alert).count() == 2
    assert JOBS["request_watch"] == "plugin.rights.requests:watch_job"
    assert "request_watch" in app.extensions["datavagt.manifest"].data["jobs"]


def test_alert_titles_are_words(app: Flask) -> None:
    from plugin.alerts import i18n

    params = {"request": "ab12cd34", "kind": "erasure", "due": "2026-12-01"}
    assert i18n.title("request_overdue", params, "da") == (
        "Anmodning ab12cd34 (sletning) er over fristen: den skulle besvares senest 2026-12-01"
    )
    assert "(erasure) is overdue" in i18n.title("request_overdue", params, "en")


def test_requests_close_themselves_when_done(app: Flask) -> None:
    subject = DataSubject()
    db.session.add(subject)
    db.session.commit()
    erasure = requests.create("erasure", DPO, subject_id=subject.id)
    access = requests.create("access", DPO, subject_id=subject.id)
    rectification = requests.create("rectification", DPO, subject_id=subject.id)
    objection = requests.create("objection", DPO, subject_id=subject.id)
    assert requests.watch()["closed"] == []
    db.session.commit()
    client = app.test_client()
    exported = client.get(f"/api/subjects/{subject.id}/export", headers=bearer(app, "dpo"))
    assert exported.status_code == 200, exported.get_data(as_text=True)
    subject.erased_at = utcnow()
    restrictions.restrict(subject.id, "objection", "objects", DPO, purpose="service_quality")
    closed = requests.watch()
    db.session.commit()
    assert set(closed["closed"]) == {erasure.id, access.id, objection.id}
    db.session.expire_all()
    assert db.session.get(DataSubjectRequest, rectification.id).status == "received"
    done = db.session.get(DataSubjectRequest, access.id)
    assert done.status == "completed" and done.resolution == "Export delivered"
    assert done.closed_by == "system:request_watch" and done.closed_at is not None
    assert db.session.get(DataSubjectRequest, erasure.id).resolution == "Erasure carried out"
    closings = [
        e for e in events("request_updated") if e.details.get("step") == "closed_automatically"
    ]
    assert {e.details["request"] for e in closings} == {erasure.id, access.id, objection.id}


def test_objection_stops_legitimate_interest_processing_until_compelling_grounds(
    app: Flask,
) -> None:
    purposes = app.extensions["datavagt.manifest"].purposes
    assert purposes["service_quality"]["legal_basis"] == "legitimate_interests"
    subject = DataSubject()
    db.session.add(subject)
    db.session.commit()
    made = _post(
        app,
        f"/api/subjects/{subject.id}/restrictions",
        {"kind": "objection", "purpose": "service_quality", "reason": "do not call me"},
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    flag = made.get_json()
    assert is_restricted(subject.id, "service_quality") and not is_restricted(subject.id, "support")
    url = f"/api/restrictions/{flag['id']}/compelling-grounds"
    assert _post(app, url, {"grounds": "short"}).status_code == 422
    grounds = "Documented fraud investigation outweighs the objection"
    done = _post(app, url, {"grounds": grounds})
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.get_json()["compelling_grounds"] == grounds and done.get_json()["lifted_at"]
    assert not is_restricted(subject.id, "service_quality")
    assert _post(app, url, {"grounds": grounds}).status_code == 409
    (event,) = [e for e in events("object") if e.details.get("compelling_grounds")]
    assert event.reason == grounds and event.actor_id == "dpo-anne"
    restriction = restrictions.restrict(subject.id, "restriction", "accuracy", DPO, "support")
    wrong = _post(
        app, f"/api/restrictions/{restriction.id}/compelling-grounds", {"grounds": grounds}
    )
    assert wrong.status_code == 422


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b"{not json", {"Content-Type": "application/json"}, 400),
        (b'{"grounds": "' + b"x" * 1_100_000 + b'"}', {"Content-Type": "application/json"}, 413),
        (b'{"grounds": "' + b"x" * 600 + b'"}', {"Content-Type": "application/json"}, 422),
        (
            b'{"grounds": "long enough grounds", "extra": 1}',
            {"Content-Type": "application/json"},
            422,
        ),
    ],
)
def test_compelling_grounds_bad_input(app: Flask, body: bytes, headers: dict, status: int) -> None:
    subject = DataSubject()
    db.session.add(subject)
    db.session.commit()
    flag = restrictions.restrict(subject.id, "objection", "objects", DPO, "service_quality")
    client = app.test_client()
    url = f"/api/restrictions/{flag.id}/compelling-grounds"
    answer = client.post(url, data=body, headers={**headers, **bearer(app, "dpo")})
    assert answer.status_code == status
    assert answer.get_json()["error"]["message"]


def test_compelling_grounds_needs_a_dpo(app: Flask) -> None:
    subject = DataSubject()
    db.session.add(subject)
    db.session.commit()
    flag = restrictions.restrict(subject.id, "objection", "objects", DPO, "service_quality")
    client = app.test_client()
    url = f"/api/restrictions/{flag.id}/compelling-grounds"
    body = {"grounds": "Documented fraud investigation"}
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers=bearer(app, "agent")).status_code == 403
    missing = client.post(
        "/api/restrictions/99999/compelling-grounds", json=body, headers=bearer(app, "dpo")
    )
    assert missing.status_code == 404
    db.session.expire_all()
    assert is_restricted(subject.id, "service_quality")


def test_openapi_lists_compelling_grounds(app: Flask) -> None:
    spec = app.test_client().get("/openapi.json").get_json()
    assert "/api/restrictions/{restriction_id}/compelling-grounds" in spec["paths"]


def test_rectification_tells_the_person_which_recipients_were_told(
    vendor_app: Flask, person: Person
) -> None:
    result = rectify.rectify(
        person.subject_id,
        "050482-5678",
        "customer call",
        DPO,
        finding_id=person.findings["hubspot"]["cpr"],
    )
    assert result["vendor_updated"] is True
    (body,) = bodies(person.subject_id)
    assert "HubSpot Ireland Ltd. (CRM and help desk (HubSpot Service Hub))" in body
    assert "Freshworks" not in body  # only the recipient actually told is listed
    assert "GDPR Art. 19" in body and "Disse modtagere har fået besked" in body
    assert "050482-5678" not in body  # the value itself is not repeated
