"""The whole role x category matrix of the shipped manifest, through the real API."""

from __future__ import annotations

import pytest
from flask import Flask

from plugin.access.policy import get_policy
from tests.agents.helpers import bearer, events
from tests.agents.seeding import SAMPLES, seed_ticket

H, M, P, R, C = "hidden", "masked", "partial", "reveal_with_reason", "clear"
CATEGORIES = ("identity", "contact", "location", "financial", "online", "special")
# The expected answer for every role and category (manifest.yaml, inheritance applied).
EXPECTED: dict[str, tuple[str, ...]] = {
    "agent": (P, M, M, H, M, H),
    "senior_agent": (P, R, R, M, M, M),
    "team_lead": (C, R, R, R, M, R),
    "dpo": (R, R, R, R, R, R),
    "admin": (R, R, R, R, R, R),
}
MATRIX = [
    (role, category, level)
    for role, levels in EXPECTED.items()
    for category, level in zip(CATEGORIES, levels, strict=True)
]


def expected_display(category: str, level: str) -> str:
    """What the widget must show for a sample value at a level."""
    _, value, token = SAMPLES[category]
    return {
        H: "[hidden]",
        M: token,
        R: token,
        C: value,
        P: {"identity": "••••••-••34"}.get(category, "?"),
    }[level]


def test_policy_table_covers_the_manifest(app: Flask) -> None:
    manifest = app.extensions["datavagt.manifest"]
    assert set(EXPECTED) == set(manifest.roles)
    assert tuple(manifest.data["categories"]) == CATEGORIES
    assert get_policy().matrix() == {
        role: dict(zip(CATEGORIES, levels, strict=True)) for role, levels in EXPECTED.items()
    }


@pytest.mark.parametrize(("role", "category", "level"), MATRIX)
def test_view_renders_each_cell(app: Flask, role: str, category: str, level: str) -> None:
    seeded = seed_ticket()
    client = app.test_client()
    response = client.get("/api/tickets/freshdesk/1001", headers=bearer(app, role))
    assert response.status_code == 200
    rendered = {
        f["category"]: f for field in response.get_json()["fields"] for f in field["findings"]
    }[category]
    assert rendered["id"] == seeded.findings[category]
    assert rendered["level"] == level
    assert rendered["display"] == expected_display(category, level)
    assert rendered["revealable"] is (level == R)
    assert ("type" in rendered) is (level != H)


@pytest.mark.parametrize(("role", "category", "level"), MATRIX)
def test_reveal_answers_each_cell(app: Flask, role: str, category: str, level: str) -> None:
    seeded = seed_ticket()
    response = app.test_client().post(
        "/api/tickets/freshdesk/1001/reveal",
        json={"field": "description", "finding": seeded.findings[category], "reason": "case 77"},
        headers=bearer(app, role),
    )
    if level in (R, C):
        assert response.status_code == 200
        assert response.get_json()["value"] == SAMPLES[category][1]
        event = events("reveal")[-1]
        assert event.reason == "case 77" and event.actor_role == role
    else:
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "reveal_denied"
        assert events("reveal") == []
        assert events("reveal_denied")[-1].details["finding"] == seeded.findings[category]
