"""``POST /api/messages``, the thread API and ``POST /api/outbound/check``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.config import ROOT
from plugin.extensions import db
from plugin.manifest import load_manifest
from plugin.models import AuditEvent, DataSubject, SecureMessage, Ticket, VaultItem
from plugin.portal.service import ask
from tests.agents.helpers import bearer, custom_manifest
from tests.portal.conftest import PUBLIC_URL
from tests.portal.mailbox import Mailbox
from tests.portal.seeding import CPR, EMAIL, Customer

BODY = "Hej Karen, dit CPR-nummer 050482-1234 er rettet i vores system."
SEND = "/api/messages"
CHECK = "/api/outbound/check"
THREAD = "/api/messages/freshdesk/9001"


def _send(app: Flask, role: str = "agent", **body: object) -> object:
    payload = {"vendor": "freshdesk", "ticket_id": "9001", "body": BODY} | body
    return app.test_client().post(SEND, json=payload, headers=bearer(app, role, "agent-7"))


def test_send_seals_audits_and_mails_a_bare_notice(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    response = _send(portal_app)
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["notified"] is True and response.headers["Cache-Control"] == "no-store"
    message = db.session.get(SecureMessage, answer["id"])
    assert message is not None and message.subject_id == customer.subject_id
    assert (message.direction, message.author) == ("out", "agent-7")
    item = db.session.get(VaultItem, message.vault_item_id)
    assert item is not None and item.kind == "message" and item.subject_id == customer.subject_id
    assert b"050482" not in item.ciphertext and b"Karen" not in item.ciphertext
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "message_sent")
    ).one()
    assert event.ticket_ref == "freshdesk:9001" and event.actor_id == "agent-7"
    assert event.details == {"message_id": message.id, "direction": "out", "chars": len(BODY)}
    notice = mailbox.wait_for(1)[0]
    assert notice.recipients == [EMAIL]
    assert f"{PUBLIC_URL}/portal/messages" in notice.text
    for value in ("Karen", "Holm", CPR, "rettet", "9001", customer.subject_id):
        assert value not in notice.text and value not in str(notice.message["Subject"])


def test_thread_shows_both_directions_and_is_audited(portal_app: Flask, customer: Customer) -> None:
    _send(portal_app)
    client = portal_app.test_client()
    response = client.get(THREAD, headers=bearer(portal_app, "agent"))
    assert response.status_code == 200
    [message] = response.get_json()["messages"]
    assert message["body"] == BODY and message["direction"] == "out"
    assert db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "view")).one()
    assert client.get(THREAD).status_code == 401
    assert (
        client.get("/api/messages/nosuch/1", headers=bearer(portal_app, "agent")).status_code == 404
    )
    assert (
        client.get("/api/messages/freshdesk/404", headers=bearer(portal_app, "agent")).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({}, 422),
        ({"vendor": "freshdesk", "ticket_id": "9001"}, 422),
        ({"vendor": "freshdesk", "ticket_id": "9001", "body": ""}, 422),
        ({"vendor": "freshdesk", "ticket_id": "9001", "body": "x" * 10001}, 422),
        ({"vendor": "freshdesk", "ticket_id": "a/b", "body": "x"}, 422),
        ({"vendor": "freshdesk", "ticket_id": "9001", "body": "x", "cc": "y"}, 422),
        ({"vendor": "freshdesk", "ticket_id": "9001", "body": "x", "lang": "fr"}, 422),
        ({"vendor": "nosuch", "ticket_id": "9001", "body": "x"}, 404),
        ({"vendor": "freshdesk", "ticket_id": "777", "body": "x"}, 404),
    ],
)
def test_send_refuses_invalid_bodies(
    portal_app: Flask, customer: Customer, payload: dict[str, object], status: int
) -> None:
    response = portal_app.test_client().post(
        SEND, json=payload, headers=bearer(portal_app, "agent")
    )
    assert response.status_code == status
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SecureMessage)) == 0


@pytest.mark.parametrize("path", [SEND, CHECK])
def test_malformed_oversized_and_unauthenticated(
    portal_app: Flask, customer: Customer, path: str
) -> None:
    client = portal_app.test_client()
    auth = bearer(portal_app, "agent")
    malformed = client.post(path, data="{not json", headers=auth, content_type="application/json")
    assert malformed.status_code == 400
    assert malformed.get_json()["error"]["code"] == "malformed_json"
    assert client.post(path, data=b"[]", headers=auth, content_type="text/plain").status_code == 400
    oversized = client.post(path, json={"text": "x" * 200_000, "body": "x"}, headers=auth)
    assert oversized.status_code == 413
    for headers in ({}, {"Authorization": "Bearer not.a.jwt"}, {"Authorization": "Basic eDp5"}):
        response = client.post(path, json={"text": "x"}, headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"


def test_roles_outside_the_agent_hierarchy_are_403(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    roles = load_manifest(ROOT / "manifest.yaml").data["roles"]
    roles["reporting"] = {"name": "Reporting", "implies": []}
    app = make_app(manifest=custom_manifest(tmp_path, roles=roles))
    with app.app_context():
        client = app.test_client()
        headers = bearer(app, "reporting")
        assert client.post(SEND, json={"body": "x"}, headers=headers).status_code == 403
        assert client.post(CHECK, json={"text": "x"}, headers=headers).status_code == 403
        assert client.get(THREAD, headers=headers).status_code == 403


def test_ticket_without_requester_or_address(portal_app: Flask, customer: Customer) -> None:
    db.session.add(Ticket(vendor="freshdesk", external_id="555", purpose="support"))
    db.session.commit()
    response = _send(portal_app, ticket_id="555")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "no_requester"
    ticket = db.session.scalars(sa.select(Ticket).where(Ticket.external_id == "9001")).one()
    db.session.get(DataSubject, ticket.subject_id).erased_at = ticket.closed_at  # type: ignore[union-attr]
    db.session.commit()
    assert _send(portal_app).status_code == 410


def test_outbound_check_finds_personal_data_without_echoing_it(portal_app: Flask) -> None:
    client = portal_app.test_client()
    text = f"Hej Karen. Dit CPR-nummer er {CPR} og vi skriver til {EMAIL}."
    response = client.post(CHECK, json={"text": text}, headers=bearer(portal_app, "agent"))
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["recommendation"] == "send_securely" and answer["contains_personal_data"]
    assert {"cpr", "email"} <= set(answer["types"])
    assert {"identity", "contact"} <= set(answer["categories"])
    spans = {f["type"]: text[f["start"] : f["end"]] for f in answer["findings"]}
    assert spans["cpr"] == CPR and spans["email"] == EMAIL  # offsets in characters
    raw = response.get_data(as_text=True)
    assert CPR not in raw and EMAIL not in raw and "value" not in raw
    clean = client.post(
        CHECK,
        json={"text": "Tak for din henvendelse.", "lang": "da"},
        headers=bearer(portal_app, "agent"),
    )
    assert clean.get_json()["recommendation"] == "plain_ok"
    assert clean.get_json()["findings"] == []
    health = client.post(
        CHECK,
        json={"text": "Patienten har diabetes og tager insulin."},
        headers=bearer(portal_app, "agent"),
    ).get_json()
    assert health["special_category"] is ("special" in health["categories"])
    bad = client.post(CHECK, json={"text": 5}, headers=bearer(portal_app, "agent"))
    assert bad.status_code == 422
    assert (
        client.post(CHECK, json={"txt": "x"}, headers=bearer(portal_app, "agent")).status_code
        == 422
    )


def test_dpo_reads_the_note_sent_with_a_request(portal_app: Flask, customer: Customer) -> None:
    row = ask(customer.subject_id, "rectification", "Mit navn staves Holm-Jensen")
    client = portal_app.test_client()
    url = f"{SEND}?request={row.id}"
    response = client.get(url, headers=bearer(portal_app, "dpo", "dpo-anne"))
    assert response.status_code == 200
    [note] = response.get_json()["messages"]
    assert note["body"] == "Mit navn staves Holm-Jensen" and note["direction"] == "in"
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "view")).one()
    assert event.actor_id == "dpo-anne" and event.details["request"] == row.id
    assert client.get(url).status_code == 401
    assert client.get(url, headers=bearer(portal_app, "agent")).status_code == 403
    assert client.get(SEND, headers=bearer(portal_app, "dpo")).status_code == 422
    unknown = client.get(f"{SEND}?request=nope", headers=bearer(portal_app, "dpo"))
    assert unknown.status_code == 404
