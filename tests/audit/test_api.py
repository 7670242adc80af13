"""``GET /api/audit`` and ``/api/audit/alerts``: filters, CSV, pages, auth and bad input."""

from __future__ import annotations

import csv
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from plugin.audit import actions, record
from plugin.auth import Actor, issue_token
from plugin.extensions import db
from tests.audit.helpers import AGENT, seed


def _auth(app: Flask, role: str = "dpo") -> dict[str, str]:
    token = issue_token(app.extensions["datavagt.keyring"], agent=f"{role}-1", role=role)
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("role", ["dpo", "admin"])
def test_dpo_and_admin_read_newest_first(app: Flask, client: FlaskClient, role: str) -> None:
    seed(5)
    body = client.get("/api/audit", headers=_auth(app, role)).get_json()
    assert [e["seq"] for e in body["events"]] == [5, 4, 3, 2, 1]
    assert body["next"] is None
    assert body["events"][0]["agent"] == "agent-1" and body["events"][0]["vendor_user"] == "hs-42"


def test_filters(app: Flask, client: FlaskClient) -> None:
    seed(6)
    other = Actor(id="agent-2", role="agent")
    record(actions.REVEAL, actor=other, subject_id="s-9", field="email", reason="callback")
    db.session.commit()
    headers = _auth(app)

    def seqs(query: str) -> list[int]:
        response = client.get(f"/api/audit?{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return [e["seq"] for e in response.get_json()["events"]]

    assert seqs("subject=s-0") == [4, 1]
    assert seqs("agent=agent-2") == [7]
    assert seqs("ticket=hubspot:2") == [3]
    assert seqs("action=reveal") == [7]
    assert seqs("since=2000-01-01T00:00:00Z&until=2001-01-01T00:00:00Z") == []
    assert seqs("since=2000-01-01T00:00:00") == [7, 6, 5, 4, 3, 2, 1]


def test_cursor_pages_cover_everything_once(app: Flask, client: FlaskClient) -> None:
    seed(7)
    url, seen = "/api/audit?per_page=3", []
    while url:
        body = client.get(url, headers=_auth(app)).get_json()
        seen += [e["seq"] for e in body["events"]]
        url = body["next"]
    assert seen == [7, 6, 5, 4, 3, 2, 1]


@pytest.mark.parametrize("how", ["query", "accept"])
def test_csv(app: Flask, client: FlaskClient, how: str) -> None:
    seed(2)
    record(actions.REVEAL, actor=AGENT, reason="=HYPERLINK(evil)")
    db.session.commit()
    headers = _auth(app)
    if how == "accept":
        response = client.get("/api/audit", headers={**headers, "Accept": "text/csv"})
    else:
        response = client.get("/api/audit?format=csv", headers=headers)
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["seq"] for r in rows] == ["3", "2", "1"]
    assert rows[0]["reason"] == "'=HYPERLINK(evil)"  # no formula injection


def test_csv_page_has_next_link(app: Flask, client: FlaskClient) -> None:
    seed(3)
    response = client.get("/api/audit?format=csv&per_page=2", headers=_auth(app))
    assert 'rel="next"' in response.headers["Link"] and "cursor=2" in response.headers["Link"]


@pytest.mark.parametrize("path", ["/api/audit", "/api/audit/alerts"])
def test_unauthenticated(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorized"
    bad = client.get(path, headers={"Authorization": "Bearer not.a.token"})
    assert bad.status_code == 401


@pytest.mark.parametrize("path", ["/api/audit", "/api/audit/alerts"])
@pytest.mark.parametrize("role", ["agent", "team_lead"])
def test_unauthorised_roles(app: Flask, client: FlaskClient, path: str, role: str) -> None:
    response = client.get(path, headers=_auth(app, role))
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(
    "query",
    [
        "per_page=501",
        "per_page=0",
        "per_page=x",
        "action=peek",
        "since=yesterday",
        "since=2024-01-02T00:00:00Z&until=2024-01-01T00:00:00Z",
        "format=xml",
        "cursor=-1",
        "unknown=1",
        "subject=" + "x" * 37,
    ],
)
def test_bad_filters_422(app: Flask, client: FlaskClient, query: str) -> None:
    response = client.get(f"/api/audit?{query}", headers=_auth(app))
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_failed"


@pytest.mark.parametrize("path", ["/api/audit", "/api/audit/alerts"])
def test_oversized_query_414(app: Flask, client: FlaskClient, path: str) -> None:
    response = client.get(f"{path}?agent={'a' * 3000}", headers=_auth(app))
    assert response.status_code == 414
    assert response.get_json()["error"]["code"] == "query_too_long"
    assert "aaaa" not in response.get_data(as_text=True)


def test_alerts_flag_bulk_revealers(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    with app.app_context():
        app.extensions["datavagt.manifest"].data["audit"]["bulk_reveal_per_hour"] = 5
        seed(6, actor=AGENT, action=actions.REVEAL)  # over the limit
        seed(5, actor=Actor(id="agent-2", role="agent"), action=actions.REVEAL)  # at the limit
        seed(9, actor=Actor(id="agent-3", role="agent"), action=actions.VIEW)  # views only
        client = app.test_client()
        body = client.get("/api/audit/alerts", headers=_auth(app)).get_json()
        assert [(a["agent"], a["count"], a["limit"]) for a in body["alerts"]] == [("agent-1", 6, 5)]
        assert body["alerts"][0]["window_start"] <= body["alerts"][0]["window_end"]
        past = client.get(
            "/api/audit/alerts?until=2001-01-01T00:00:00Z", headers=_auth(app)
        ).get_json()
        assert past["alerts"] == []
        assert client.get("/api/audit/alerts?since=x", headers=_auth(app)).status_code == 422


def test_openapi_documents_audit_routes(client: FlaskClient) -> None:
    paths = client.get("/openapi.json").get_json()["paths"]
    assert "/api/audit" in paths and "/api/audit/alerts" in paths
