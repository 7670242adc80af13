"""Record of processing (Art. 30): every manifest purpose, recipients, measures, live counts."""

from __future__ import annotations

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.models import DataSubject, Finding, Ticket
from tests.agents.helpers import bearer


def _seed() -> None:
    subject = DataSubject()
    db.session.add(subject)
    db.session.flush()
    ticket = Ticket(vendor="hubspot", external_id="7", subject_id=subject.id, purpose="complaint")
    db.session.add(ticket)
    db.session.flush()
    for category, over in (("contact", False), ("special", True)):
        db.session.add(
            Finding(
                ticket_id=ticket.id,
                subject_id=subject.id,
                field="content",
                type="x",
                category=category,
                start=0,
                end=1,
                score=1.0,
                detector="t",
                masked="[X]",
                over_collection=over,
            )
        )
    db.session.commit()


def test_json_lists_every_purpose_and_live_counts(app: Flask) -> None:
    _seed()
    response = app.test_client().get("/api/ropa", headers=bearer(app, "dpo"))
    assert response.status_code == 200
    record = response.get_json()
    manifest = app.extensions["datavagt.manifest"]
    assert [a["code"] for a in record["activities"]] == list(manifest.purposes)
    complaint = next(a for a in record["activities"] if a["code"] == "complaint")
    assert complaint["legal_basis"] == "legal_obligation" and complaint["tickets"] == 1
    assert complaint["retention"] == {"days": 1095, "from": "closed", "action": "delete_ticket"}
    assert record["controller"]["name"] == manifest.data["controller"]["name"]
    assert {r["vendor"] for r in record["recipients"]} == {"freshdesk", "hubspot", "dynamics"}
    assert {r["vendor"]: r["in_use"] for r in record["recipients"]}["hubspot"] is True
    assert all(t["mechanism"] for t in record["transfers"])
    assert record["security_measures"] == manifest.data["security_measures"]
    assert record["live"]["subjects"] == 1
    assert record["live"]["findings_per_category"] == {"contact": 1, "special": 1}
    assert record["live"]["over_collection_findings"] == 1


@pytest.mark.parametrize(("fmt", "mimetype"), [("html", "text/html"), ("md", "text/markdown")])
def test_rendered(app: Flask, fmt: str, mimetype: str) -> None:
    response = app.test_client().get(f"/api/ropa?format={fmt}", headers=bearer(app, "admin"))
    assert response.status_code == 200 and response.mimetype == mimetype
    text = response.get_data(as_text=True)
    for spec in app.extensions["datavagt.manifest"].purposes.values():
        assert spec["name"] in text


def test_auth_and_query(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/api/ropa").status_code == 401
    assert client.get("/api/ropa", headers=bearer(app, "team_lead")).status_code == 403
    assert client.get("/api/ropa?format=pdf", headers=bearer(app, "dpo")).status_code == 422
