"""Erasure fans out to all three vendors: Freshdesk hard delete, HubSpot gdpr-delete, Dynamics."""

from __future__ import annotations

from flask import Flask

from plugin.retention.dispatcher import Dispatcher
from tests.retention.test_api import headers
from tests.rights.conftest import person, sims, vendor_app
from tests.rights.seeding import Person, Sims

__all__ = ["person", "sims", "vendor_app"]


def test_erasure_reaches_every_vendor(vendor_app: Flask, sims: Sims, person: Person) -> None:
    client = vendor_app.test_client()
    auth = headers(vendor_app)
    answer = client.post(f"/api/subjects/{person.subject_id}/erase", headers=auth, json={})
    assert answer.status_code == 202
    assert answer.get_json()["jobs"]["pending"] == 6  # a ticket and a contact per vendor
    Dispatcher(vendor_app, threads=3).run_until_idle(timeout=60)

    assert sims.freshdesk.contacts == {}
    assert sims.freshdesk.count("DELETE", "/api/v2/contacts/{id}/hard_delete") == 1
    assert sims.hubspot.count("POST", "/crm/v3/objects/contacts/gdpr-delete") == 1
    assert sims.hubspot.contacts == {}
    assert sims.dynamics.contacts == {}
    assert person.tickets["dynamics"] not in sims.dynamics.incidents

    body = client.get(f"/api/subjects/{person.subject_id}/erasure-certificate", headers=auth)
    assert body.status_code == 200
    deleted = body.get_json()["claims"]["deleted"]
    assert {(d["vendor"], d["object_type"]) for d in deleted} == {
        (vendor, kind)
        for vendor in ("freshdesk", "hubspot", "dynamics")
        for kind in ("ticket", "contact")
    }
    assert "holm" not in body.get_data(as_text=True).lower()
