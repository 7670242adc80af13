"""Rectification (Art. 16): the vault and the vendor's record change; the change is audited."""

from __future__ import annotations

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.models import Finding, SubjectIdentifier, VaultItem
from plugin.rights import lookup
from plugin.subjects import find_or_create_subject
from plugin.vault import get_vault
from plugin.vendors.contract import VendorContact
from tests.agents.helpers import events
from tests.rights.seeding import CPR, EMAIL, FIELDS, Person, post_rectify

NEW_CPR = "050482-5678"


@pytest.mark.parametrize("vendor", ["freshdesk", "hubspot", "dynamics"])
def test_rectify_finding_updates_vault_and_vendor(
    vendor_app: Flask, person: Person, vendor: str
) -> None:
    finding_id = person.findings[vendor]["cpr"]
    response = post_rectify(
        vendor_app,
        person,
        {"finding_id": finding_id, "new_value": NEW_CPR, "reason": "typo reported by customer"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["vendor_updated"] is True
    finding = db.session.get(Finding, finding_id)
    assert get_vault().decrypt(db.session.get(VaultItem, finding.vault_item_id)) == NEW_CPR
    adapter = vendor_app.extensions["datavagt.adapters"][vendor]
    text = adapter.get_ticket(person.tickets[vendor]).fields[FIELDS[vendor]].text
    assert body["masked"] in text and "[CPR ••••••-••34]" not in text
    assert CPR not in text and NEW_CPR not in text  # the vendor gets a token, never the value
    (event,) = events("rectify")
    assert event.ticket_ref == f"{vendor}:{person.tickets[vendor]}"
    assert event.reason == "typo reported by customer"


def test_rectify_identifier_moves_the_blind_index(vendor_app: Flask, person: Person) -> None:
    ident = db.session.scalars(
        db.select(SubjectIdentifier).where(SubjectIdentifier.kind == "email")
    ).one()
    new_email = "karen.holm@example.com"
    response = post_rectify(
        vendor_app, person, {"identifier": ident.id, "new_value": new_email, "reason": "moved"}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["vendors_updated"] == ["dynamics", "freshdesk", "hubspot"]
    assert [s.id for s in lookup.find(email=new_email)] == [person.subject_id]
    assert lookup.find(email=EMAIL) == []


def test_identifier_clash_409(vendor_app: Flask, person: Person) -> None:
    find_or_create_subject("freshdesk", VendorContact("999", email="other@example.dk"))
    db.session.commit()
    email = db.session.scalars(
        db.select(SubjectIdentifier).where(
            SubjectIdentifier.kind == "email", SubjectIdentifier.subject_id == person.subject_id
        )
    ).one()
    response = post_rectify(
        vendor_app, person, {"identifier": email.id, "new_value": "other@example.dk", "reason": "r"}
    )
    assert response.status_code == 409
    assert events("rectify") == []


@pytest.mark.parametrize(
    "body",
    [
        {"new_value": "x", "reason": "r"},
        {"finding_id": 1, "identifier": 1, "new_value": "x", "reason": "r"},
        {"finding_id": 1, "new_value": "", "reason": "r"},
        {"finding_id": 1, "new_value": "x"},
        {"finding_id": 1, "new_value": "x", "reason": "r", "extra": True},
    ],
)
def test_invalid_body_422(vendor_app: Flask, person: Person, body: dict) -> None:
    assert post_rectify(vendor_app, person, body).status_code == 422


def test_finding_of_someone_else_404(vendor_app: Flask, person: Person) -> None:
    response = post_rectify(
        vendor_app, person, {"finding_id": 99999, "new_value": "x", "reason": "r"}
    )
    assert response.status_code == 404
    assert events("rectify") == []
