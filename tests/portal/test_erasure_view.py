"""My pages, before an erasure: what it deletes, what the law makes us keep, why and until
when, in Danish and English (the same rows the console shows)."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask

from plugin.extensions import db
from plugin.keys.epochs import JOB_SLACK
from plugin.models import Ticket
from plugin.models.types import utcnow
from tests.portal.helpers import login
from tests.portal.mailbox import Mailbox
from tests.portal.seeding import EMAIL, Customer


def _visible(html: str) -> str:
    section = html[html.index('id="erasure-truth"') :]
    section = section[: section.index("</section>")]
    return re.sub(r"<[^>]+>", " ", section.split(">", 1)[1])


def test_requests_page_shows_kept_cases_why_and_until_in_both_languages(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    closed = utcnow() - timedelta(days=5)
    kept = Ticket(
        vendor="freshdesk",
        external_id="9002",
        subject_id=customer.subject_id,
        purpose="complaint",
        status="closed",
        closed_at=closed,
        retention_due_at=closed + timedelta(days=1095),
    )
    db.session.add(kept)
    db.session.commit()
    until = kept.retention_due_at.date().isoformat()
    backups = (utcnow() + timedelta(days=36) + JOB_SLACK).date().isoformat()  # any hour
    client = portal_app.test_client()
    login(client, mailbox, EMAIL)

    da = _visible(client.get("/portal/requests?lang=da").text)
    assert "Vi sletter ikke alt" in da and "Sager, vi skal opbevare: freshdesk" in da
    assert until in da and "litra e" in da and "Forældelsesloven § 3" in da
    assert "Sikkerhedskopier af databasen" in da and backups in da
    assert "Revisionsspor" in da and "Datavagts krypterede boks" in da
    en = _visible(client.get("/portal/requests?lang=en").text)
    assert "the law requires us to keep these cases" in en
    assert "Kept until" in en and until in en and "Art. 17(3)(e)" in en
    assert "Database backups" in en and backups in en
    for code in ("kept_cases", "legal_claims", "audit_trail", "pending_expiry", "remains"):
        assert code not in da and code not in en  # words, never internal codes


def test_without_kept_cases_nothing_is_claimed_to_be_kept(
    portal_app: Flask, customer: Customer, mailbox: Mailbox
) -> None:
    client = portal_app.test_client()
    login(client, mailbox, EMAIL)
    en = _visible(client.get("/portal/requests?lang=en").text)
    assert "Cases we must keep" not in en and "the law requires us" not in en
    assert "Case system freshdesk: the case itself (1)" in en
