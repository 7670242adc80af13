"""The admin console in chromium: login, lookup, export download, requests queue.

Uses the shared ``browser`` fixture of tests/browser/conftest.py; the sidecar here has the
three vendor simulators configured, so it is served by this module's ``live`` fixture.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page

from plugin.auth.tokens import issue_token
from plugin.rights.signature import verify_document
from simulators.common.server import SimulatorServer
from tests.rights.conftest import person, sims, vendor_app
from tests.rights.seeding import EMAIL, Person

__all__ = ["person", "sims", "vendor_app"]
pytestmark = pytest.mark.browser


@pytest.fixture
def live(vendor_app: Flask, person: Person) -> Iterator[str]:
    """The sidecar over real HTTP on a free port."""
    with SimulatorServer(vendor_app) as server:
        yield server.url


def _login(page: Page, live: str, app: Flask) -> None:
    token = issue_token(app.extensions["datavagt.keyring"], agent="dpo-anne", role="dpo")
    page.goto(f"{live}/admin/")
    assert page.url.endswith("/admin/login")
    page.fill("textarea[name=token]", token)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{live}/admin/requests")


def test_login_lookup_export(
    browser: Browser, live: str, vendor_app: Flask, person: Person, tmp_path: Path
) -> None:
    page = browser.new_page(accept_downloads=True)
    _login(page, live, vendor_app)
    cookie = next(c for c in page.context.cookies() if c["name"] == "datavagt_admin")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""  # invisible to scripts
    page.click("nav >> text=People")
    page.fill("#lookup input[name=email]", EMAIL)
    page.click("#lookup button")
    assert EMAIL not in page.url  # the identifier travelled in the POST body
    page.click("#results a:has-text('k•••@example.dk')")  # people by masked e-mail
    assert page.locator("h2", has_text="Which employees accessed it").count() == 1
    with page.expect_download() as info:
        page.click("#export-json")
    saved = tmp_path / "export.json"
    info.value.save_as(saved)
    envelope = json.loads(saved.read_text(encoding="utf-8"))
    jwks = json.loads(page.request.get(f"{live}/.well-known/jwks.json").text())
    assert verify_document(envelope, jwks)["subject_id"] == person.subject_id


def test_requests_queue(browser: Browser, live: str, vendor_app: Flask) -> None:
    page = browser.new_page()
    _login(page, live, vendor_app)
    page.select_option("#new-request select[name=kind]", "erasure")
    page.fill("#new-request input[name=received_on]", "2020-01-01")
    page.click("#new-request button")
    row = page.locator("#requests tr.overdue")
    assert row.count() == 1 and "Erasure (Art. 17)" in row.inner_text()
    assert page.inner_text("#overdue-count") == "1"
    # The DPO reads the queue in Danish: deadline, days overdue, no extension any more.
    page.click("#lang-da")
    row = page.locator("#requests tr.overdue")
    text = row.inner_text()
    assert "Sletning (art. 17)" in text and "dage over fristen" in text
    assert "1. februar 2020" in text and "Kan ikke længere forlænges" in text
    assert row.locator("option[value=extend]").count() == 0
    row.locator("select[name=action]").select_option("complete")
    row.locator("input[name=reason]").fill("slettet")
    row.locator("button").click()
    page.wait_for_load_state()
    assert page.locator("#requests tr.overdue").count() == 0
    assert "Afsluttet" in page.inner_text("#requests")
