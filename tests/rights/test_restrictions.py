"""Restriction (Art. 18) and objection (Art. 21): flags per subject and purpose, audited."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from flask import Flask

from plugin.config import ROOT
from plugin.extensions import db
from plugin.models import DataSubject
from plugin.rights.restrictions import is_restricted
from tests.agents.helpers import bearer, custom_manifest, events


def _subject() -> DataSubject:
    subject = DataSubject()
    db.session.add(subject)
    db.session.commit()
    return subject


def _post(app: Flask, path: str, body: object, role: str = "dpo"):  # noqa: ANN202
    return app.test_client().post(path, json=body, headers=bearer(app, role))


@pytest.fixture
def li_app(make_app: Callable[..., Flask], tmp_path: Path) -> Iterator[Flask]:
    """An app whose manifest adds purposes on legitimate interests and on public task."""
    purposes = yaml.safe_load((ROOT / "manifest.yaml").read_text(encoding="utf-8"))["purposes"]
    rule = {"days": 365, "from": "closed", "action": "delete_ticket"}
    for code, basis in (("surveys", "legitimate_interests"), ("registry", "public_task")):
        purposes[code] = {
            "name": code.title(),
            "legal_basis": basis,
            "allowed_categories": ["identity", "contact"],
            "retention": rule,
        }
    application = make_app(manifest=custom_manifest(tmp_path, purposes=purposes))
    with application.app_context():
        yield application


@pytest.mark.parametrize("purpose", ["surveys", "registry"])
def test_objection_to_one_purpose(li_app: Flask, purpose: str) -> None:
    app = li_app
    subject = _subject()
    assert not is_restricted(subject.id, purpose)
    made = _post(
        app,
        f"/api/subjects/{subject.id}/restrictions",
        {"kind": "objection", "purpose": purpose, "reason": "no more surveys"},
    )
    assert made.status_code == 201
    assert is_restricted(subject.id, purpose)
    assert not is_restricted(subject.id, "support")
    assert is_restricted(subject.id)  # "any purpose" asks whether anything is stopped
    listed = app.test_client().get(
        f"/api/subjects/{subject.id}/restrictions", headers=bearer(app, "agent")
    )
    assert listed.status_code == 200  # agents are shown the flags
    assert [r["purpose"] for r in listed.get_json()["restrictions"]] == [purpose]
    lifted = _post(app, f"/api/restrictions/{made.get_json()['id']}/lift", {"reason": "withdrawn"})
    assert lifted.status_code == 200
    assert not is_restricted(subject.id, purpose)
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


@pytest.mark.parametrize(
    ("purpose", "says"),
    [
        ("support", "legitimate interests or public task; this purpose's legal basis is contract"),
        ("warranty", "legal basis is contract"),
        ("complaint", "legal basis is legal_obligation"),
        ("marketing", "based on consent: withdraw the consent instead"),
    ],
)
def test_objection_needs_legitimate_interests_or_public_task(
    app: Flask, purpose: str, says: str
) -> None:
    subject = _subject()
    response = _post(
        app,
        f"/api/subjects/{subject.id}/restrictions",
        {"kind": "objection", "purpose": purpose, "reason": "stop"},
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "objection_not_applicable" and says in error["message"]
    assert not is_restricted(subject.id, purpose)
    assert events() == []


def test_objection_names_a_purpose(app: Flask) -> None:
    subject = _subject()
    response = _post(
        app, f"/api/subjects/{subject.id}/restrictions", {"kind": "objection", "reason": "stop"}
    )
    assert response.status_code == 422 and not is_restricted(subject.id)


def test_restriction_is_not_limited_by_legal_basis(app: Flask) -> None:
    subject = _subject()
    response = _post(
        app,
        f"/api/subjects/{subject.id}/restrictions",
        {"kind": "restriction", "purpose": "marketing", "reason": "accuracy contested"},
    )
    assert response.status_code == 201 and is_restricted(subject.id, "marketing")
