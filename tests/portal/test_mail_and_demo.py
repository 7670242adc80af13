"""SMTP settings checked at start-up, delivery over real SMTP, and the demo login hook."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from plugin.config import ConfigError
from plugin.mail import MailError, get_mailer
from plugin.portal.demo import login_url
from tests.portal.helpers import use_link
from tests.portal.mailbox import Mailbox, free_port
from tests.portal.seeding import EMAIL, UNKNOWN_EMAIL, seed_customer


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"smtp_host": "mail.example.com"}, "DATAVAGT_SMTP_FROM"),
        ({"smtp_port": "abc"}, "DATAVAGT_SMTP_PORT"),
        ({"smtp_port": 70000}, "DATAVAGT_SMTP_PORT"),
        ({"smtp_starttls": "maybe"}, "DATAVAGT_SMTP_STARTTLS"),
        (
            {"smtp_host": "m", "smtp_from": "a@b.dk", "smtp_user": "u", "smtp_password": "p"},
            "DATAVAGT_SMTP_STARTTLS",
        ),
    ],
)
def test_bad_smtp_settings_stop_start_up(
    make_app: Callable[..., Flask], settings: dict[str, object], named: str
) -> None:
    with pytest.raises(ConfigError, match=named):
        make_app(sync=False, **settings)


def test_mail_is_plain_text_from_the_configured_sender(portal_app: Flask, mailbox: Mailbox) -> None:
    get_mailer().send("someone@example.dk", "Emne", "Hej\nLinje to æøå")
    mail = mailbox.wait_for(1)[0]
    assert mail.message["From"] == "minesider@example.com"
    assert mail.message["Auto-Submitted"] == "auto-generated"
    assert mail.message.get_content_type() == "text/plain"
    assert "Linje to æøå" in mail.text


def test_unreachable_server_is_a_mail_error_naming_no_address(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_from="a@example.com")
    with app.app_context(), pytest.raises(MailError) as caught:
        get_mailer().send(EMAIL, "x", "y")
    assert EMAIL not in str(caught.value)


def test_mail_off_without_a_host(app: Flask) -> None:
    assert not get_mailer().enabled
    assert get_mailer().send_later(EMAIL, "x", "y") is None
    with pytest.raises(MailError):
        get_mailer().send(EMAIL, "x", "y")


def test_demo_login_url_logs_in_without_smtp(app: Flask) -> None:
    seed_customer(app)
    url = login_url(app, "http://127.0.0.1:8000/", EMAIL)
    assert url.startswith("http://127.0.0.1:8000/portal/login/")
    assert EMAIL not in url
    assert use_link(app.test_client(), url.rsplit("/", 1)[1]) == 302
    with pytest.raises(LookupError):
        login_url(app, "http://127.0.0.1:8000", UNKNOWN_EMAIL)
