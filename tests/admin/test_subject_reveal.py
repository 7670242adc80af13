"""The DPO's subject page masks values until revealed with a reason, as the widget does."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from plugin.audit import actions
from plugin.auth.tokens import issue_token
from plugin.extensions import db
from plugin.models import Finding, Ticket
from tests.admin.helpers import csrf, sign_in
from tests.agents.helpers import events
from tests.rights.seeding import CPR, EMAIL, Person, add_finding


def _page(client: FlaskClient, person: Person) -> str:
    return client.get(f"/admin/subjects/{person.subject_id}").get_data(as_text=True)


def _reveal(client: FlaskClient, person: Person, **form: object):  # noqa: ANN202
    return client.post(f"/admin/subjects/{person.subject_id}/reveal", data=form)


def test_values_are_masked_until_revealed(vendor_app: Flask, person: Person) -> None:
    client = vendor_app.test_client()
    sign_in(vendor_app, client)
    page = _page(client, person)
    assert CPR not in page and EMAIL not in page
    assert page.count('class="inline reveal"') >= 6  # CPR and e-mail in three systems
    assert "k•••@example.dk" in page


def test_reveal_with_a_reason_shows_the_value_once_and_is_audited(
    vendor_app: Flask, person: Person
) -> None:
    client = vendor_app.test_client()
    token = sign_in(vendor_app, client)
    finding = person.findings["freshdesk"]["cpr"]
    answer = _reveal(
        client,
        person,
        csrf_token=token,
        kind="finding",
        item_id=finding,
        reason="Art. 15 request from the customer",
    )
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert f'<span class="revealed">{CPR}</span>' in body
    assert body.count(CPR) == 1  # only the value asked for
    assert answer.headers["Cache-Control"] == "no-store"
    reveal = events(actions.REVEAL)[-1]
    assert reveal.actor_id == "dpo-anne" and reveal.reason == "Art. 15 request from the customer"
    assert reveal.subject_id == person.subject_id and reveal.ticket_ref.startswith("freshdesk:")
    assert CPR not in _page(client, person)  # not remembered


def test_an_identifier_is_revealed_the_same_way(vendor_app: Flask, person: Person) -> None:
    client = vendor_app.test_client()
    token = sign_in(vendor_app, client)
    page = _page(client, person)
    ident = re.search(r'<tr data-identifier="(\d+)"><td>E-mail address</td>', page)
    assert ident
    answer = _reveal(
        client,
        person,
        csrf_token=token,
        kind="identifier",
        item_id=ident.group(1),
        reason="Customer asked what we hold",
    )
    assert answer.status_code == 200 and EMAIL in answer.get_data(as_text=True)
    assert events(actions.REVEAL)[-1].field == "email"


def test_a_missing_or_short_reason_is_refused(vendor_app: Flask, person: Person) -> None:
    client = vendor_app.test_client()
    token = sign_in(vendor_app, client)
    before = len(events(actions.REVEAL))
    finding = person.findings["hubspot"]["cpr"]
    for reason in ("", "  ", "ok"):
        answer = _reveal(
            client, person, csrf_token=token, kind="finding", item_id=finding, reason=reason
        )
        assert answer.status_code == 422
        body = answer.get_data(as_text=True)
        assert CPR not in body and "at least 5 characters" in body
    danish = client.post(
        f"/admin/subjects/{person.subject_id}/reveal?lang=da",
        data={"csrf_token": token, "kind": "finding", "item_id": finding, "reason": ""},
    )
    assert "Angiv en begrundelse på mindst 5 tegn" in danish.get_data(as_text=True)
    assert len(events(actions.REVEAL)) == before


def test_reveal_needs_the_csrf_token(vendor_app: Flask, person: Person) -> None:
    client = vendor_app.test_client()
    sign_in(vendor_app, client)
    finding = person.findings["freshdesk"]["cpr"]
    for token in ("", "forged"):
        answer = _reveal(
            client, person, csrf_token=token, kind="finding", item_id=finding, reason="a reason"
        )
        assert answer.status_code == 400 and CPR not in answer.get_data(as_text=True)
    assert events(actions.REVEAL) == []


def test_reveal_needs_a_console_session(vendor_app: Flask, person: Person) -> None:
    client = vendor_app.test_client()
    finding = person.findings["freshdesk"]["cpr"]
    token = csrf(client)
    answer = _reveal(
        client, person, csrf_token=token, kind="finding", item_id=finding, reason="a reason"
    )
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/admin/login")
    assert CPR not in answer.get_data(as_text=True)
    # An agent's token does not open the console at all.
    agent = issue_token(vendor_app.extensions["datavagt.keyring"], agent="a1", role="agent")
    refused = client.post("/admin/login", data={"token": agent, "csrf_token": token})
    assert refused.status_code == 401
    again = _reveal(
        client, person, csrf_token=token, kind="finding", item_id=finding, reason="a reason"
    )
    assert again.status_code == 302
    assert events(actions.REVEAL) == []


def test_a_value_the_policy_does_not_open_is_refused_and_audited(
    vendor_app: Flask, person: Person
) -> None:
    # A category the manifest gives no role: the policy's default (hidden) applies to the DPO.
    ticket = db.session.scalar(sa.select(Ticket).where(Ticket.vendor == "freshdesk"))
    assert ticket is not None
    secret = "AB-123456"
    finding = add_finding(
        ticket, person.subject_id, "passport", "unlisted", secret, "subject", secret
    )
    db.session.commit()
    client = vendor_app.test_client()
    token = sign_in(vendor_app, client)
    page = _page(client, person)
    row = re.search(rf'<tr data-finding="{finding.id}">.*?</tr>', page, re.S)
    assert row and "[hidden]" in row.group(0) and "reveal" not in row.group(0)
    answer = _reveal(
        client, person, csrf_token=token, kind="finding", item_id=finding.id, reason="a reason"
    )
    assert answer.status_code == 403 and secret not in answer.get_data(as_text=True)
    denied = events(actions.REVEAL_DENIED)[-1]
    assert denied.reason == "a reason" and denied.details["level"] == "hidden"
    assert events(actions.REVEAL) == []


def test_a_value_of_someone_else_is_not_found(vendor_app: Flask, person: Person) -> None:
    client = vendor_app.test_client()
    token = sign_in(vendor_app, client)
    highest = db.session.scalar(sa.select(sa.func.max(Finding.id)))
    for kind, item in (("finding", highest + 100), ("finding", "x"), ("other", 1)):
        answer = _reveal(
            client, person, csrf_token=token, kind=kind, item_id=item, reason="a reason"
        )
        assert answer.status_code == 404
    assert events(actions.REVEAL) == []
