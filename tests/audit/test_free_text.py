"""Reasons bound for the audit trail are refused when they hold personal data.

Red team (issue 17): e-mails and CPR numbers typed into reveal and legal-hold reasons were
stored verbatim in audit events, kept five years and out of erasure's reach.
"""

from __future__ import annotations

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.models import AuditEvent, DataSubject, ProcessingRestriction
from tests.admin.helpers import sign_in
from tests.agents.helpers import bearer
from tests.agents.seeding import seed_ticket

PERSONAL = ["Kunden jens.hansen@example.dk ringede", "CPR 010190-1234 skal tjekkes"]


def _reasons_in_audit() -> list[str]:
    return [e.reason or "" for e in db.session.query(AuditEvent).all()]


@pytest.mark.parametrize("reason", PERSONAL)
def test_a_reveal_reason_with_personal_data_is_refused(app: Flask, reason: str) -> None:
    seeded = seed_ticket()
    body = {"field": "description", "finding": seeded.findings["contact"], "reason": reason}
    response = app.test_client().post(
        "/api/tickets/freshdesk/1001/reveal", json=body, headers=bearer(app, "senior_agent")
    )
    assert response.status_code == 422
    message = response.get_json()["error"]["details"]["fields"]["reason"][0]
    assert "Skriv ikke personoplysninger" in message and "Do not write personal data" in message
    assert "example.dk" not in message and "010190" not in message
    assert not any(reason in r for r in _reasons_in_audit())


@pytest.mark.parametrize("reason", PERSONAL)
def test_a_legal_hold_reason_with_personal_data_is_refused(app: Flask, reason: str) -> None:
    seed_ticket()
    response = app.test_client().post(
        "/api/retention/holds",
        json={"ticket": "freshdesk:1001", "reason": reason},
        headers=bearer(app, "dpo"),
    )
    assert response.status_code == 422
    assert not any(reason in r for r in _reasons_in_audit())


def test_a_case_reference_is_a_fine_reason(app: Flask) -> None:
    seed_ticket()
    response = app.test_client().post(
        "/api/retention/holds",
        json={"ticket": "freshdesk:1001", "reason": "Retssag 2026-17, advokatens brev"},
        headers=bearer(app, "dpo"),
    )
    assert response.status_code == 201


def test_the_console_refuses_a_personal_reason_with_a_message(app: Flask) -> None:
    subject = DataSubject()
    db.session.add(subject)
    db.session.commit()
    client = app.test_client()
    csrf = sign_in(app, client)
    response = client.post(
        f"/admin/subjects/{subject.id}/restrict",
        data={"csrf_token": csrf, "kind": "restriction", "reason": PERSONAL[0]},
        follow_redirects=True,
    )
    assert "Do not write personal data in the reason" in response.get_data(as_text=True)
    assert db.session.query(ProcessingRestriction).count() == 0
