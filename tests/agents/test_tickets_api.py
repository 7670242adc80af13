"""GET /api/tickets/<vendor>/<id> and POST .../reveal: contract, audit, refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import Ticket
from plugin.rights.restrictions import restrict
from plugin.vault import get_vault
from tests.agents.helpers import bearer, custom_manifest, events
from tests.agents.seeding import SAMPLES, seed_ticket

URL = "/api/tickets/freshdesk/1001"


def test_view_is_audited_once_with_finding_ids_and_no_values(app: Flask) -> None:
    seeded = seed_ticket()
    response = app.test_client().get(URL, headers=bearer(app, "team_lead", agent="lead-7"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["ticket"] == {
        "vendor": "freshdesk",
        "id": "1001",
        "status": "open",
        "closed_at": None,
    }
    assert body["purpose"] == {
        "code": "support",
        "name": "Customer support",
        "legal_basis": "contract",
    }
    assert body["retention"]["rule"]["days"] == 365
    assert body["consent"] == {"status": "none"}
    codes = {w["code"]: w for w in body["warnings"]}
    assert codes["special_category"]["explicit_consent"] is False
    # support does not need financial or special data: flagged as over-collection.
    assert codes["over_collection"]["categories"] == ["financial", "special"]
    (view,) = events("view")
    assert view.actor_id == "lead-7" and view.actor_role == "team_lead"
    assert view.ticket_ref == "freshdesk:1001" and view.subject_id == seeded.subject_id
    assert sorted(view.details["findings"]) == sorted(seeded.findings.values())
    stored = json.dumps(view.details) + (view.reason or "")
    for _, value, _ in SAMPLES.values():
        assert value not in stored


def test_reveal_needs_a_reason_of_five_characters(app: Flask) -> None:
    seeded = seed_ticket()
    body = {"field": "description", "finding": seeded.findings["contact"], "reason": " ok  "}
    response = app.test_client().post(
        URL + "/reveal", json=body, headers=bearer(app, "senior_agent")
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "reason_required"
    assert events("reveal") == [] and events("reveal_denied") == []


def test_clear_level_reveals_without_reason(app: Flask) -> None:
    seeded = seed_ticket()
    body = {"field": "description", "finding": seeded.findings["identity"]}
    response = app.test_client().post(URL + "/reveal", json=body, headers=bearer(app, "team_lead"))
    assert response.status_code == 200 and response.get_json()["value"] == "010190-1234"
    assert response.headers["Cache-Control"] == "no-store"
    assert events("reveal")[0].reason is None


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/tickets/freshdesk/9999/reveal", {"field": "description", "finding": 1}, 404),
        ("/api/tickets/zendesk/1001/reveal", {"field": "description", "finding": 1}, 404),
        (URL + "/reveal", {"field": "subject", "finding": "FIRST"}, 422),
        (URL + "/reveal", {"field": "subject", "finding": 1, "extra": 1}, 422),
        (URL + "/reveal", {"finding": 1}, 422),
        (URL + "/reveal", {"field": "x", "finding": 1, "reason": "r" * 501}, 422),
    ],
)
def test_reveal_refuses_wrong_shapes(app: Flask, path: str, body: dict, status: int) -> None:
    seed_ticket()
    response = app.test_client().post(path, json=body, headers=bearer(app, "dpo"))
    assert response.status_code == status
    assert set(response.get_json()["error"]) >= {"code", "message"}


def test_reveal_of_a_finding_on_another_ticket_or_field_is_not_found(app: Flask) -> None:
    seed_ticket()
    other = seed_ticket(external_id="2002")
    client = app.test_client()
    for body in (
        {"field": "description", "finding": other.findings["contact"]},
        {"field": "subject", "finding": other.findings["contact"]},
    ):
        response = client.post(
            "/api/tickets/freshdesk/1001/reveal", json=body, headers=bearer(app, "dpo")
        )
        assert response.status_code == 404


def test_malformed_and_oversized_bodies(app: Flask) -> None:
    seed_ticket()
    client = app.test_client()
    headers = bearer(app, "dpo")
    response = client.post(
        URL + "/reveal", data="{nope", headers=headers, content_type="application/json"
    )
    assert response.status_code == 400
    big = json.dumps({"field": "description", "finding": 1, "reason": "x" * 20000})
    response = client.post(
        URL + "/reveal", data=big, headers=headers, content_type="application/json"
    )
    assert response.status_code == 413


@pytest.mark.parametrize("method", ["get", "post"])
def test_unauthenticated_is_401(app: Flask, method: str) -> None:
    seed_ticket()
    client = app.test_client()
    path = URL if method == "get" else URL + "/reveal"
    for headers in ({}, {"Authorization": "Bearer not.a.jwt"}, {"Authorization": "Basic eDp5"}):
        response = getattr(client, method)(path, headers=headers, json={})
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
    assert events("view") == []


def test_role_outside_the_agent_hierarchy_is_403(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    from plugin.config import ROOT
    from plugin.manifest import load_manifest

    roles = load_manifest(ROOT / "manifest.yaml").data["roles"]
    roles["reporting"] = {"name": "Reporting", "implies": []}
    app = make_app(manifest=custom_manifest(tmp_path, roles=roles))
    with app.app_context():
        seed_ticket()
        client = app.test_client()
        assert client.get(URL, headers=bearer(app, "reporting")).status_code == 403
        response = client.post(
            URL + "/reveal",
            json={"field": "description", "finding": 1},
            headers=bearer(app, "reporting"),
        )
        assert response.status_code == 403
        assert events("view") == [] and events("reveal") == []


def test_unknown_ticket_and_vendor_and_bad_ids_are_404(app: Flask) -> None:
    client = app.test_client()
    headers = bearer(app, "agent")
    for path in (
        "/api/tickets/freshdesk/1",
        "/api/tickets/zendesk/1",
        "/api/tickets/freshdesk/a%20b",
    ):
        assert client.get(path, headers=headers).status_code == 404
    assert events("view") == []


def test_erased_subject_shows_erased_and_cannot_be_revealed(app: Flask) -> None:
    seeded = seed_ticket()
    get_vault().shred(seeded.subject_id)
    db.session.commit()
    client = app.test_client()
    body = client.get(URL, headers=bearer(app, "team_lead")).get_json()
    identity = [f for f in body["fields"][0]["findings"] if f["category"] == "identity"][0]
    assert identity["display"] == "[erased]"
    response = client.post(
        URL + "/reveal",
        json={"field": "description", "finding": seeded.findings["identity"]},
        headers=bearer(app, "team_lead"),
    )
    assert response.status_code == 410


@pytest.mark.parametrize("purpose", [None, "support"])
def test_restricted_subject_is_masked_and_reveal_denied(app: Flask, purpose: str | None) -> None:
    seeded = seed_ticket()
    restrict(seeded.subject_id, "restriction", "accuracy contested", Actor("dpo-1", "dpo"), purpose)
    client = app.test_client()
    body = client.get(URL, headers=bearer(app, "team_lead")).get_json()
    assert body["restricted"] is True
    assert {f["level"] for f in body["fields"][0]["findings"]} <= {"hidden", "masked"}
    response = client.post(
        URL + "/reveal",
        json={"field": "description", "finding": seeded.findings["identity"], "reason": "need it"},
        headers=bearer(app, "team_lead"),
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "processing_restricted"


def test_deleted_ticket_is_not_found(app: Flask) -> None:
    seed_ticket()
    from plugin.models.types import utcnow

    ticket = db.session.query(Ticket).one()
    ticket.deleted_at = utcnow()
    db.session.commit()
    assert app.test_client().get(URL, headers=bearer(app, "dpo")).status_code == 404


def test_restriction_for_another_purpose_does_not_mask(app: Flask) -> None:
    seeded = seed_ticket()
    restrict(seeded.subject_id, "restriction", "no marketing", Actor("dpo-1", "dpo"), "marketing")
    body = app.test_client().get(URL, headers=bearer(app, "team_lead")).get_json()
    assert body["restricted"] is False
