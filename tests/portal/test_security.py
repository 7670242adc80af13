"""Enumeration (same answer, same timing), CSRF on every POST, rate limits with Retry-After."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from plugin.extensions import db
from plugin.models import AuditEvent, Consent, PortalLoginToken
from plugin.portal import links
from tests.portal.helpers import ask_link, csrf, login, use_link
from tests.portal.mailbox import Mailbox
from tests.portal.seeding import EMAIL, OTHER_EMAIL, UNKNOWN_EMAIL, Customer, seed_customer

ROUNDS = 8
SMTP_DELAY = 0.3  # a slow mail server: sending on the request thread would show at once
TOLERANCE = 0.1


def _post_login(client: FlaskClient, email: str) -> tuple[float, int, str]:
    token = csrf(client, "/portal/login", "login")
    started = time.perf_counter()
    response = client.post("/portal/login", data={"email": email, "csrf_token": token})
    elapsed = time.perf_counter() - started
    body = response.get_data(as_text=True)
    response.close()  # as a WSGI server does once the answer is sent: the mail goes then
    return elapsed, response.status_code, body


def test_known_and_unknown_addresses_get_the_same_answer_in_the_same_time(
    make_app: Callable[..., Flask], portal_settings: dict[str, Any], mailbox: Mailbox
) -> None:
    mailbox.delay = SMTP_DELAY
    limits = {"per_address": 100, "per_ip": 100}
    app = make_app(portal_rate_limits=limits, **portal_settings)
    with app.app_context():
        seed_customer(app)
        client = app.test_client()
        _post_login(client, UNKNOWN_EMAIL)  # warm caches (templates, statements)
        known, unknown, bodies, statuses = [], [], set(), set()
        for _ in range(ROUNDS):
            for email, times in ((EMAIL, known), (UNKNOWN_EMAIL, unknown)):
                elapsed, status, body = _post_login(client, email)
                times.append(elapsed)
                statuses.add(status)
                bodies.add(body)
        assert statuses == {200} and len(bodies) == 1
        assert EMAIL not in bodies.pop()
        gap = abs(statistics.median(known) - statistics.median(unknown))
        assert gap < TOLERANCE, f"known {known} vs unknown {unknown}"
        # The mail was not sent on the request thread (that alone would take SMTP_DELAY).
        assert statistics.median(known) < SMTP_DELAY
        # Both kinds of address left a token row; only the known one got mail.
        rows = db.session.scalars(sa.select(PortalLoginToken)).all()
        assert len(rows) == 2 * ROUNDS + 1
        assert sum(r.subject_id is None for r in rows) == ROUNDS + 1
        received = mailbox.wait_for(ROUNDS, timeout=ROUNDS * SMTP_DELAY + 10)
        assert {tuple(m.recipients) for m in received} == {(EMAIL,)}


def test_login_form_needs_its_csrf_pair(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    client = portal_app.test_client()
    response = client.post("/portal/login", data={"email": EMAIL})
    assert response.status_code == 403
    forged = client.post("/portal/login", data={"email": EMAIL, "csrf_token": "x.y.z"})
    assert forged.status_code == 403
    # A valid field without its cookie (another browser's token) fails too.
    token = csrf(client, "/portal/login", "login")
    stranger = portal_app.test_client()
    assert (
        stranger.post("/portal/login", data={"email": EMAIL, "csrf_token": token}).status_code
        == 403
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PortalLoginToken)) == 0
    assert mailbox.settle(0.3) == []


def test_link_confirmation_needs_csrf_and_is_not_spent_by_a_forged_post(
    portal_app: Flask, customer: Customer
) -> None:
    token, _ = links.issue(EMAIL)
    client = portal_app.test_client()
    assert client.post("/portal/login/confirm", data={"token": token}).status_code == 403
    assert client.get("/portal/data").status_code == 302
    # Opening the link (GET) does not spend it either: mail scanners fetch links.
    client.get(f"/portal/login/{token}")
    client.get(f"/portal/login/{token}")
    assert use_link(client, token) == 302


def test_signed_in_posts_need_the_sessions_csrf_token(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    seed_customer(portal_app, OTHER_EMAIL, external_id="9002", name="Ole Berg")
    client, other = portal_app.test_client(), portal_app.test_client()
    login(client, mailbox, EMAIL)
    other_token = login(other, mailbox, OTHER_EMAIL)
    url = f"/portal/consents/{customer.consent_id}/withdraw"
    for data in ({}, {"csrf_token": ""}, {"csrf_token": "0" * 64}, {"csrf_token": other_token}):
        response = client.post(url, data=data)
        assert response.status_code == 403
        assert "expired" in response.get_data(as_text=True) or "udløbet" in response.get_data(
            as_text=True
        )
    for path in ("/portal/requests/export", "/portal/requests/erasure", "/portal/logout"):
        assert client.post(path, data={"csrf_token": other_token}).status_code == 403
    assert db.session.get(Consent, customer.consent_id).withdrawn_at is None  # type: ignore[union-attr]
    assert (
        db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action.in_(["consent_withdrawn", "export"]))
        ).all()
        == []
    )


def _limited(make_app: Callable[..., Flask], settings: dict[str, Any], **limits: int) -> Flask:
    app = make_app(portal_rate_limits=limits, **settings)
    return app


def test_per_address_limit_is_the_same_for_known_and_unknown_addresses(
    make_app: Callable[..., Flask], portal_settings: dict[str, Any], mailbox: Mailbox
) -> None:
    app = _limited(make_app, portal_settings, per_address=3, per_ip=100)
    with app.app_context():
        seed_customer(app)
        client = app.test_client()
        for email in (EMAIL, UNKNOWN_EMAIL):
            assert [ask_link(client, email) for _ in range(3)] == [200, 200, 200]
            token = csrf(client, "/portal/login", "login")
            response = client.post("/portal/login", data={"email": email, "csrf_token": token})
            assert response.status_code == 429
            assert 0 < int(response.headers["Retry-After"]) <= 900
            assert response.mimetype == "text/html"
        # Case and spaces do not make a new address: the blind index is of the normal form.
        assert ask_link(client, "  KAREN.Holm@Example.DK ") == 429
        token = csrf(client, "/portal/login", "login")
        response = client.post(
            "/portal/login",
            data={"email": EMAIL, "csrf_token": token},
            headers={"Accept": "application/json"},
        )
        assert response.status_code == 429
        assert response.get_json()["error"]["code"] == "rate_limited"
        assert "Retry-After" in response.headers
        assert len(mailbox.wait_for(3)) == 3


def test_per_ip_limits_on_asking_and_on_using_links(
    make_app: Callable[..., Flask], portal_settings: dict[str, Any]
) -> None:
    app = _limited(make_app, portal_settings, per_address=100, per_ip=4, confirm_per_ip=2)
    with app.app_context():
        client = app.test_client()
        answers = [ask_link(client, f"person{n}@example.dk") for n in range(5)]
        assert answers == [200, 200, 200, 200, 429]
        # Another client address is counted on its own.
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
        assert ask_link(other, "x@example.dk") == 200
        assert [use_link(client, "guess" + str(n)) for n in range(3)] == [400, 400, 429]


def test_oversized_and_malformed_login_input(portal_app: Flask, customer: Customer) -> None:
    client = portal_app.test_client()
    for email in ("", "no-at-sign", "a b@example.dk", "x" * 250 + "@example.dk"):
        assert ask_link(client, email) == 422
    assert client.get("/portal/login/" + "a" * 200).status_code == 404
    big = client.post("/portal/login", data={"email": "x" * (2 * 1024 * 1024)})
    assert big.status_code == 413
