"""Helpers for driving a form like a browser does: load the page, post what it shows."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient

CONTACT = {
    "name": "Jens Hansen",
    "email": "jens.hansen@example.dk",
    "phone": "+45 20 30 40 50",
    "topic": "delivery",
    "message": "Mit CPR er 010190-1234 og jeg har diabetes, så pakken med insulin haster.",
}


def load(client: FlaskClient, form: str = "contact", lang: str = "da") -> dict[str, Any]:
    """GET the page; returns its CSRF token and the consent text ids it shows by purpose."""
    page = client.get(f"/forms/{form}?lang={lang}")
    assert page.status_code == 200, page.data[:200]
    html = page.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert token is not None
    shown = [int(v) for v in re.findall(r'name="consent_shown" value="(\d+)"', html)]
    return {"csrf_token": token.group(1), "shown": shown, "html": html}


def post(
    client: FlaskClient,
    form: str = "contact",
    values: dict[str, Any] | None = None,
    *,
    page: dict[str, Any] | None = None,
    given: list[int] | None = None,
    **extra: Any,
) -> Any:
    """POST like the page does (form-encoded), with the shown and ticked consent ids."""
    page = page or load(client, form)
    data: dict[str, Any] = {"csrf_token": page["csrf_token"], "lang": "da"}
    data.update(CONTACT if values is None else values)
    data["consent_shown"] = [str(i) for i in page["shown"]]
    data["consent_given"] = [str(i) for i in (given or [])]
    data.update(extra)
    return client.post(f"/forms/{form}", data=data, headers={"Accept": "application/json"})
