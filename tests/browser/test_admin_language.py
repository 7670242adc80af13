"""The console's language switch in chromium: Danish and English, remembered (issue #22)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from plugin.auth.tokens import issue_token
from simulators.common.server import SimulatorServer
from tests.admin.raw_codes import raw_codes_in
from tests.browser.conftest import screenshot
from tests.rights.conftest import person, sims, vendor_app
from tests.rights.seeding import CPR, Person

__all__ = ["person", "sims", "vendor_app"]
pytestmark = pytest.mark.browser


@pytest.fixture
def live(vendor_app: Flask, person: Person) -> Iterator[str]:
    """The sidecar over real HTTP on a free port."""
    with SimulatorServer(vendor_app) as server:
        yield server.url


def test_switch_is_remembered_and_reveal_asks_a_reason(
    browser: Browser, live: str, vendor_app: Flask, person: Person
) -> None:
    page = browser.new_page(locale="en-GB")
    page.goto(f"{live}/")
    expect(page.locator("h1")).to_have_text("Datavagt")
    page.click("#to-console")
    token = issue_token(vendor_app.extensions["datavagt.keyring"], agent="dpo-anne", role="dpo")
    page.fill("textarea[name=token]", token)
    page.click("button:has-text('Sign in')")
    page.click("#switch-da")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    page.click("nav >> text=Personer")  # a link without ?lang= keeps Danish
    expect(page.locator("h1")).to_have_text("Find en person")
    page.goto(f"{live}/admin/subjects/{person.subject_id}")  # a fresh load keeps it too
    expect(page.locator("h2", has_text="Hvilke medarbejdere har set dem")).to_have_count(1)
    body = page.content()
    assert CPR not in body and raw_codes_in(body) == []
    screenshot(page, "console-subject-da")
    row = page.locator(f'tr[data-finding="{person.findings["freshdesk"]["cpr"]}"]')
    row.locator("input[name=reason]").fill("Kunden bad om indsigt")
    row.locator("button", has_text="Vis").click()
    expect(page.locator("span.revealed")).to_have_text(CPR)
    expect(page.locator(".flash.ok")).to_contain_text("logget i revisionsloggen")
    page.click("#switch-en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.click("nav >> text=Audit trail")
    expect(page.locator("#audit")).to_contain_text("Revealed a value")
    assert raw_codes_in(page.content()) == []
    screenshot(page, "console-audit-en")
    page.close()
