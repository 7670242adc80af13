"""The breach register in chromium: record an incident in Danish, read the 72-hour draft."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page

from tests.browser.conftest import screenshot
from tests.browser.test_admin_oversight import _login
from tests.ropa.test_ropa import _seed

pytestmark = pytest.mark.browser


def test_record_breach_and_draft(page: Page, live_server: str, app: Flask) -> None:
    _seed()  # one live subject with health, contact and CPR findings
    _login(page, live_server, app)
    page.click("nav >> text=Breaches")
    page.wait_for_url(f"{live_server}/admin/breaches")
    assert page.locator("#breaches h1").inner_text() == "Breach register"
    page.click("#lang-da")
    assert page.locator("#breaches h1").inner_text() == "Register over sikkerhedsbrud"
    page.fill("#breach-form input[name=title]", "Mistet bærbar")
    page.check("#breach-form input[value=special]")
    page.check("#breach-form input[name=high_risk]")
    page.fill("#breach-form textarea[name=measures]", "Fjernsletning bestilt")
    page.click("#breach-submit")
    page.wait_for_selector("#breach")
    assert page.locator("#breach-status").inner_text() == "formodet"
    assert page.locator("#breach-subjects").inner_text() == "1"
    authority = page.locator("#draft-authority")
    assert "Udkast til anmeldelse" in authority.locator("h3").inner_text()
    assert "Omkring 1 registrerede" in authority.inner_text()
    assert "Fjernsletning bestilt" in page.locator("#draft-subjects").inner_text()
    page.click("button.status-confirmed")
    assert page.locator("#breach-status").inner_text() == "bekræftet"
    page.click("#send-subjects")  # Art. 34: the affected person's My pages
    assert page.locator("p.flash").inner_text() == "Sendt til 1 personer via Mine sider"
    assert page.locator("#subjects-notified").inner_text().startswith("Berørte underrettet")
    screenshot(page, "admin-breach-da")
    page.goto(f"{live_server}/admin/breaches?lang=en")
    assert (
        page.locator("#breach-list tr", has_text="Mistet bærbar").locator("td").nth(1).inner_text()
        == "confirmed"
    )
