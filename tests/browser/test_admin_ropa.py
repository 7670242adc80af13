"""The ROPA console page in chromium: Danish and English, save a signed version, download it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page

from plugin.ropa.versions import verify_document
from tests.browser.conftest import screenshot
from tests.browser.test_admin_oversight import _login

pytestmark = pytest.mark.browser


def test_ropa_da_en_save_download_diff(
    page: Page, live_server: str, app: Flask, tmp_path: Path
) -> None:
    _login(page, live_server, app)
    page.click("nav >> text=Records of processing")
    page.wait_for_url(f"{live_server}/admin/ropa")
    assert page.locator("#ropa-record h2", has_text="(a) Name and contact details").count() == 1
    page.click("#lang-da")
    page.wait_for_url(f"{live_server}/admin/ropa?lang=da")
    record = page.locator("#ropa-record")
    assert record.locator("h1").inner_text().startswith("Fortegnelse over behandlingsaktiviteter")
    assert (
        record.locator("#activity-complaint h2")
        .inner_text()
        .startswith("Behandlingsaktivitet: Klagebehandling")
    )
    assert "US" in record.locator("#recipient-freshdesk").inner_text()
    page.click("#ropa-save")
    assert "Version 1 gemt" in page.locator(".flash").inner_text()
    page.click("#ropa-save")
    with page.expect_download() as info:
        page.click("#ropa-version-1 a.json")
    saved = tmp_path / "ropa.json"
    info.value.save_as(saved)
    document = verify_document(json.loads(saved.read_text()), app.extensions["datavagt.keyring"])
    assert document["version"] == 1 and document["records"]["da"]["lang"] == "da"
    screenshot(page, "admin-ropa-da")
    page.click("#ropa-version-2 a.diff")
    assert page.locator("#ropa-diff h1").inner_text() == "Ændringer fra version 1 til version 2"
    page.click("#ropa-diff a")
    page.click("#lang-en")
    assert page.locator("#ropa-save").inner_text() == "Save signed version"
    assert page.locator("#ropa-versions tr").count() == 3  # header and two versions
