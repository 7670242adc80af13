"""My pages in chromium: magic link from a real SMTP server, data, consents, message, export."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Browser, expect

from plugin.consent.receipt import verify_receipt
from plugin.extensions import db
from plugin.models import AuditEvent, DataSubjectRequest, Ticket
from plugin.rights.signature import verify_document
from simulators.common.server import SimulatorServer
from tests.agents.helpers import bearer
from tests.browser.conftest import screenshot
from tests.portal.mailbox import Mailbox, SmtpServer
from tests.portal.seeding import CPR, EMAIL, Customer, seed_customer

pytestmark = pytest.mark.browser
MESSAGE = "Dit nye betalingskort er sendt til din adresse."


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """aiosmtpd on a free local port."""
    with SmtpServer(Mailbox()) as box:
        yield box


@pytest.fixture
def served(make_app: Callable[..., Flask], mailbox: Mailbox) -> Iterator[tuple[Flask, str]]:
    """The sidecar over real HTTP on 127.0.0.1, mailing through the local SMTP server."""
    app = make_app(smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_from="dpo@example.com")
    with app.app_context(), SimulatorServer(app) as server:
        yield app, server.url


def _events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_portal_end_to_end(
    browser: Browser, served: tuple[Flask, str], mailbox: Mailbox, tmp_path: Path
) -> None:
    app, live = served
    customer: Customer = seed_customer(app)
    sent = app.test_client().post(
        "/api/messages",
        json={"vendor": "freshdesk", "ticket_id": "9001", "body": MESSAGE, "lang": "en"},
        headers=bearer(app, "agent", "agent-7"),
    )
    assert sent.status_code == 201
    notice = mailbox.wait_for(1)[0]
    assert MESSAGE not in notice.text and "/portal/messages" in notice.text

    context = browser.new_context(accept_downloads=True, locale="en-GB")
    page = context.new_page()
    page.goto(f"{live}/portal/")
    assert page.url.endswith("/portal/login")
    page.fill("#email", EMAIL)
    page.click("#login button")
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    assert EMAIL not in page.url

    link = mailbox.wait_for(2)[-1]
    assert link.recipients == [EMAIL]
    page.goto(f"{live}/portal/login/{link.token}")
    page.click("#confirm button")
    page.wait_for_url(f"{live}/portal/data")
    cookie = next(c for c in context.cookies() if c["name"] == "dv_portal")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/portal"
    assert "dv_portal=" not in page.evaluate("document.cookie")

    # My data: the purpose, retention date and the masked value; the clear one on request.
    case = page.locator('[data-case="freshdesk:9001"]')
    expect(case).to_contain_text("[CPR ••••••-••34]")
    expect(case.locator(".due")).to_have_text(_due(customer))
    expect(case.locator(".value")).to_be_hidden()
    case.locator("summary").click()
    expect(case.locator(".value")).to_have_text(CPR)
    screenshot(page, "portal-data")

    # My consents: the exact wording; withdraw it and download the withdrawal receipt.
    page.click("#nav-consents")
    consent = page.locator(f'[data-consent="{customer.consent_id}"]')
    expect(consent.locator("blockquote.wording").first).to_be_visible()
    consent.locator("button.withdraw").click()
    expect(page.locator("#notice")).to_contain_text("withdrawn")
    assert _events("consent_withdrawn")[-1].source == "portal"
    with page.expect_download() as download:
        page.locator(f'[data-consent="{customer.consent_id}"] a.receipt-withdrawn').click()
    receipt = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    body = verify_receipt(app.extensions["datavagt.keyring"], receipt["receipt"])
    assert body["consentStatus"] == "withdrawn"
    screenshot(page, "portal-consents")

    # Secure messages: the agent's message, readable only here.
    expect(page.locator("#nav-messages .badge")).to_have_text("1")
    page.click("#nav-messages")
    expect(page.locator(".message.out .body")).to_have_text(MESSAGE)
    page.fill(".message.out textarea", "Tak for beskeden.")
    page.click(".message.out form.reply button")
    expect(page.locator("#notice")).to_be_visible()
    expect(page.locator(".message.in .body")).to_have_text("Tak for beskeden.")
    screenshot(page, "portal-messages")

    # My requests: ask for the export and download it; it verifies against our keys.
    page.click("#nav-requests")
    with page.expect_download() as download:
        page.click("#export")
    saved = tmp_path / "export.json"
    download.value.save_as(saved)
    document = verify_document(
        json.loads(saved.read_text(encoding="utf-8")), app.extensions["datavagt.keyring"]
    )
    assert document["subject_id"] == customer.subject_id
    page.reload()
    expect(page.locator('#requests tr[data-kind="access"]')).to_have_attribute(
        "data-status", "completed"
    )
    db.session.expire_all()
    assert db.session.scalars(sa.select(DataSubjectRequest)).one().channel == "portal"
    assert _events("export")[-1].actor_id == f"subject:{customer.subject_id}"

    # Danish on request; logging out ends the session.
    page.goto(f"{live}/portal/requests?lang=da")
    expect(page.locator("h1")).to_have_text("Dine anmodninger")
    screenshot(page, "portal-requests-da")
    page.click("#logout")
    page.goto(f"{live}/portal/data")
    assert page.url.endswith("/portal/login")
    context.close()


def _due(customer: Customer) -> str:
    ticket = db.session.get(Ticket, customer.ticket_id)
    assert ticket is not None and ticket.retention_due_at is not None
    return ticket.retention_due_at.date().isoformat()
