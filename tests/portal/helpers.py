"""Portal test helpers: CSRF tokens off pages, the whole magic-link login."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.portal.mailbox import Mailbox

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(
    client: FlaskClient, path: str, form: str | None = None, base_url: str = "http://localhost"
) -> str:
    """The CSRF token the page at ``path`` carries (in the form with id ``form``)."""
    html = client.get(path, base_url=base_url).get_data(as_text=True)
    if form is not None:
        html = html.split(f'id="{form}"', 1)[1]
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def ask_link(
    client: FlaskClient, email: str, base_url: str = "http://localhost", **headers: str
) -> int:
    """Submit the login form (to ``base_url``, as the Host the request names)."""
    token = csrf(client, "/portal/login", "login", base_url)
    response = client.post(
        "/portal/login",
        data={"email": email, "csrf_token": token},
        base_url=base_url,
        headers=headers,
    )
    response.close()  # as a WSGI server does once the answer is sent: the mail goes then
    return response.status_code


def use_link(client: FlaskClient, token: str) -> int:
    """Open the link and press the button; returns the status of the POST."""
    form_token = csrf(client, f"/portal/login/{token}", "confirm")
    return client.post(
        "/portal/login/confirm", data={"token": token, "csrf_token": form_token}
    ).status_code


def login(client: FlaskClient, mailbox: Mailbox, email: str) -> str:
    """Log in through a mailed link; returns the session's CSRF token."""
    before = len(mailbox.received)
    assert ask_link(client, email) == 200
    mail = mailbox.wait_for(before + 1)[-1]
    assert use_link(client, mail.token) == 302
    return csrf(client, "/portal/requests")
