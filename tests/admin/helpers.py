"""Console helpers: sign in with a pasted token, read the CSRF token off a page."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from plugin.auth.tokens import issue_token
from plugin.extensions import db
from plugin.models import DataSubject, Finding, OutboxJob, Ticket
from plugin.models.types import utcnow

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: FlaskClient, path: str = "/admin/login") -> str:
    """The CSRF token the page at ``path`` carries."""
    match = _CSRF.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(app: Flask, client: FlaskClient, role: str = "dpo", agent: str = "dpo-anne") -> str:
    """Log in through the form; returns the session's CSRF token."""
    token = issue_token(app.extensions["datavagt.keyring"], agent=agent, role=role)
    response = client.post("/admin/login", data={"token": token, "csrf_token": csrf(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return csrf(client, "/admin/requests")


def seed_oversight() -> dict[str, int]:
    """An overdue ticket with special-category data (no Art. 9 basis) and one dead job."""
    subject = DataSubject()
    db.session.add(subject)
    db.session.flush()
    closed = utcnow() - timedelta(days=400)
    ticket = Ticket(
        vendor="freshdesk",
        external_id="4711",
        subject_id=subject.id,
        purpose="support",
        status="closed",
        closed_at=closed,
        vendor_created_at=closed - timedelta(days=1),
    )
    ticket.findings.append(
        Finding(
            field="description",
            type="health",
            category="special",
            start=0,
            end=6,
            score=1.0,
            detector="health",
            masked="[health]",
        )
    )
    db.session.add(ticket)
    db.session.flush()
    job = OutboxJob(
        dedupe_key="test:dead:1",
        kind="erase_contact",
        vendor="hubspot",
        target="1001",
        subject_id=subject.id,
        reason="erasure",
        params={},
        status="dead",
        attempts=6,
        last_error="hubspot: POST /crm/v3/objects/contacts/gdpr-delete failed (HTTP 503)",
    )
    db.session.add(job)
    db.session.commit()
    return {"ticket": ticket.id, "job": job.id}
