"""Console login: token in, HttpOnly SameSite=Strict cookie out; CSRF on every POST."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask, session
from flask.sessions import NullSession

from plugin.admin.session import session_secret
from plugin.auth.tokens import issue_token
from tests.admin.helpers import csrf, sign_in
from tests.agents.helpers import events

PAGES = [
    "/admin/",
    "/admin/requests",
    "/admin/subjects",
    "/admin/erasure",
    "/admin/audit",
    "/admin/compliance",
    "/admin/consents",
    "/admin/retention",
    "/admin/ropa",
]


def test_cookie_flags_and_login_audited(app: Flask) -> None:
    client = app.test_client()
    sign_in(app, client)
    cookie = client.get_cookie("datavagt_admin", path="/admin")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    assert not cookie.secure  # plain http in this test
    (login,) = events("login")
    assert login.actor_id == "dpo-anne"


def test_cookie_secure_over_https(app: Flask) -> None:
    client = app.test_client()
    token = issue_token(app.extensions["datavagt.keyring"], agent="a", role="admin")
    page = client.get("/admin/login", base_url="https://localhost")
    value = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        "/admin/login", data={"token": token, "csrf_token": value}, base_url="https://localhost"
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_secret_derived_from_keyring(app: Flask) -> None:
    secret = session_secret(app.extensions["datavagt.keyring"])
    assert app.secret_key == secret and len(secret) == 32
    assert secret != app.extensions["datavagt.keyring"].index_key


@pytest.mark.parametrize("page", PAGES)
def test_pages_need_login(app: Flask, page: str) -> None:
    response = app.test_client().get(page)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/login")


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_signed_in(app: Flask, page: str) -> None:
    client = app.test_client()
    sign_in(app, client)
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("role", "ttl", "expected"), [("agent", 60, 401), ("team_lead", 60, 401), ("dpo", 60, 302)]
)
def test_only_dpo_and_admin(app: Flask, role: str, ttl: int, expected: int) -> None:
    client = app.test_client()
    token = issue_token(
        app.extensions["datavagt.keyring"], agent="x", role=role, ttl=timedelta(seconds=ttl)
    )
    response = client.post("/admin/login", data={"token": token, "csrf_token": csrf(client)})
    assert response.status_code == expected


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "x" * 5000])
def test_bad_tokens_401(app: Flask, token: str) -> None:
    client = app.test_client()
    response = client.post("/admin/login", data={"token": token, "csrf_token": csrf(client)})
    assert response.status_code == 401
    assert client.get("/admin/requests").status_code == 302


def test_login_without_csrf_400(app: Flask) -> None:
    client = app.test_client()
    token = issue_token(app.extensions["datavagt.keyring"], agent="a", role="dpo")
    assert client.post("/admin/login", data={"token": token}).status_code == 400
    client.get("/admin/login")
    assert client.post("/admin/login", data={"token": token, "csrf_token": "x"}).status_code == 400


def test_post_without_csrf_400_and_oversized_413(make_app) -> None:  # noqa: ANN001
    app = make_app(max_request_bytes=4096)
    with app.app_context():
        client = app.test_client()
        sign_in(app, client)
        assert client.post("/admin/requests", data={"action": "create"}).status_code == 400
        big = client.post("/admin/requests", data={"kind": "x" * 8192})
        assert big.status_code == 413


def test_logout(app: Flask) -> None:
    client = app.test_client()
    token = sign_in(app, client)
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/admin/requests").status_code == 302


def test_session_only_under_admin(app: Flask) -> None:
    """Other routes (webhooks, APIs) never open the console's cookie, even when it is sent."""
    app.add_url_rule("/probe", "probe", lambda: {"null": isinstance(session, NullSession)})
    client = app.test_client()
    sign_in(app, client)
    probe = client.get("/probe")
    assert probe.json == {"null": True} and "Set-Cookie" not in probe.headers
    assert client.get("/admin/requests").status_code == 200  # still signed in there
