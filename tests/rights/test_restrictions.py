"""Restriction (Art. 18) and objection (Art. 21): flags per subject and purpose, audited."""

from __future__ import annotations

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.models import DataSubject
from plugin.rights.restrictions import is_restricted
from tests.agents.helpers import bearer, events


def _subject() -> DataSubject:
    subject = DataSubject()
    db.session.add(subject)
    db.session.commit()
    return subject


def _post(app: Flask, path: str, body: object, role: str = "dpo"):  # noqa: ANN202
    return app.test_client().post(path, json=body, headers=bearer(app, role))


def test_objection_to_one_purpose(app: Flask) -> None:
    subject = _subject()
    assert not is_restricted(subject.id, "marketing")
    made = _post(
        app,
        f"/api/subjects/{subject.id}/restrictions",
        {"kind": "objection", "purpose": "marketing", "reason": "no more offers"},
    )
    assert made.status_code == 201
    assert is_restricted(subject.id, "marketing")
    assert not is_restricted(subject.id, "support")
    assert is_restricted(subject.id)  # "any purpose" asks whether anything is stopped
    listed = app.test_client().get(
        f"/api/subjects/{subject.id}/restrictions", headers=bearer(app, "agent")
    )
    assert listed.status_code == 200  # agents are shown the flags
    assert [r["purpose"] for r in listed.get_json()["restrictions"]] == ["marketing"]
    lifted = _post(app, f"/api/restrictions/{made.get_json()['id']}/lift", {"reason": "withdrawn"})
    assert lifted.status_code == 200
    assert not is_restricted(subject.id, "marketing")
    assert [e.action for e in events()] == ["object", "restrict"]
    assert (
        _post(app, f"/api/restrictions/{made.get_json()['id']}/lift", {"reason": "x"}).status_code
        == 409
    )


def test_restriction_of_everything_covers_merged_subjects(app: Flask) -> None:
    survivor, merged = _subject(), _subject()
    merged.merged_into_id = survivor.id
    db.session.commit()
    _post(
        app,
        f"/api/subjects/{merged.id}/restrictions",
        {"kind": "restriction", "reason": "accuracy contested"},
    )
    assert is_restricted(survivor.id, "support") and is_restricted(merged.id, "warranty")
    assert not is_restricted(None, "support")


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "pause", "reason": "r"},
        {"kind": "restriction"},
        {"kind": "restriction", "reason": "r", "purpose": "astrology"},
        {"kind": "restriction", "reason": ""},
    ],
)
def test_invalid_422(app: Flask, body: dict) -> None:
    subject = _subject()
    assert _post(app, f"/api/subjects/{subject.id}/restrictions", body).status_code == 422


def test_unknown_subject_404(app: Flask) -> None:
    response = _post(
        app,
        "/api/subjects/00000000-0000-4000-8000-000000000000/restrictions",
        {"kind": "restriction", "reason": "r"},
    )
    assert response.status_code == 404
    listed = app.test_client().get(
        "/api/subjects/00000000-0000-4000-8000-000000000000/restrictions",
        headers=bearer(app, "agent"),
    )
    assert listed.status_code == 404
