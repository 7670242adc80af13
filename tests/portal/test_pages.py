"""My pages signed in: data by purpose, consents with receipts, requests, messages, languages."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from plugin.auth.guard import Actor
from plugin.consent.receipt import verify_receipt
from plugin.extensions import db
from plugin.messages import service as messages
from plugin.models import AuditEvent, Consent, DataSubjectRequest, SecureMessage, VaultItem
from plugin.rights.signature import verify_document
from tests.portal.helpers import login
from tests.portal.mailbox import Mailbox
from tests.portal.seeding import CPR, EMAIL, OTHER_EMAIL, Customer, seed_customer

PAGES = ("/portal/data", "/portal/consents", "/portal/requests", "/portal/messages")


def _actions(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def signed_in(portal_app: Flask, customer: Customer, mailbox: Mailbox) -> tuple[FlaskClient, str]:
    """A client logged in as the customer, and its CSRF token."""
    client = portal_app.test_client()
    return client, login(client, mailbox, EMAIL)


def test_pages_need_a_session(portal_app: Flask) -> None:
    client = portal_app.test_client()
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/portal/login")
    assert client.post("/portal/requests/export").status_code == 302
    assert client.get("/portal/").location.endswith("/portal/login")


def test_my_data_by_purpose_with_retention_and_values(
    signed_in: tuple[FlaskClient, str], customer: Customer
) -> None:
    client, _ = signed_in
    response = client.get("/portal/data?lang=en")
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Purpose: Customer support" in html and "Legal basis: Contract" in html
    assert "365 days from the case was closed" in html
    case = html.split('data-case="freshdesk:9001"')[1]
    assert "Deleted by" in case and "[CPR ••••••-••34]" in case
    # The person's own data in clear, behind a toggle, only after login.
    assert f'<span class="value">{CPR}</span>' in case
    assert f'<span class="value">{EMAIL}</span>' in html


def test_language_from_query_cookie_and_browser(signed_in: tuple[FlaskClient, str]) -> None:
    client, _ = signed_in
    assert "Mine data" in client.get("/portal/data", headers={"Accept-Language": "da"}).text
    assert "My data" in client.get("/portal/data", headers={"Accept-Language": "en-GB"}).text
    assert "Mine data" in client.get("/portal/data?lang=da").text
    # The choice is remembered over the browser's preference.
    assert "Mine data" in client.get("/portal/data", headers={"Accept-Language": "en"}).text
    assert 'lang="en"' in client.get("/portal/data?lang=en").text
    assert 'lang="da"' in client.get("/portal/data?lang=xx", headers={"Accept-Language": "da"}).text


def test_withdraw_and_give_again_with_receipts(
    portal_app: Flask, signed_in: tuple[FlaskClient, str], customer: Customer
) -> None:
    client, token = signed_in
    page = client.get("/portal/consents?lang=da").text
    wording = db.session.get(Consent, customer.consent_id).text.text  # type: ignore[union-attr]
    assert wording.splitlines()[0] in page
    response = client.post(
        f"/portal/consents/{customer.consent_id}/withdraw", data={"csrf_token": token}
    )
    assert response.status_code == 302 and "done=consent_withdrawn_ok" in response.location
    consent = db.session.get(Consent, customer.consent_id)
    assert consent is not None and consent.withdrawn_channel == "portal"
    event = _actions("consent_withdrawn")[-1]
    assert event.actor_id == f"subject:{customer.subject_id}" and event.source == "portal"
    page = client.get(response.location).text
    assert "trukket tilbage" in page and "Giv samtykket igen" in page
    # The receipt says what was done: this wording promised only that processing stops.
    assert 'class="withdrawal-done"' in page and "Vi behandler ikke længere" in page
    english = client.get("/portal/consents?lang=en").text
    assert "We no longer process your data for this purpose" in english
    client.get("/portal/consents?lang=da")
    receipt = client.get(f"/portal/consents/{customer.consent_id}/receipt/withdrawn")
    assert receipt.status_code == 200 and "attachment" in receipt.headers["Content-Disposition"]
    body = verify_receipt(portal_app.extensions["datavagt.keyring"], receipt.get_json()["receipt"])
    assert body["consentStatus"] == "withdrawn" and body["consentId"] == customer.consent_id
    # A second withdrawal is a conflict, not a second receipt.
    again = client.post(
        f"/portal/consents/{customer.consent_id}/withdraw", data={"csrf_token": token}
    )
    assert again.status_code == 409

    text_id = page.split('name="text_id" value="')[1].split('"')[0]
    response = client.post(
        "/portal/consents/give",
        data={"csrf_token": token, "purpose": "marketing", "text_id": text_id},
    )
    assert response.status_code == 302
    active = db.session.scalars(
        sa.select(Consent).where(Consent.withdrawn_at.is_(None), Consent.channel == "portal")
    ).one()
    assert active.evidence["form"] == "portal" and "ip_hash" in active.evidence
    assert _actions("consent_given")[-1].source == "portal"
    given = client.get(f"/portal/consents/{active.id}/receipt/given").get_json()
    assert verify_receipt(portal_app.extensions["datavagt.keyring"], given["receipt"])


def test_other_peoples_consents_and_messages_are_not_found(
    portal_app: Flask, signed_in: tuple[FlaskClient, str]
) -> None:
    client, token = signed_in
    other = seed_customer(portal_app, OTHER_EMAIL, external_id="9002", name="Ole Berg")
    path = f"/portal/consents/{other.consent_id}"
    assert client.post(path + "/withdraw", data={"csrf_token": token}).status_code == 404
    assert client.get(path + "/receipt/given").status_code == 404
    assert client.get(f"/portal/consents/{other.consent_id}/receipt/bogus").status_code == 404
    message = messages.send_to_requester(Actor("agent-1", "agent"), "freshdesk", "9002", "Hej Ole")
    reply = client.post(
        f"/portal/messages/{message.id}/reply", data={"csrf_token": token, "body": "x"}
    )
    assert reply.status_code == 404
    assert "Hej Ole" not in client.get("/portal/messages").text
    assert db.session.get(Consent, other.consent_id).withdrawn_at is None  # type: ignore[union-attr]


def test_export_download_is_signed_and_recorded(
    portal_app: Flask, signed_in: tuple[FlaskClient, str], customer: Customer
) -> None:
    client, token = signed_in
    response = client.post("/portal/requests/export", data={"csrf_token": token})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith('attachment; filename="my-data-')
    document = verify_document(json.loads(response.data), portal_app.extensions["datavagt.keyring"])
    assert document["subject_id"] == customer.subject_id
    assert any(f.get("value") == CPR for t in document["tickets"] for f in t["findings"])
    row = db.session.scalars(sa.select(DataSubjectRequest)).one()
    assert (row.kind, row.status, row.channel) == ("access", "completed", "portal")
    assert _actions("export")[-1].actor_id == f"subject:{customer.subject_id}"
    assert "Afsluttet" in client.get("/portal/requests?lang=da").text


def test_erasure_and_correction_requests(
    signed_in: tuple[FlaskClient, str], customer: Customer
) -> None:
    client, token = signed_in
    assert client.post("/portal/requests/erasure", data={"csrf_token": token}).status_code == 422
    response = client.post("/portal/requests/erasure", data={"csrf_token": token, "confirm": "yes"})
    assert response.status_code == 302 and "done=request_ok" in response.location
    note = "Mit efternavn staves Holm-Jensen"
    client.post("/portal/requests/rectification", data={"csrf_token": token, "note": note})
    rows = {r.kind: r for r in db.session.scalars(sa.select(DataSubjectRequest))}
    assert set(rows) == {"erasure", "rectification"}
    assert {r.status for r in rows.values()} == {"received"}
    sealed = db.session.scalars(sa.select(SecureMessage)).one()
    assert sealed.request_id == rows["rectification"].id
    item = db.session.get(VaultItem, sealed.vault_item_id)
    assert item is not None and note.encode() not in item.ciphertext
    page = client.get("/portal/requests?lang=en").text
    assert "Erasure" in page and "Correction" in page and "Received" in page
    assert client.post("/portal/requests/access", data={"csrf_token": token}).status_code == 404
    empty = client.post("/portal/requests/rectification", data={"csrf_token": token, "note": ""})
    assert empty.status_code == 422
    huge = client.post(
        "/portal/requests/rectification", data={"csrf_token": token, "note": "x" * 20000}
    )
    assert huge.status_code == 422


def test_read_and_reply_to_a_secure_message(
    signed_in: tuple[FlaskClient, str], customer: Customer
) -> None:
    client, token = signed_in
    message = messages.send_to_requester(
        Actor("agent-1", "agent"), "freshdesk", "9001", "Dit nye kort er på vej."
    )
    assert '<span class="badge">1</span>' in client.get("/portal/data").text
    page = client.get("/portal/messages").text
    assert "Dit nye kort er på vej." in page
    assert db.session.get(SecureMessage, message.id).read_at is not None  # type: ignore[union-attr]
    response = client.post(
        f"/portal/messages/{message.id}/reply", data={"csrf_token": token, "body": "Tak!"}
    )
    assert response.status_code == 302
    answer = db.session.scalars(
        sa.select(SecureMessage).where(SecureMessage.direction == "in")
    ).one()
    assert answer.ticket_id == customer.ticket_id and answer.author == "subject"
    event = _actions("message_sent")[-1]
    assert event.details["direction"] == "in" and event.ticket_ref == "freshdesk:9001"
    assert "Tak!" in client.get("/portal/messages").text
    blank = client.post(f"/portal/messages/{message.id}/reply", data={"csrf_token": token})
    assert blank.status_code == 422
