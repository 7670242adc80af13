"""Console helpers: sign in with a pasted token, read the CSRF token off a page."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from plugin.auth.tokens import issue_token

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: FlaskClient, path: str = "/admin/login") -> str:
    """The CSRF token the page at ``path`` carries."""
    match = _CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(app: Flask, client: FlaskClient, role: str = "dpo", agent: str = "dpo-anne") -> str:
    """Log in through the form; returns the session's CSRF token."""
    token = issue_token(app.extensions["datavagt.keyring"], agent=agent, role=role)
    response = client.post("/admin/login", data={"token": token, "csrf_token": csrf(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return csrf(client, "/admin/requests")
