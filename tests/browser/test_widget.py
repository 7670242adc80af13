"""The agent widget in Debian's chromium: masking per role, reveal, denial, i18n, embedding."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Locator, Page, expect

from plugin.agents.demo import widget_urls
from plugin.auth.guard import Actor
from plugin.rights.restrictions import restrict
from tests.access.test_matrix import CATEGORIES, EXPECTED, expected_display
from tests.agents.helpers import events
from tests.agents.seeding import SAMPLES, seed_ticket
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
CLI_DPO = Actor(id="dpo-anne", role="dpo", source="cli")


def open_widget(page: Page, app: Flask, base: str, role: str, lang: str | None = None) -> list[str]:
    """Load the widget for ``role``; returns console errors (CSP violations show up there)."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    url = widget_urls(app, base, "freshdesk", "1001", lang=lang)[role]
    page.goto(url)
    expect(page.locator("#status")).to_contain_text(re.compile("Loaded|Hentede"))
    return errors


def finding(page: Page, category: str) -> Locator:
    return page.locator(f'li.finding[data-category="{category}"]').first


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_sees_its_masking(page: Page, app: Flask, live_server: str, role: str) -> None:
    seed_ticket()
    errors = open_widget(page, app, live_server, role)
    assert "#token=" not in page.url  # the fragment is dropped once read
    for category, level in zip(CATEGORIES, EXPECTED[role], strict=True):
        item = finding(page, category)
        expect(item).to_have_attribute("data-level", level)
        expect(item.locator(".value")).to_have_text(expected_display(category, level))
        reveal = item.locator("button.reveal")
        # A button only where the API answers revealable: true (issue #22).
        expect(reveal).to_have_count(1 if level == "reveal_with_reason" else 0)
    expect(page.locator("#role")).to_contain_text(role)
    warnings = page.locator("#warning-list li")
    expect(warnings.locator('xpath=self::li[@data-code="special_category"]')).to_have_count(1)
    expect(page.locator('#warning-list li[data-code="over_collection"]')).to_contain_text(
        "Financial, Special category"
    )
    expect(page.locator('dd[data-item="purpose"]')).to_have_text("Customer support")
    expect(page.locator('dd[data-item="legal_basis"]')).to_have_text("Contract")
    expect(page.locator('dd[data-item="retention"]')).to_contain_text("365 days from closing")
    screenshot(page, f"widget-{role}")
    assert errors == []
    assert len(events("view")) == 1


def test_reveal_with_reason_works_and_is_audited(page: Page, app: Flask, live_server: str) -> None:
    seeded = seed_ticket()
    open_widget(page, app, live_server, "senior_agent")
    item = finding(page, "contact")
    # Keyboard only: focus the button, open the dialog, type, submit.
    item.locator("button.reveal").focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#reveal-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#reveal-reason")).to_be_focused()
    page.keyboard.type("abc")
    page.locator("#reveal-submit").press("Enter")
    expect(page.locator("#reveal-error")).to_contain_text("at least 5")
    page.locator("#reveal-reason").fill("Customer called about order 5521")
    screenshot(page, "widget-reveal-dialog")
    page.locator("#reveal-submit").press("Enter")
    expect(item.locator(".value")).to_have_text(SAMPLES["contact"][1])
    expect(page.locator("#status")).to_have_text("Value revealed. This access is logged.")
    screenshot(page, "widget-revealed")
    (event,) = events("reveal")
    assert event.reason == "Customer called about order 5521"
    assert event.details["finding"] == seeded.findings["contact"]
    assert event.actor_role == "senior_agent" and event.field == "description"


def test_denied_reveal_shows_a_clear_message(page: Page, app: Flask, live_server: str) -> None:
    # Masked values the role can never reveal carry no button (test_each_role_sees_its_masking);
    # a senior agent's reveal is refused when processing was restricted after the widget loaded.
    seeded = seed_ticket()
    open_widget(page, app, live_server, "senior_agent")
    expect(page.locator("section.field h3").first).to_have_text("Case text")
    with app.app_context():
        restrict(seeded.subject_id, "restriction", "Customer contests the data", CLI_DPO)
    finding(page, "contact").locator("button.reveal").click()
    expect(page.locator("#reveal-desc")).to_contain_text("in Case text")
    page.locator("#reveal-reason").fill("I would like to see it")
    page.locator("#reveal-submit").click()
    alert = page.locator("#alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("processing of this person's data is restricted")
    expect(finding(page, "contact").locator(".value")).not_to_have_text(SAMPLES["contact"][1])
    screenshot(page, "widget-denied")
    (denied,) = events("reveal_denied")
    assert denied.reason == "I would like to see it"
    assert events("reveal") == []


def test_escape_closes_the_dialog_and_returns_focus(
    page: Page, app: Flask, live_server: str
) -> None:
    seed_ticket()
    open_widget(page, app, live_server, "dpo")
    button = finding(page, "special").locator("button.reveal")
    button.click()
    expect(page.locator("#reveal-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#reveal-dialog")).to_be_hidden()
    expect(button).to_be_focused()


def test_danish(page: Page, app: Flask, live_server: str) -> None:
    seed_ticket()
    open_widget(page, app, live_server, "team_lead", lang="da")
    assert page.locator("html").get_attribute("lang") == "da"
    expect(page.locator("#title")).to_have_text("Personoplysninger i denne sag")
    expect(page.locator('dd[data-item="legal_basis"]')).to_have_text("Kontrakt")
    expect(page.locator('#warning-list li[data-code="special_category"]')).to_contain_text(
        "følsomme oplysninger"
    )
    screenshot(page, "widget-team_lead-da")


def test_expired_or_missing_token(page: Page, app: Flask, live_server: str) -> None:
    seed_ticket()
    page.goto(f"{live_server}/widget/?vendor=freshdesk&ticket=1001#token=a.b.c")
    expect(page.locator("#alert")).to_contain_text("Your session has expired")
    page.goto(f"{live_server}/widget/?vendor=freshdesk&ticket=1001")
    expect(page.locator("#status")).to_have_text("Waiting for sign-in from the helpdesk…")


def test_token_by_post_message_from_the_embedding_page(
    page: Page, app: Flask, live_server: str
) -> None:
    seed_ticket()
    token = widget_urls(app, live_server, "freshdesk", "1001")["team_lead"].split("#token=")[1]
    # A host page on the sidecar's origin without the widget's CSP (which forbids frames).
    page.goto(f"{live_server}/healthz")
    page.set_content(
        f'<iframe id="w" title="Datavagt" src="{live_server}/widget/?vendor=freshdesk&ticket=1001"'
        ' style="width:400px;height:800px"></iframe>'
    )
    frame = page.frame_locator("#w")
    expect(frame.locator("#status")).to_have_text("Waiting for sign-in from the helpdesk…")
    page.evaluate(
        "t => document.getElementById('w').contentWindow.postMessage("
        "{type: 'datavagt:token', token: t}, '*')",
        token,
    )
    expect(frame.locator('li.finding[data-category="identity"] .value')).to_have_text(
        SAMPLES["identity"][1]
    )
    screenshot(page, "widget-embedded-postmessage")
