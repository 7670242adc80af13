"""Portal fixtures: a real SMTP server, an app that mails through it, a seeded customer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from tests.portal.mailbox import Mailbox, SmtpServer
from tests.portal.seeding import Customer, seed_customer

PUBLIC_URL = "http://portal.test"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """aiosmtpd on a free local port."""
    with SmtpServer(Mailbox()) as box:
        yield box


@pytest.fixture
def portal_settings(mailbox: Mailbox) -> dict[str, Any]:
    """Settings sending mail to the local server, links to PUBLIC_URL."""
    return {
        "smtp_host": "127.0.0.1",
        "smtp_port": mailbox.port,
        "smtp_from": "minesider@example.com",
        "public_url": PUBLIC_URL,
    }


@pytest.fixture
def portal_app(make_app: Callable[..., Flask], portal_settings: dict[str, Any]) -> Iterator[Flask]:
    """An app that mails through the local SMTP server, inside an app context."""
    app = make_app(**portal_settings)
    with app.app_context():
        yield app


@pytest.fixture
def customer(portal_app: Flask) -> Customer:
    """The seeded, known customer."""
    return seed_customer(portal_app)
