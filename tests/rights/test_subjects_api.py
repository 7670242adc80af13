"""Finding a person, merging and splitting identities, and every route's auth matrix."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.models import DataSubject
from plugin.subjects import find_or_create_subject
from plugin.vendors.contract import VendorContact
from tests.agents.helpers import bearer, events

ZERO = "00000000-0000-4000-8000-000000000000"
# (method, path, JSON body) of every rights route; {s} is a subject id.
ROUTES = [
    ("GET", "/api/subjects?email=a@example.dk", None),
    ("POST", "/api/subjects/search", {"email": "a@example.dk"}),
    ("GET", "/api/subjects/{s}", None),
    ("POST", "/api/subjects/merge", {"target_id": ZERO, "source_ids": [ZERO], "reason": "r"}),
    ("POST", "/api/subjects/{s}/split", {"merged_ids": [ZERO], "reason": "r"}),
    ("GET", "/api/subjects/{s}/export", None),
    ("POST", "/api/subjects/{s}/rectify", {"finding_id": 1, "new_value": "x", "reason": "r"}),
    ("POST", "/api/subjects/{s}/restrictions", {"kind": "restriction", "reason": "r"}),
    ("POST", "/api/restrictions/1/lift", {"reason": "r"}),
    ("GET", "/api/requests", None),
    ("POST", "/api/requests", {"kind": "access"}),
    ("GET", "/api/ropa", None),
]


def _person(email: str, contact: str, vendor: str = "freshdesk") -> DataSubject:
    subject = find_or_create_subject(vendor, VendorContact(contact, email=email))
    db.session.commit()
    return subject


def _call(app: Flask, method: str, path: str, body: object, headers: dict | None = None):  # noqa: ANN202
    client = app.test_client()
    return client.open(path.format(s=ZERO), method=method, json=body, headers=headers or {})


@pytest.mark.parametrize(
    ("method", "path", "body"), [*ROUTES, ("GET", "/api/subjects/{s}/restrictions", None)]
)
def test_unauthenticated_401(app: Flask, method: str, path: str, body: object) -> None:
    assert _call(app, method, path, body).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert _call(app, method, path, body, bad).status_code == 401


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
@pytest.mark.parametrize("role", ["agent", "team_lead"])
def test_agents_forbidden_403(app: Flask, method: str, path: str, body: object, role: str) -> None:
    assert _call(app, method, path, body, bearer(app, role)).status_code == 403


@pytest.mark.parametrize(("method", "path", "body"), [r for r in ROUTES if r[0] == "POST"])
def test_malformed_400_and_oversized_413(
    make_app: Callable[..., Flask], method: str, path: str, body: object
) -> None:
    app = make_app(max_request_bytes=2048)
    with app.app_context():
        client = app.test_client()
        headers = bearer(app, "admin") | {"Content-Type": "application/json"}
        url = path.format(s=ZERO)
        assert client.post(url, data="{not json", headers=headers).status_code == 400
        assert client.post(url, data="x" * 4096, headers=headers).status_code == 413


def test_find_get_and_post(app: Flask) -> None:
    subject = _person("jens@example.dk", "41")
    headers = bearer(app, "dpo")
    client = app.test_client()
    by_post = client.post(
        "/api/subjects/search", json={"email": "JENS@example.dk"}, headers=headers
    )
    by_get = client.get(
        "/api/subjects", query_string={"vendor_id": "freshdesk:41"}, headers=headers
    )
    assert by_post.status_code == by_get.status_code == 200
    assert [s["id"] for s in by_post.get_json()["subjects"]] == [subject.id]
    assert [s["id"] for s in by_get.get_json()["subjects"]] == [subject.id]
    listing = by_post.get_json()["subjects"][0]
    assert {i["kind"] for i in listing["identifiers"]} == {"email", "vendor_contact"}
    assert "jens" not in by_post.get_data(as_text=True)  # kinds and ids only, no values
    nobody = client.post("/api/subjects/search", json={"email": "x@example.dk"}, headers=headers)
    assert nobody.get_json() == {"subjects": []}


@pytest.mark.parametrize(
    "body", [{}, {"email": ""}, {"vendor_id": "no-colon"}, {"phone": "1"}, {"name": "Jens"}]
)
def test_find_invalid_422(app: Flask, body: dict) -> None:
    response = app.test_client().post("/api/subjects/search", json=body, headers=bearer(app, "dpo"))
    assert response.status_code == 422


def test_merge_then_split(app: Flask) -> None:
    one = _person("jens@example.dk", "41")
    two = _person("jens.privat@example.com", "77", vendor="hubspot")
    client = app.test_client()
    headers = bearer(app, "dpo", agent="dpo-anne")
    merged = client.post(
        "/api/subjects/merge",
        json={"target_id": one.id, "source_ids": [two.id], "reason": "same person, verified"},
        headers=headers,
    )
    assert merged.status_code == 200
    assert merged.get_json()["merged_subjects"] == [two.id]
    found = client.post(
        "/api/subjects/search", json={"email": "jens.privat@example.com"}, headers=headers
    )
    assert [s["id"] for s in found.get_json()["subjects"]] == [one.id]
    again = client.post(
        "/api/subjects/merge",
        json={"target_id": one.id, "source_ids": [two.id], "reason": "twice"},
        headers=headers,
    )
    assert again.status_code == 409
    split = client.post(
        f"/api/subjects/{one.id}/split",
        json={"merged_ids": [two.id], "reason": "wrong merge"},
        headers=headers,
    )
    assert split.status_code == 200
    assert split.get_json() == {"detached": [two.id], "moved_tickets": []}
    assert [e.action for e in events()] == ["subject_merge", "subject_split"]
    assert db.session.get(DataSubject, two.id).merged_into_id is None


def test_split_identifier_to_new_subject(app: Flask) -> None:
    subject = _person("jens@example.dk", "41")
    ident = next(i for i in subject.identifiers if i.kind == "email")
    response = app.test_client().post(
        f"/api/subjects/{subject.id}/split",
        json={"identifier_ids": [ident.id], "reason": "e-mail belongs to his wife"},
        headers=bearer(app, "dpo"),
    )
    assert response.status_code == 200
    (fresh,) = response.get_json()["detached"]
    db.session.expire_all()
    found = app.test_client().post(
        "/api/subjects/search", json={"email": "jens@example.dk"}, headers=bearer(app, "dpo")
    )
    assert [s["id"] for s in found.get_json()["subjects"]] == [fresh]
