"""Compliance and retention pages on the live modules; dead-letter retry (CSRF, audited)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask

from plugin.extensions import db
from plugin.models import OutboxJob
from tests.admin.helpers import seed_oversight, sign_in
from tests.agents.helpers import events


def _cells(page: str, section: str) -> str:
    """The text of one <section id=...> of a page."""
    match = re.search(rf'<section id="{section}">(.*?)</section>', page, re.S)
    assert match, f"no section {section}"
    return match.group(1)


def test_compliance_page_is_tables_not_json(app: Flask) -> None:
    seed_oversight()
    client = app.test_client()
    sign_in(app, client)
    page = client.get("/admin/compliance").get_data(as_text=True)
    assert "<pre>" not in page and '"special_without_basis"' not in page
    special = _cells(page, "special-without-basis")
    assert '<span class="total">1</span>' in special
    assert "<td>freshdesk #4711</td><td>support</td><td>1</td>" in special
    assert "<td>support</td><td>1</td>" in special  # the per-purpose count table
    assert '<span class="total">0</span>' in _cells(page, "after-withdrawal")
    assert "None." in _cells(page, "plain-replies")


def test_retention_page_shows_the_preview_and_dead_letters(app: Flask) -> None:
    seeded = seed_oversight()
    client = app.test_client()
    sign_in(app, client)
    page = client.get("/admin/retention").get_data(as_text=True)
    preview = _cells(page, "preview")
    assert "freshdesk:4711" in preview and "delete ticket" in preview
    assert "<td>support</td>" in preview and '<span class="total">1</span>' in preview
    dead = _cells(page, "dead-letters")
    assert f'data-job="{seeded["job"]}"' in dead and "HTTP 503" in dead
    assert f'action="/admin/retention/jobs/{seeded["job"]}/retry"' in dead
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxJob)) == 1  # dry run


def test_retry_requeues_and_audits(app: Flask) -> None:
    seeded = seed_oversight()
    client = app.test_client()
    token = sign_in(app, client)
    answer = client.post(
        f"/admin/retention/jobs/{seeded['job']}/retry",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert answer.status_code == 200
    assert f"Job {seeded['job']} queued again" in answer.get_data(as_text=True)
    db.session.expire_all()
    job = db.session.get(OutboxJob, seeded["job"])
    assert (job.status, job.attempts) == ("pending", 0)
    (event,) = [e for e in events("admin_action") if e.details.get("operation") == "outbox_retry"]
    assert event.actor_id == "dpo-anne" and event.details["job"] == seeded["job"]
    again = client.post(
        f"/admin/retention/jobs/{seeded['job']}/retry",
        data={"csrf_token": token},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "only dead jobs can be retried" in again


def test_retry_refusals(app: Flask) -> None:
    seeded = seed_oversight()
    client = app.test_client()
    url = f"/admin/retention/jobs/{seeded['job']}/retry"
    assert client.post(url, data={}).headers["Location"].endswith("/admin/login")  # signed out
    token = sign_in(app, client)
    assert client.post(url, data={}).status_code == 400  # no CSRF token
    assert client.post(url, data={"csrf_token": "forged"}).status_code == 400
    assert client.get(url).status_code == 405
    assert (
        client.post("/admin/retention/jobs/abc/retry", data={"csrf_token": token}).status_code
        == 404
    )
    unknown = client.post(
        "/admin/retention/jobs/999999/retry", data={"csrf_token": token}, follow_redirects=True
    )
    assert "No job 999999" in unknown.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OutboxJob, seeded["job"]).status == "dead"
    assert [e for e in events("admin_action") if e.details.get("operation") == "outbox_retry"] == []


@pytest.mark.parametrize("size", [8192])
def test_retry_oversized_413(make_app: Callable[..., Flask], size: int) -> None:
    app = make_app(max_request_bytes=4096)
    with app.app_context():
        seeded = seed_oversight()
        client = app.test_client()
        token = sign_in(app, client)
        big = client.post(
            f"/admin/retention/jobs/{seeded['job']}/retry",
            data={"csrf_token": token, "pad": "x" * size},
        )
        assert big.status_code == 413
        assert db.session.get(OutboxJob, seeded["job"]).status == "dead"
