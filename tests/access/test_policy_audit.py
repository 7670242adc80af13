"""Policy changes are audited: once per new policy hash, on the first agent request."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask

from tests.agents.helpers import bearer, custom_manifest, events


def test_first_request_records_the_policy_once(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    with app.app_context():
        client = app.test_client()
        client.get("/api/tickets/freshdesk/1", headers=bearer(app, "agent"))
        client.get("/api/tickets/freshdesk/1", headers=bearer(app, "agent"))
        (event,) = events("policy_change")
        assert event.actor_id == "system:startup" and event.details["previous_hash"] is None
    # A restart with the same policy records nothing new.
    again = make_app()
    with again.app_context():
        again.test_client().get("/api/tickets/freshdesk/1")
        assert len(events("policy_change")) == 1


def test_changed_policy_is_recorded_with_the_previous_hash(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    first = make_app()
    with first.app_context():
        first.test_client().get("/api/tickets/freshdesk/1")
        old = events("policy_change")[0].details["policy_hash"]
    changed = make_app(
        manifest=custom_manifest(tmp_path, policies={"roles": {"agent": {"contact": "clear"}}})
    )
    with changed.app_context():
        changed.test_client().get("/api/tickets/freshdesk/1")
        latest = events("policy_change")[-1]
        assert latest.details["previous_hash"] == old and latest.details["policy_hash"] != old
