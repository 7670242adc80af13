"""A person fills the contact form in chromium: ticket, vault entry and consent appear."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from playwright.sync_api import Page, expect

from plugin.extensions import db
from plugin.models import Consent, ConsentText, Ticket, VaultItem
from plugin.vault import get_vault
from simulators.common.server import SimulatorServer
from tests.browser.conftest import screenshot
from tests.forms.conftest import Vendor, _start

pytestmark = pytest.mark.browser


@pytest.fixture
def freshdesk() -> Iterator[Vendor]:
    """A Freshdesk simulator over real HTTP."""
    sim, settings = _start("freshdesk")
    try:
        yield Vendor("freshdesk", sim, settings)
    finally:
        sim.stop()


@pytest.fixture
def served(make_app: Callable[..., Flask], freshdesk: Vendor) -> Iterator[tuple[Flask, str]]:
    """The sidecar wired to the simulator, served over HTTP from a thread."""
    app = make_app(freshdesk=freshdesk.settings)
    server = SimulatorServer(app).start()
    try:
        yield app, server.url
    finally:
        server.stop()


def test_contact_form_in_chromium(served: tuple[Flask, str], freshdesk: Vendor, page: Page) -> None:
    app, url = served
    page.goto(f"{url}/forms/contact?lang=da")
    expect(page.get_by_role("heading", name="Kontakt kundeservice")).to_be_visible()
    page.get_by_role("textbox", name="Navn").fill("Mette Sørensen")
    page.get_by_role("textbox", name="E-mail").fill("not an address")
    page.get_by_role("combobox", name="Emne").select_option("delivery")
    page.get_by_role("textbox", name="Besked").fill(
        "Jeg har astma, og pakken med min medicin er ikke kommet."
    )
    marketing = page.get_by_role("checkbox", name="nyhedsbreve og tilbud")
    marketing.check()
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#dv-email-error")).to_have_text("Tjek venligst værdien.")
    screenshot(page, "forms-contact-invalid-email")

    page.get_by_role("textbox", name="E-mail").fill("mette@example.dk")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#dv-thanks")).to_be_visible()
    reference = page.locator("#dv-reference").inner_text()
    assert reference.startswith("DV-")
    screenshot(page, "forms-contact-thanks")

    [vendor_ticket] = freshdesk.tickets()
    assert "Mette" not in vendor_ticket["body"] and "mette@example.dk" not in repr(
        freshdesk.sim.contacts
    )
    with app.app_context():
        ticket = db.session.scalars(sa.select(Ticket)).one()
        assert ticket.external_id == vendor_ticket["id"] and f"DV-{ticket.id}" == reference
        items = db.session.scalars(sa.select(VaultItem).where(VaultItem.ticket_id == ticket.id))
        originals = {get_vault().decrypt(item) for item in items}
        assert {"Mette Sørensen", "mette@example.dk"} <= originals
        [consent] = db.session.scalars(sa.select(Consent)).all()
        text = db.session.get(ConsentText, consent.consent_text_id)
        assert (text.purpose, text.language, consent.channel) == ("marketing", "da", "form")
        assert consent.subject_id == ticket.subject_id
        assert consent.evidence["user_agent"] and len(consent.evidence["ip_hash"]) == 64


def test_english_page_and_required_consent(served: tuple[Flask, str], page: Page) -> None:
    _app, url = served
    page.goto(f"{url}/forms/newsletter?lang=en")
    expect(page.get_by_role("heading", name="Sign up for the newsletter")).to_be_visible()
    page.get_by_role("textbox", name="E-mail").fill("reader@example.com")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#dv-form-error")).to_have_text("Please tick the required consent.")
    page.get_by_role("checkbox", name="newsletters and offers").check()
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#dv-thanks")).to_be_visible()
    screenshot(page, "forms-newsletter-thanks")
