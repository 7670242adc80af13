"""The processor register in chromium: seeded entries, gaps named in Danish, a review."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page

from tests.browser.conftest import screenshot
from tests.browser.test_admin_oversight import _login

pytestmark = pytest.mark.browser


def test_register_and_review_in_danish(page: Page, live_server: str, app: Flask) -> None:
    _login(page, live_server, app)
    page.click("nav >> text=Processors")
    page.wait_for_url(f"{live_server}/admin/processors")
    page.click("a[lang=da]")
    assert page.locator("h1").inner_text() == "Databehandlere og underdatabehandlere (art. 28)"
    freshdesk = page.locator("#processor-freshdesk")
    assert "Tilstrækkelighedsafgørelse" in freshdesk.inner_text()
    assert "gennemgang forfalden" in freshdesk.locator(".gaps").inner_text()
    freshdesk.locator("button").click()
    assert page.locator("p.flash").inner_text() == "Gennemgang registreret"
    assert "gennemgang forfalden" not in page.locator("#processor-freshdesk .gaps").inner_text()
    screenshot(page, "admin-processors-da")
