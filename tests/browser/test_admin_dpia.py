"""The DPIA workspace in chromium: a draft from the live inventory, assessed and signed off."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page

from tests.browser.conftest import screenshot
from tests.browser.test_admin_oversight import _login
from tests.ropa.test_ropa import _seed

pytestmark = pytest.mark.browser


def test_draft_assess_and_sign_off_in_danish(page: Page, live_server: str, app: Flask) -> None:
    _seed()  # one live subject with health, contact and CPR findings
    _login(page, live_server, app)
    page.click("nav >> text=Impact assessments")
    page.wait_for_url(f"{live_server}/admin/dpia")
    page.click("#lang-da")
    assert page.locator("#dpias h1").inner_text().startswith("Konsekvensanalyser")
    page.fill("#dpia-form input[name=title]", "Kundeservice med helbredsoplysninger")
    page.click("#dpia-create")
    page.wait_for_selector("#dpia")
    assert page.locator("#dpia-status").inner_text() == "udkast"
    assert page.locator("#dpia-required").inner_text().startswith("En konsekvensanalyse er")
    assert page.locator("#dpia-subjects").inner_text() == "1"
    assert page.locator("#dpia-special-share").inner_text() == "100.0 %"
    assert "vurdér restrisikoen" in page.locator("#dpia-missing").inner_text()
    rows = page.locator("#dpia-risks tr[data-risk]")
    for i in range(rows.count()):
        page.select_option(f"select[name=risk-{i}-residual]", "low")
    page.select_option("select[name=risk-0-residual]", "high")
    page.fill("#dpia-necessity", "Oplysningerne er nødvendige for at løse kundens sag.")
    page.fill("#dpia-advice", "Høringen af Datatilsynet forberedes.")
    page.click("#dpia-save")
    assert page.locator("#dpia-art36").is_visible()  # a high residual risk: Art. 36
    page.click("#dpia-sign-off")
    assert page.locator("#dpia-status").inner_text() == "godkendt"
    assert page.locator("#dpia-revise").is_visible()
    assert page.locator("#dpia-necessity").is_disabled()
    screenshot(page, "admin-dpia-da")
    page.goto(f"{live_server}/admin/dpia?lang=en")
    row = page.locator("#dpia-list tr", has_text="Kundeservice med helbredsoplysninger")
    assert row.locator("td").nth(1).inner_text() == "signed off"
