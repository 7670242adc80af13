"""Rectification reaches the vendors: contacts corrected everywhere, or nothing changes at all."""

from __future__ import annotations

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.ingest.tokens import token_for
from plugin.models import Finding, SubjectIdentifier, VaultItem
from plugin.rights import lookup
from plugin.vault import get_vault
from tests.agents.helpers import events
from tests.rights.seeding import CPR, EMAIL, FIELDS, PHONE, Person, Sims, post_rectify

NEW_EMAIL = "karen.holm@example.com"
NEW_PHONE = "+45 70 10 20 30"
CONTACT_CALLS = {
    "freshdesk": ("PUT", "/api/v2/contacts/{id}"),
    "hubspot": ("PATCH", "/crm/v3/objects/contacts/{contactId}"),
    "dynamics": ("PATCH", "/api/data/v9.2/contacts({id})"),
}


def _identifier(kind: str) -> SubjectIdentifier:
    return db.session.scalars(
        db.select(SubjectIdentifier).where(SubjectIdentifier.kind == kind)
    ).one()


def _contacts(sims: Sims) -> dict[str, dict[str, str | None]]:
    """Each vendor's (only) contact as {email, phone}."""
    (fd,) = sims.freshdesk.contacts.values()
    (hs,) = sims.hubspot.contacts.values()
    (dy,) = sims.dynamics.contacts.values()
    return {
        "freshdesk": {"email": fd["email"], "phone": fd["phone"]},
        "hubspot": {"email": hs["properties"]["email"], "phone": hs["properties"]["phone"]},
        "dynamics": {"email": dy["emailaddress1"], "phone": dy["telephone1"]},
    }


def _calls(sims: Sims) -> dict[str, int]:
    return {v: getattr(sims, v).count(*call) for v, call in CONTACT_CALLS.items()}


@pytest.mark.parametrize(
    ("kind", "old", "new"), [("email", EMAIL, NEW_EMAIL), ("phone", PHONE, NEW_PHONE)]
)
def test_identifier_correction_updates_every_vendor_contact(
    vendor_app: Flask, person: Person, sims: Sims, kind: str, old: str, new: str
) -> None:
    ident = _identifier(kind)
    response = post_rectify(
        vendor_app, person, {"identifier": ident.id, "new_value": new, "reason": "moved"}
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body == {
        "identifier_id": ident.id,
        "vendors_updated": ["dynamics", "freshdesk", "hubspot"],
    }
    assert {v: c[kind] for v, c in _contacts(sims).items()} == dict.fromkeys(CONTACT_CALLS, new)
    assert _calls(sims) == dict.fromkeys(CONTACT_CALLS, 1)
    assert get_vault().decrypt(db.session.get(VaultItem, ident.vault_item_id)) == new
    (event,) = events("rectify")
    assert event.details["vendors_updated"] == ["dynamics", "freshdesk", "hubspot"]
    assert old not in str(event.details) and new not in str(event.details)


def test_email_lookup_follows_the_correction(vendor_app: Flask, person: Person) -> None:
    ident = _identifier("email")
    post_rectify(
        vendor_app, person, {"identifier": ident.id, "new_value": NEW_EMAIL, "reason": "r"}
    )
    assert [s.id for s in lookup.find(email=NEW_EMAIL)] == [person.subject_id]
    assert lookup.find(email=EMAIL) == []


def test_vendor_refusal_is_502_and_changes_nothing(
    vendor_app: Flask, person: Person, sims: Sims
) -> None:
    # Someone else already has the new address at Freshdesk: it answers 409 duplicate_value.
    sims.freshdesk.add_contact("Other Person", NEW_EMAIL)
    ident = _identifier("email")
    response = post_rectify(
        vendor_app, person, {"identifier": ident.id, "new_value": NEW_EMAIL, "reason": "moved"}
    )
    assert response.status_code == 502
    assert response.get_json()["error"]["code"] == "vendor_error"
    assert NEW_EMAIL not in response.get_data(as_text=True)
    db.session.expire_all()
    assert get_vault().decrypt(db.session.get(VaultItem, ident.vault_item_id)) == EMAIL
    assert [s.id for s in lookup.find(email=EMAIL)] == [person.subject_id]
    # Dynamics was written first and put back; HubSpot was never asked.
    dy = next(iter(sims.dynamics.contacts.values()))
    assert dy["emailaddress1"] == EMAIL
    assert _calls(sims) == {"dynamics": 2, "freshdesk": 1, "hubspot": 0}
    assert events("rectify") == []


def test_unconfigured_vendor_is_409_before_any_change(
    vendor_app: Flask, person: Person, sims: Sims
) -> None:
    vendor_app.extensions["datavagt.adapters"].pop("hubspot").close()
    ident = _identifier("phone")
    response = post_rectify(
        vendor_app, person, {"identifier": ident.id, "new_value": NEW_PHONE, "reason": "r"}
    )
    assert response.status_code == 409
    assert _calls(sims) == dict.fromkeys(CONTACT_CALLS, 0)
    assert get_vault().decrypt(db.session.get(VaultItem, ident.vault_item_id)) == PHONE


@pytest.mark.parametrize("vendor", ["freshdesk", "hubspot", "dynamics"])
def test_rectified_finding_gets_the_ingestion_token(
    vendor_app: Flask, person: Person, vendor: str
) -> None:
    finding_id = person.findings[vendor]["email"]
    response = post_rectify(
        vendor_app, person, {"finding_id": finding_id, "new_value": NEW_EMAIL, "reason": "typo"}
    )
    assert response.status_code == 200, response.get_json()
    assert (
        response.get_json()["masked"]
        == token_for("email", NEW_EMAIL)
        == "[e-mail k•••@example.com]"
    )
    text = vendor_app.extensions["datavagt.adapters"][vendor].get_ticket(person.tickets[vendor])
    description = text.fields[FIELDS[vendor]].text
    assert (
        "[e-mail k•••@example.com]" in description and token_for("email", EMAIL) not in description
    )
    assert NEW_EMAIL not in description and EMAIL not in description


def test_vendor_error_on_a_finding_leaves_vault_and_token(
    vendor_app: Flask, person: Person, sims: Sims
) -> None:
    sims.hubspot.configure(fail_next=1, fail_status=400)  # not retried: a refusal
    finding_id = person.findings["hubspot"]["cpr"]
    response = post_rectify(
        vendor_app, person, {"finding_id": finding_id, "new_value": "050482-5678", "reason": "r"}
    )
    assert response.status_code == 502
    db.session.expire_all()
    finding = db.session.get(Finding, finding_id)
    assert finding.masked == token_for("cpr", CPR)
    assert get_vault().decrypt(db.session.get(VaultItem, finding.vault_item_id)) == CPR
    assert events("rectify") == []
