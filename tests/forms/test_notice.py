"""Every form carries its Art. 13 notice, generated from the manifest, in Danish and English.

A DPO walking through the forms found no notice at all (issue 19): a person must be told at
collection who the controller and DPO are, each purpose with its legal basis and retention,
who receives the data, the rights and how to complain, in words and not manifest codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from flask import Flask

from plugin.config import ROOT
from tests.agents.helpers import custom_manifest
from tests.forms.conftest import Vendor

# Manifest codes a reader must never see (legal bases, retention starts and actions,
# purpose and category codes).
CODES = (
    "legal_obligation",
    "legitimate_interests",
    "consent_withdrawn",
    "last_activity",
    "delete_ticket",
    "anonymise_ticket",
    "anonymise_contact",
    "delete_contact",
    "allowed_categories",
    "_",
)


def _notice(app: Flask, form: str, lang: str) -> str:
    page = app.test_client().get(f"/forms/{form}?lang={lang}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    section = html[html.index('id="dv-notice"') :]
    section = section[: section.index("</section>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section.split(">", 1)[1]))


@pytest.mark.parametrize("form", ["contact", "newsletter"])
def test_each_form_shows_the_article_13_notice_in_danish_and_english(
    forms_app: Callable[..., Flask], freshdesk_vendor: Vendor, form: str
) -> None:
    app = forms_app(freshdesk_vendor)
    with app.app_context():
        da = _notice(app, form, "da")
        en = _notice(app, form, "en")
    # 13(1)(a)-(b): controller and DPO.
    for text in (da, en):
        assert "Demo Kundeservice A/S" in text and "Eksempelvej 1, 8000 Aarhus C" in text
        assert "13585628" in text and "dpo@example.com" in text and "+45 70 00 00 00" in text
        # 13(1)(e)-(f): the helpdesk that receives it, and the transfer outside the EEA.
        assert "Freshworks Inc." in text and "EU-US Data Privacy Framework" in text
        assert "Datatilsynet" in text and "www.datatilsynet.dk" in text
        assert "https://example.com/privacy" in page_links(app, form)
        for code in CODES:
            assert code not in text, (code, text)
    assert "Sådan behandler vi dine oplysninger" in da and "Dataansvarlig:" in da
    assert "Databeskyttelsesrådgiver" in da and "How we process your information" in en
    assert "ret til indsigt" in da and "right to access" in en
    assert "Mine sider" in da and "My pages" in en
    assert "ingen automatiske afgørelser" in da and "no automated decisions" in en
    if form == "contact":
        # 13(1)(c) and 13(2)(a): support on contract, kept 365 days; Art. 9 only by consent;
        # the marketing box on consent, anonymised 30 days after withdrawal.
        assert "Kundeservice. Retsgrundlag: det er nødvendigt for at besvare" in da
        assert "art. 6, stk. 1, litra b" in da
        assert "365 dage efter, at sagen er afsluttet; derefter slettes sagen" in da
        assert "følsomme oplysninger dog højst 30 dage" in da
        assert "udtrykkelige samtykke (art. 9, stk. 2, litra a" in da
        assert "Customer support. Legal basis: it is necessary to answer" in en
        assert "365 days after the case is closed; then the case is deleted" in en
        assert "explicit consent (Art. 9(2)(a) GDPR)" in en
    assert "Nyhedsbrev og tilbud. Retsgrundlag: dit samtykke (art. 6, stk. 1, litra a" in da
    assert "30 dage efter, at du har trukket samtykket tilbage" in da
    assert "Newsletter and offers. Legal basis: your consent (Art. 6(1)(a) GDPR)" in en
    assert "anonymised" in en and "trække tilbage" in da and "withdraw a consent" in en
    assert "support" not in da.lower() and "marketing" not in da.lower()


def page_links(app: Flask, form: str) -> str:
    """The page's notice section as HTML (for its links)."""
    with app.app_context():
        html = app.test_client().get(f"/forms/{form}?lang=da").get_data(as_text=True)
    return html[html.index('id="dv-notice"') :]


def test_the_notice_follows_the_manifest(
    forms_app: Callable[..., Flask], freshdesk_vendor: Vendor, tmp_path: Path
) -> None:
    data = yaml.safe_load((ROOT / "manifest.yaml").read_text(encoding="utf-8"))
    purposes = data["purposes"]
    purposes["support"]["retention"]["days"] = 90
    purposes["support"]["legal_basis"] = "legitimate_interests"
    controller = dict(data["controller"], name="Anden Butik ApS")
    recipients = dict(data["recipients"])
    recipients["freshdesk"] = dict(recipients["freshdesk"], country="IE")
    path = custom_manifest(
        tmp_path, purposes=purposes, controller=controller, recipients=recipients
    )
    app = forms_app(freshdesk_vendor, manifest=path)
    with app.app_context():
        da = _notice(app, "contact", "da")
        en = _notice(app, "contact", "en")
    assert "Anden Butik ApS" in da and "Demo Kundeservice A/S" not in da
    assert "90 dage efter, at sagen er afsluttet" in da and "365 dage" not in da
    assert "vores legitime interesse (art. 6, stk. 1, litra f, GDPR); du kan gøre indsigelse" in da
    assert "our legitimate interests (Art. 6(1)(f) GDPR); you may object" in en
    # Inside the EEA: the country named (phonenumbers' names: "Ireland" in both), no
    # transfer claimed.
    assert "databehandler i Ireland" in da and "in Ireland" in en and "EU-US" not in da
