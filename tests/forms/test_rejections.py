"""What a form refuses: undeclared or oversized fields, bad CSRF proofs, floods, bad ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from plugin.extensions import db
from plugin.forms import csrf
from plugin.models import Consent, Ticket
from tests.forms.conftest import Vendor
from tests.forms.helpers import CONTACT, load, post


@pytest.fixture
def client(forms_app: Callable[..., Flask], freshdesk_vendor: Vendor) -> Any:
    """A client of an app wired to Freshdesk, inside its app context."""
    app = forms_app(freshdesk_vendor)
    with app.app_context():
        yield app.test_client()


def _nothing_stored() -> bool:
    tickets = db.session.scalar(sa.select(sa.func.count()).select_from(Ticket))
    consents = db.session.scalar(sa.select(sa.func.count()).select_from(Consent))
    return tickets == 0 and consents == 0


def test_undeclared_field_rejected_by_name(client: FlaskClient) -> None:
    response = post(client, values={**CONTACT, "cpr_number": "010190-1234"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["details"]["fields"] == {"cpr_number": "unknown_field"}
    assert "cpr_number" in error["message"] and "010190" not in str(error)
    assert _nothing_stored()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("message", "x" * 4001, "too_long"),
        ("name", "y" * 121, "too_long"),
        ("email", "not-an-address", "invalid"),
        ("phone", "12", "invalid"),
        ("topic", "lottery", "invalid"),
        ("name", "two\nlines", "invalid"),
        ("email", "", "required"),
    ],
)
def test_field_validation(client: FlaskClient, field: str, value: str, code: str) -> None:
    response = post(client, values={**CONTACT, field: value})
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["fields"] == {field: code}
    assert _nothing_stored()


def test_repeated_field_rejected(client: FlaskClient) -> None:
    response = post(client, values={**CONTACT, "name": ["A", "B"]})
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["fields"] == {"name": "invalid"}


def test_body_over_request_limit(client: FlaskClient) -> None:
    response = post(client, values={**CONTACT, "message": "z" * (1024 * 1024 + 1)})
    assert response.status_code == 413 and response.get_json()["error"]["code"]


def test_csrf_missing_cookie(client: FlaskClient) -> None:
    page = load(client)
    client.delete_cookie(csrf.COOKIE, path="/forms")
    response = post(client, page=page)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf_failed"
    assert _nothing_stored()


def test_csrf_missing_or_forged_field(client: FlaskClient) -> None:
    page = load(client)
    assert post(client, page={**page, "csrf_token": ""}).status_code == 403
    forged = page["csrf_token"][:-3] + ("AAA" if not page["csrf_token"].endswith("AAA") else "BBB")
    assert post(client, page={**page, "csrf_token": forged}).status_code == 403
    assert _nothing_stored()


def test_csrf_token_of_another_form_or_session(client: FlaskClient) -> None:
    newsletter = load(client, "newsletter")
    response = post(client, page={**load(client), "csrf_token": newsletter["csrf_token"]})
    assert response.status_code == 403
    first = load(client)
    load(client)  # a second page view replaces the cookie: the first page's token no longer pairs
    assert post(client, page=first).status_code == 403


def test_rate_limit_per_ip_hash(forms_app: Callable[..., Flask], freshdesk_vendor: Vendor) -> None:
    app = forms_app(freshdesk_vendor, forms_rate_limit=2)
    with app.app_context():
        client = app.test_client()
        page = load(client)
        statuses = [post(client, page=page, values={"x": "1"}).status_code for _ in range(3)]
        assert statuses == [422, 422, 429]
        limited = post(client, page=page)
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        other = client.post("/forms/contact", data={}, environ_base={"REMOTE_ADDR": "192.0.2.7"})
        assert other.status_code == 403  # another client is not limited (fails CSRF instead)


@pytest.mark.parametrize(
    ("shown", "given", "code"),
    [
        (["999999"], [], "unknown_consent_text"),
        (None, ["999999"], "consent_not_shown"),
        (["abc"], [], "validation_failed"),
    ],
)
def test_consent_ids(
    client: FlaskClient, shown: list[str] | None, given: list[str], code: str
) -> None:
    page = load(client)
    data = {**CONTACT, "csrf_token": page["csrf_token"], "consent_given": given}
    data["consent_shown"] = shown if shown is not None else [str(i) for i in page["shown"]]
    response = client.post("/forms/contact", data=data)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == code
    assert _nothing_stored()


def test_text_of_a_purpose_the_form_does_not_show(client: FlaskClient) -> None:
    contact = load(client)
    newsletter = load(client, "newsletter")
    # The contact form's explicit health-consent text is no wording the newsletter shows.
    foreign = sorted(set(contact["shown"]) - set(newsletter["shown"]))
    assert foreign
    response = post(
        client, "newsletter", {"email": "a@example.dk"}, page={**newsletter, "shown": foreign}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "unknown_consent_text"


def test_unknown_form(client: FlaskClient) -> None:
    assert client.get("/forms/nope").status_code == 404
    assert client.post("/forms/nope", data={}).status_code == 404


def test_page_headers_and_languages(client: FlaskClient) -> None:
    page = client.get("/forms/contact?lang=en")
    html = page.get_data(as_text=True)
    assert 'lang="en"' in html and "Contact customer service" in html
    assert "I explicitly consent" in html
    assert "frame-ancestors 'self'" in page.headers["Content-Security-Policy"]
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    danish = client.get("/forms/contact", headers={"Accept-Language": "da-DK,da;q=0.9"})
    assert "Kontakt kundeservice" in danish.get_data(as_text=True)
