"""Done when: a person with tickets in all three vendors is found, exported, rectified and
erased from one place (the admin console)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.models import DataSubject, OutboxJob
from plugin.rights.signature import verify_document
from tests.admin.helpers import sign_in
from tests.rights.seeding import EMAIL, Person


def test_find_export_rectify_erase(vendor_app: Flask, person: Person) -> None:
    client = vendor_app.test_client()
    token = sign_in(vendor_app, client)
    found = client.post("/admin/subjects", data={"email": EMAIL, "csrf_token": token})
    assert person.subject_id in found.get_data(as_text=True)
    envelope = json.loads(
        client.get(f"/admin/subjects/{person.subject_id}/export.json").get_data(as_text=True)
    )
    jwks = client.get("/.well-known/jwks.json").get_json()
    exported = verify_document(envelope, jwks)
    assert {t["vendor"] for t in exported["tickets"]} == {"freshdesk", "hubspot", "dynamics"}
    for vendor in ("freshdesk", "hubspot", "dynamics"):
        fixed = client.post(
            f"/admin/subjects/{person.subject_id}/rectify",
            data={
                "csrf_token": token,
                "finding_id": str(person.findings[vendor]["cpr"]),
                "new_value": "050482-5678",
                "reason": "wrong digits",
            },
            follow_redirects=True,
        )
        assert "Corrected; vendor updated: True" in fixed.get_data(as_text=True)
    pytest.importorskip("plugin.erasure.service", reason="the erasure service has not landed")
    erased = client.post(
        f"/admin/subjects/{person.subject_id}/erase",
        data={"csrf_token": token, "reason": "Art. 17 request"},
        follow_redirects=True,
    )
    assert "Erasure requested" in erased.get_data(as_text=True)
    dispatcher = pytest.importorskip("plugin.retention.dispatcher")
    dispatcher.Dispatcher(vendor_app, threads=1).run_until_idle(timeout=60)
    db.session.expire_all()
    jobs = list(
        db.session.scalars(sa.select(OutboxJob).where(OutboxJob.subject_id == person.subject_id))
    )
    assert {job.vendor for job in jobs} == {"freshdesk", "hubspot", "dynamics"}
    assert all(job.completed_at is not None for job in jobs), [j.status for j in jobs]
    assert db.session.get(DataSubject, person.subject_id).erased_at is not None
    assert (
        client.post("/admin/subjects", data={"email": EMAIL, "csrf_token": token}).status_code
        == 200
    )
