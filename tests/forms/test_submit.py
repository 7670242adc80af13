"""Submitting the contact form creates a pseudonymised ticket in each vendor, over real HTTP."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.consent import service
from plugin.extensions import db
from plugin.models import AuditEvent, Consent, ConsentText, Finding, Ticket, VaultItem
from plugin.vault import get_vault
from tests.forms.conftest import Vendor
from tests.forms.helpers import CONTACT, load, post

SECRETS = (
    "Jens",
    "Hansen",
    "jens.hansen",
    "20 30 40 50",
    "+4520304050",
    "010190-1234",
    "diabetes",
    "insulin",
)


def test_contact_form_reaches_vendor_pseudonymised(
    forms_app: Callable[..., Flask], vendor: Vendor, caplog: pytest.LogCaptureFixture
) -> None:
    app = forms_app(vendor)
    client = app.test_client()
    caplog.set_level(logging.DEBUG)
    with app.app_context():
        page = load(client)
        texts = {db.session.get(ConsentText, i).purpose: i for i in page["shown"]}
        response = post(client, page=page, given=[texts["support"]])
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["reference"].startswith("DV-")

        [ticket] = vendor.tickets()
        crm = repr(ticket) + vendor.contacts_text()
        for secret in SECRETS:
            assert secret not in crm, secret
        assert "[CPR ••••••-••34]" in ticket["body"] and "[health]" in ticket["body"]
        assert "[e-mail j•••@example.dk]" in ticket["body"]

        row = db.session.scalars(sa.select(Ticket)).one()
        assert (row.vendor, row.external_id, row.purpose) == (vendor.name, ticket["id"], "support")
        findings = list(db.session.scalars(sa.select(Finding).where(Finding.ticket_id == row.id)))
        kinds = {f.type for f in findings}
        assert {"person_name", "email", "phone", "cpr", "health"} <= kinds
        special = [f for f in findings if f.category == "special"]
        assert special and all(f.over_collection for f in special)
        vault = get_vault()
        originals = {vault.decrypt(db.session.get(VaultItem, f.vault_item_id)) for f in findings}
        assert {"Jens Hansen", "jens.hansen@example.dk", "010190-1234", "diabetes"} <= originals

        [consent] = db.session.scalars(sa.select(Consent)).all()
        assert consent.subject_id == row.subject_id and consent.explicit is True
        assert consent.channel == "form" and consent.consent_text_id == texts["support"]
        assert consent.evidence["form"] == "contact" and len(consent.evidence["ip_hash"]) == 64
        assert "127.0.0.1" not in repr(consent.evidence)
        assert service.has_explicit(row.subject_id, "support")
        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
        assert {"request_created", "consent_given"} <= actions
    logged = caplog.text
    for secret in SECRETS:
        assert secret not in logged, secret


def test_nothing_ticked_still_handled_without_consents(
    forms_app: Callable[..., Flask], freshdesk_vendor: Vendor
) -> None:
    app = forms_app(freshdesk_vendor)
    client = app.test_client()
    with app.app_context():
        response = post(client, given=[])
        assert response.status_code == 201 and response.get_json()["consents"] == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Consent)) == 0
        assert len(freshdesk_vendor.tickets()) == 1


def test_records_the_version_that_was_shown(
    forms_app: Callable[..., Flask], freshdesk_vendor: Vendor
) -> None:
    app = forms_app(freshdesk_vendor)
    client = app.test_client()
    with app.app_context():
        page = load(client)
        shown = {db.session.get(ConsentText, i).purpose: i for i in page["shown"]}
        from plugin.auth import Actor

        newer = service.publish_text("marketing", "da", "Ny ordlyd.", Actor(id="dpo", role="dpo"))
        response = post(client, page=page, given=[shown["marketing"]])
        assert response.status_code == 201
        consent = db.session.scalars(sa.select(Consent)).one()
        assert consent.consent_text_id == shown["marketing"] != newer.id
        assert consent.explicit is False


def test_newsletter_requires_its_consent(
    forms_app: Callable[..., Flask], freshdesk_vendor: Vendor
) -> None:
    app = forms_app(freshdesk_vendor)
    client = app.test_client()
    values = {"email": "a@example.dk"}
    with app.app_context():
        refused = post(client, "newsletter", values, given=[])
        assert refused.status_code == 422
        assert refused.get_json()["error"]["code"] == "consent_required"
        page = load(client, "newsletter")
        ok = post(client, "newsletter", values, page=page, given=page["shown"])
        assert ok.status_code == 201 and ok.get_json()["consents"] == 1
        assert freshdesk_vendor.tickets()[0]["subject"] == "Tilmelding til nyhedsbrev"


def test_no_vendor_configured(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    client = app.test_client()
    with app.app_context():
        response = post(client)
        assert response.status_code == 503
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 0


def test_optional_fields_may_be_left_out(
    forms_app: Callable[..., Flask], freshdesk_vendor: Vendor
) -> None:
    app = forms_app(freshdesk_vendor)
    client = app.test_client()
    values = {k: v for k, v in CONTACT.items() if k != "phone"}
    with app.app_context():
        response = post(client, values=values)
        assert response.status_code == 201, response.get_json()
        assert "form.phone" not in {f.field for f in db.session.scalars(sa.select(Finding))}
