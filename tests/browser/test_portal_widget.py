"""The widget's "send securely" form in chromium: draft check, then a secure message."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from plugin.agents.demo import widget_urls
from plugin.extensions import db
from plugin.messages.threads import messages_of
from plugin.models import SecureMessage
from simulators.common.server import SimulatorServer
from tests.browser.conftest import screenshot
from tests.portal.mailbox import Mailbox, SmtpServer
from tests.portal.seeding import CPR, EMAIL, seed_customer

pytestmark = pytest.mark.browser
DRAFT = f"Hej Karen, vi har rettet dit CPR-nummer til {CPR}."


@pytest.fixture
def served(make_app: Callable[..., Flask]) -> Iterator[tuple[Flask, str, Mailbox]]:
    """The sidecar on 127.0.0.1 mailing through a local SMTP server."""
    with SmtpServer(Mailbox()) as box:
        app = make_app(smtp_host="127.0.0.1", smtp_port=box.port, smtp_from="dpo@example.com")
        with app.app_context(), SimulatorServer(app) as server:
            yield app, server.url, box


def test_agent_checks_a_draft_and_sends_it_securely(
    page: Page, served: tuple[Flask, str, Mailbox]
) -> None:
    app, live, mailbox = served
    customer = seed_customer(app)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(widget_urls(app, live, "freshdesk", "9001", lang="en")["agent"])
    expect(page.locator("#status")).to_contain_text(re.compile("Loaded"))
    expect(page.locator("#secure")).to_be_visible()

    page.fill("#secure-text", DRAFT)
    page.click("#secure-check")
    # The outbound gate's own words (default mode: confirm), not internal codes.
    expect(page.locator("#secure-result")).to_contain_text("a CPR number")
    expect(page.locator("#secure-result")).to_contain_text("secure message on My pages")
    assert CPR not in page.locator("#secure-result").inner_text()
    page.click("#secure-send")
    expect(page.locator("#secure-result")).to_contain_text("Sent securely")
    expect(page.locator("#secure-text")).to_have_value("")
    screenshot(page, "widget-send-securely")

    db.session.expire_all()
    message = db.session.scalars(sa.select(SecureMessage)).one()
    assert message.subject_id == customer.subject_id and message.direction == "out"
    assert messages_of(customer.subject_id)[0]["body"] == DRAFT
    notice = mailbox.wait_for(1)[0]
    assert notice.recipients == [EMAIL] and CPR not in notice.text
    assert errors == []
