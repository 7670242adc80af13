"""Compliance and retention pages of the admin console in chromium, with a dead-letter retry."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page

from plugin.auth.tokens import issue_token
from plugin.extensions import db
from plugin.models import OutboxJob
from tests.admin.helpers import seed_oversight
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _login(page: Page, live_server: str, app: Flask) -> None:
    token = issue_token(app.extensions["datavagt.keyring"], agent="dpo-anne", role="dpo")
    page.goto(f"{live_server}/admin/login")
    page.fill("textarea[name=token]", token)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{live_server}/admin/requests")


def test_compliance_page_tables(page: Page, live_server: str, app: Flask) -> None:
    seed_oversight()
    _login(page, live_server, app)
    page.click("nav >> text=Compliance")
    page.wait_for_url(f"{live_server}/admin/compliance")
    section = page.locator("#special-without-basis")
    assert section.locator("h2 .total").inner_text() == "1"
    row = section.locator("tr", has_text="freshdesk #4711")
    assert row.locator("td").all_inner_texts()[:3] == ["freshdesk #4711", "support", "1"]
    assert page.locator("pre").count() == 0  # readable tables, not a JSON dump
    assert page.locator("#after-withdrawal h2 .total").inner_text() == "0"
    screenshot(page, "admin-compliance")


def test_retention_preview_and_retry(page: Page, live_server: str, app: Flask) -> None:
    seeded = seed_oversight()
    _login(page, live_server, app)
    page.click("nav >> text=Retention")
    page.wait_for_url(f"{live_server}/admin/retention")
    preview = page.locator("#preview tr", has_text="freshdesk:4711")
    cells = preview.locator("td").all_inner_texts()
    assert cells[0] == "freshdesk:4711" and cells[1] == "support" and cells[4] == "delete ticket"
    dead = page.locator(f"#dead-letters tr[data-job='{seeded['job']}']")
    assert "HTTP 503" in dead.inner_text()
    screenshot(page, "admin-retention")
    dead.locator("button:has-text('Retry')").click()
    page.wait_for_url(f"{live_server}/admin/retention")
    assert f"Job {seeded['job']} queued again" in page.locator(".flash.ok").inner_text()
    assert page.locator(f"#dead-letters tr[data-job='{seeded['job']}']").count() == 0
    db.session.expire_all()
    job = db.session.get(OutboxJob, seeded["job"])
    assert (job.status, job.attempts) == ("pending", 0)
