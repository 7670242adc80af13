"""Magic-link login: single use, expiry, binding to the address, cookies, audit."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.models import AuditEvent, DataSubject, PortalLoginToken, PortalSession
from plugin.models.types import utcnow
from plugin.portal import links
from tests.portal.conftest import PUBLIC_URL
from tests.portal.helpers import ask_link, csrf, login, use_link
from tests.portal.mailbox import Mailbox
from tests.portal.seeding import CPR, EMAIL, OTHER_EMAIL, UNKNOWN_EMAIL, Customer, seed_customer


def test_known_address_gets_a_link_that_logs_in_once(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    client = portal_app.test_client()
    assert ask_link(client, EMAIL) == 200
    mail = mailbox.wait_for(1)[0]
    assert mail.recipients == [EMAIL]
    assert mail.text.count(f"{PUBLIC_URL}/portal/login/") == 1
    # The mail names nobody and holds nothing from the person's records.
    for value in ("Karen", "Holm", CPR, customer.subject_id):
        assert value not in mail.text and value not in str(mail.message)
    # Only the token's SHA-256 is stored; the link itself carries no personal data.
    row = db.session.scalars(sa.select(PortalLoginToken)).one()
    assert row.token_hash == hashlib.sha256(mail.token.encode()).hexdigest()
    assert mail.token not in str(row.__dict__)
    assert timedelta(minutes=14) < row.expires_at - row.created_at <= timedelta(minutes=15)

    response = client.post(
        "/portal/login/confirm",
        data={
            "token": mail.token,
            "csrf_token": csrf(client, f"/portal/login/{mail.token}", "confirm"),
        },
    )
    assert response.status_code == 302 and response.location.endswith("/portal/data")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("dv_portal="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/portal" in cookie
    assert "Secure" not in cookie  # plain http in this test; see the https test
    assert client.get("/portal/data").status_code == 200
    login_event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "login")
    ).one()
    assert login_event.subject_id == customer.subject_id
    assert login_event.actor_id == f"subject:{customer.subject_id}"
    assert login_event.details["console"] == "portal"

    # Used once: a second use, even from another browser, is refused.
    other = portal_app.test_client()
    assert use_link(other, mail.token) == 400
    assert other.get("/portal/data").status_code == 302


def test_expired_link_is_refused(portal_app: Flask, customer: Customer, mailbox: Mailbox) -> None:
    client = portal_app.test_client()
    ask_link(client, EMAIL)
    token = mailbox.wait_for(1)[0].token
    db.session.execute(
        sa.update(PortalLoginToken).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    db.session.commit()
    assert use_link(client, token) == 400
    assert client.get("/portal/data").status_code == 302


def test_link_logs_in_only_the_person_it_was_sent_to(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    other = seed_customer(portal_app, OTHER_EMAIL, external_id="9002", name="Ole Berg")
    first, second = portal_app.test_client(), portal_app.test_client()
    login(first, mailbox, EMAIL)
    login(second, mailbox, OTHER_EMAIL)
    sessions = {s.subject_id for s in db.session.scalars(sa.select(PortalSession))}
    assert sessions == {customer.subject_id, other.subject_id}
    assert "9001" in first.get("/portal/data").get_data(as_text=True)
    page = second.get("/portal/data").get_data(as_text=True)
    assert "9002" in page and "9001" not in page

    # A link made for an address nobody has logs nobody in; a tampered token neither.
    decoy, subject_id = links.issue(UNKNOWN_EMAIL)
    assert subject_id is None
    assert use_link(portal_app.test_client(), decoy) == 400
    token, _ = links.issue(EMAIL)
    assert (
        use_link(portal_app.test_client(), token[:-1] + ("A" if token[-1] != "A" else "B")) == 400
    )
    # When the address moves to another person (a split), the old link stops working.
    db.session.execute(
        sa.text(
            "UPDATE subject_identifiers SET subject_id = :other"
            " WHERE kind = 'email' AND subject_id = :me"
        ),
        {"other": other.subject_id, "me": customer.subject_id},
    )
    db.session.commit()
    assert use_link(portal_app.test_client(), token) == 400


def test_session_fixation_a_planted_id_never_becomes_a_session(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    client = portal_app.test_client()
    planted = "attacker-chosen-session-id"
    client.set_cookie("dv_portal", planted, path="/portal")
    login(client, mailbox, EMAIL)
    issued = client.get_cookie("dv_portal", path="/portal")
    assert issued is not None and issued.value != planted
    assert db.session.get(PortalSession, hashlib.sha256(planted.encode()).hexdigest()) is None
    attacker = portal_app.test_client()
    attacker.set_cookie("dv_portal", planted, path="/portal")
    assert attacker.get("/portal/data").status_code == 302

    # Logging in again in the same browser replaces the session: the old id is dead.
    old = issued.value
    login(client, mailbox, EMAIL)
    assert client.get_cookie("dv_portal", path="/portal").value != old  # type: ignore[union-attr]
    replay = portal_app.test_client()
    replay.set_cookie("dv_portal", old, path="/portal")
    assert replay.get("/portal/data").status_code == 302


def test_logout_revokes_the_session(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    client = portal_app.test_client()
    token = login(client, mailbox, EMAIL)
    session_id = client.get_cookie("dv_portal", path="/portal").value  # type: ignore[union-attr]
    assert client.post("/portal/logout", data={"csrf_token": token}).status_code == 302
    replay = portal_app.test_client()
    replay.set_cookie("dv_portal", session_id, path="/portal")
    assert replay.get("/portal/data").status_code == 302


def test_idle_and_expired_sessions_sign_out(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    client = portal_app.test_client()
    login(client, mailbox, EMAIL)
    db.session.execute(sa.update(PortalSession).values(last_seen_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    assert client.get("/portal/data").status_code == 302


def test_cookies_are_secure_on_https(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    client = portal_app.test_client()
    page = client.get("/portal/login", base_url="https://portal.test")
    assert all("Secure" in h for h in page.headers.getlist("Set-Cookie"))
    token, _ = links.issue(EMAIL)
    form = client.get(f"/portal/login/{token}", base_url="https://portal.test")
    field = form.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/portal/login/confirm",
        data={"token": token, "csrf_token": field},
        base_url="https://portal.test",
    )
    assert response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("dv_portal="))
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_link_ignores_a_forged_host_header(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    client = portal_app.test_client()
    assert ask_link(client, EMAIL, "http://evil.example") == 200
    assert f"{PUBLIC_URL}/portal/login/" in mailbox.wait_for(1)[0].text
    assert "evil.example" not in mailbox.received[0].text


def test_without_a_public_url_no_link_goes_to_a_foreign_host(
    make_app,
    mailbox: Mailbox,  # type: ignore[no-untyped-def]
) -> None:
    app = make_app(smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_from="a@example.com")
    with app.app_context():
        seed_customer(app)
        client = app.test_client()
        assert ask_link(client, EMAIL, "http://evil.example") == 200
        assert mailbox.settle(0.5) == []
        assert ask_link(client, EMAIL) == 200  # localhost: the request's own URL is fine
        assert "http://localhost/portal/login/" in mailbox.wait_for(1)[0].text


def test_personal_data_stays_out_of_logs(
    portal_app: Flask,
    customer: Customer,
    mailbox: Mailbox,
    caplog,  # type: ignore[no-untyped-def]
) -> None:
    caplog.set_level("DEBUG")
    client = portal_app.test_client()
    login(client, mailbox, EMAIL)
    client.get("/portal/data")
    ask_link(client, UNKNOWN_EMAIL)
    text = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    for value in (EMAIL, UNKNOWN_EMAIL, CPR, mailbox.received[0].token):
        assert value not in text


def test_erasing_the_person_ends_their_session(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    client = portal_app.test_client()
    login(client, mailbox, EMAIL)
    subject = db.session.get(DataSubject, customer.subject_id)
    assert subject is not None
    subject.erased_at = utcnow()
    db.session.commit()
    assert client.get("/portal/data").status_code == 302
    assert ask_link(client, EMAIL) == 200
    assert mailbox.settle(0.5)[1:] == []  # no link for an erased person
