"""Alerts in chromium: a team lead's 50 reveals in a minute, seen and acknowledged in Danish."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page

from plugin.alerts import service
from plugin.audit import record as audit_record
from plugin.audit.actions import REVEAL
from plugin.auth.guard import Actor
from plugin.extensions import db
from tests.browser.conftest import screenshot
from tests.browser.test_admin_oversight import _login

pytestmark = pytest.mark.browser


def test_bulk_reveal_alert_badge_and_acknowledge(page: Page, live_server: str, app: Flask) -> None:
    for _ in range(50):
        audit_record(REVEAL, actor=Actor(id="lead-1", role="team_lead"), field="phone", reason="x")
    db.session.commit()
    service.evaluate()  # what the alert_watch job does every minute
    db.session.commit()
    _login(page, live_server, app)
    assert page.locator("#alert-badge").inner_text() == "1"
    page.click("#nav-alerts")
    page.wait_for_url(f"{live_server}/admin/alerts")
    page.click("#lang-da")
    assert page.locator("#alerts h1").inner_text() == "Alarmer"
    row = page.locator("#alert-list tr[data-alert]")
    assert "lead-1 (Teamleder) viste 50 værdier inden for 1 minut" in row.inner_text()
    assert "Formodet sikkerhedsbrud" in row.inner_text()
    row.locator("button.ack").click()
    assert page.locator("p.flash").inner_text() == "Alarmen er kvitteret"
    assert page.locator("#alert-list tr[data-alert] td.status").inner_text().startswith("kvitteret")
    assert page.locator("#alert-badge").count() == 0
    screenshot(page, "admin-alerts-da")
    page.locator("#alert-list a", has_text="Formodet sikkerhedsbrud").click()
    assert page.locator("#breach-status").inner_text() == "formodet"
