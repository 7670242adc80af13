"""From one place: find a person, read the seven answers, export, rectify, track the request."""

from __future__ import annotations

import json

from flask import Flask

from plugin.extensions import db
from plugin.models import DataSubjectRequest
from plugin.rights.signature import verify_document
from tests.admin.helpers import sign_in
from tests.agents.helpers import events
from tests.rights.seeding import CPR, EMAIL, Person


def test_lookup_answers_export_rectify(vendor_app: Flask, person: Person) -> None:
    client = vendor_app.test_client()
    token = sign_in(vendor_app, client)
    found = client.post("/admin/subjects", data={"email": EMAIL, "csrf_token": token})
    assert found.status_code == 200
    assert person.subject_id in found.get_data(as_text=True)
    page = client.get(f"/admin/subjects/{person.subject_id}").get_data(as_text=True)
    for heading in ("Which personal data we collected", "Who it was shared with", "Freshworks"):
        assert heading in page
    download = client.get(f"/admin/subjects/{person.subject_id}/export.json")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    envelope = json.loads(download.get_data(as_text=True))
    assert verify_document(envelope, vendor_app.extensions["datavagt.keyring"])
    readable = client.get(f"/admin/subjects/{person.subject_id}/export.html?lang=da")
    assert "Hvilke medarbejdere har set dem" in readable.get_data(as_text=True)
    assert client.get(f"/admin/subjects/{person.subject_id}/export.pdf").status_code == 404
    fixed = client.post(
        f"/admin/subjects/{person.subject_id}/rectify",
        data={
            "csrf_token": token,
            "finding_id": str(person.findings["hubspot"]["cpr"]),
            "new_value": "050482-5678",
            "reason": "customer call",
        },
        follow_redirects=True,
    )
    assert "Corrected; vendor updated: True" in fixed.get_data(as_text=True)
    assert [e.action for e in events() if e.action != "view"] == [
        "login",
        "export",
        "export",
        "rectify",
        "message_sent",  # Art. 19: the person is told which recipients were updated
    ]
    assert CPR not in json.dumps([e.details for e in events()])


def test_request_queue_forms(vendor_app: Flask, person: Person) -> None:
    client = vendor_app.test_client()
    token = sign_in(vendor_app, client)
    client.post(
        "/admin/requests",
        data={
            "csrf_token": token,
            "action": "create",
            "kind": "access",
            "subject_id": person.subject_id,
            "received_on": "2020-01-01",
            "channel": "email",
        },
    )
    row = db.session.scalars(db.select(DataSubjectRequest)).one()
    page = client.get("/admin/requests").get_data(as_text=True)
    assert "Overdue" in page and 'id="overdue-count">1<' in page
    client.post(
        "/admin/requests",
        data={"csrf_token": token, "request_id": row.id, "action": "complete", "reason": "sent"},
    )
    db.session.expire_all()
    assert db.session.get(DataSubjectRequest, row.id).status == "completed"
    bad = client.post(
        "/admin/requests",
        data={"csrf_token": token, "action": "create", "kind": "nonsense"},
        follow_redirects=True,
    )
    assert "kind must be one of" in bad.get_data(as_text=True)


def test_restrict_and_erase_controls(vendor_app: Flask, person: Person) -> None:
    client = vendor_app.test_client()
    token = sign_in(vendor_app, client)
    refused = client.post(
        f"/admin/subjects/{person.subject_id}/restrict",
        data={"csrf_token": token, "kind": "objection", "purpose": "marketing", "reason": "r"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "withdraw the consent instead" in refused and "Processing restricted" not in refused
    client.post(
        f"/admin/subjects/{person.subject_id}/restrict",
        data={"csrf_token": token, "kind": "restriction", "purpose": "marketing", "reason": "r"},
    )
    page = client.get(f"/admin/subjects/{person.subject_id}").get_data(as_text=True)
    assert "Processing restricted: Restriction (Newsletter and offers)" in page
    erase = client.post(
        f"/admin/subjects/{person.subject_id}/erase",
        data={"csrf_token": token, "reason": "Art. 17"},
        follow_redirects=True,
    )
    assert erase.status_code == 200
