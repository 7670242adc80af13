"""In chromium: a customer answers a secure message, downloads the Danish export page and the
portable CSV; the page holds the message text and the Art. 15(1)(a)-(h) headings and verifies."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from plugin.rights.signature import verify_page
from simulators.common.server import SimulatorServer
from tests.agents.helpers import bearer
from tests.browser.conftest import screenshot
from tests.portal.mailbox import Mailbox, SmtpServer
from tests.portal.seeding import EMAIL, seed_customer

pytestmark = pytest.mark.browser
FROM_US = "Vi har brug for dit ordrenummer for at finde pakken."
FROM_YOU = "Ordrenummeret er 88231, pakken skulle komme i tirsdags."
HEADINGS = (
    "(a) Hvorfor vi behandler dine oplysninger: formål og retsgrundlag",
    "(b) Hvilke slags personoplysninger",
    "(c) Hvem de er delt med: modtagere og vores leverandører",
    "(d) Hvor længe vi opbevarer dem",
    "(e) Dine rettigheder: berigtigelse, sletning, begrænsning og indsigelse",
    "(f) Din ret til at klage",
    "(g) Hvor oplysningerne kommer fra",
    "(h) Automatiske afgørelser",
)


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with SmtpServer(Mailbox()) as box:
        yield box


@pytest.fixture
def served(make_app: Callable[..., Flask], mailbox: Mailbox) -> Iterator[tuple[Flask, str]]:
    app = make_app(smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_from="dpo@example.com")
    with app.app_context(), SimulatorServer(app) as server:
        yield app, server.url


def test_customer_downloads_the_danish_export_with_the_message(
    browser: Browser, served: tuple[Flask, str], mailbox: Mailbox, tmp_path: Path
) -> None:
    app, live = served
    seed_customer(app)
    sent = app.test_client().post(
        "/api/messages",
        json={"vendor": "freshdesk", "ticket_id": "9001", "body": FROM_US, "lang": "da"},
        headers=bearer(app, "agent", "agent-7"),
    )
    assert sent.status_code == 201
    mailbox.wait_for(1)

    context = browser.new_context(accept_downloads=True, locale="da-DK")
    page = context.new_page()
    page.goto(f"{live}/portal/login")
    page.fill("#email", EMAIL)
    page.click("#login button")
    link = mailbox.wait_for(2)[-1]
    page.goto(f"{live}/portal/login/{link.token}")
    page.click("#confirm button")
    page.wait_for_url(f"{live}/portal/data")

    page.click("#nav-messages")
    page.fill(".message.out textarea", FROM_YOU)
    page.click(".message.out form.reply button")
    expect(page.locator(".message.in .body")).to_have_text(FROM_YOU)

    page.click("#nav-requests")
    with page.expect_download() as download:
        page.click("#export-html")
    saved = tmp_path / "mine-data.html"
    download.value.save_as(saved)
    html = saved.read_bytes().decode("utf-8")
    assert verify_page(html, app.extensions["datavagt.keyring"])["lang"] == "da"

    page.goto(saved.as_uri())
    expect(page.locator("html")).to_have_attribute("lang", "da")
    messages = page.locator(".message blockquote")
    expect(messages).to_have_text([FROM_US, FROM_YOU])
    for heading in HEADINGS:
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("agent-7")
    screenshot(page, "portal-export-da")

    page.goto(f"{live}/portal/requests")
    with page.expect_download() as download:
        page.click("#portability-csv")
    portable = tmp_path / "portable.csv"
    download.value.save_as(portable)
    rows = portable.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "kind,at,field,type,value,case"
    assert any(FROM_YOU in row for row in rows) and not any(FROM_US in row for row in rows)
    context.close()
