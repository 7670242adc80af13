"""/api/retention: preview, jobs, retry, holds; with the auth and input-error matrix."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from plugin.auth import issue_token
from plugin.extensions import db
from plugin.models import AuditEvent, DataSubject, OutboxJob, SecureMessage, Ticket, VaultItem
from plugin.models.types import utcnow
from plugin.retention import outbox
from plugin.retention.dispatcher import Dispatcher
from plugin.retention.sweep import sweep
from plugin.vault import get_vault
from tests.retention.conftest import seed


def headers(app: Flask, role: str = "dpo") -> dict[str, str]:
    """A bearer token for a role."""
    token = issue_token(app.extensions["datavagt.keyring"], agent=f"{role}-1", role=role)
    return {"Authorization": f"Bearer {token}"}


ROUTES: list[tuple[str, str, Any]] = [
    ("GET", "/api/retention/preview", None),
    ("GET", "/api/retention/jobs", None),
    ("POST", "/api/retention/jobs/1/retry", None),
    ("GET", "/api/retention/holds", None),
    ("POST", "/api/retention/holds", {"ticket": "freshdesk:1", "reason": "x"}),
    ("DELETE", "/api/retention/holds", {"ticket": "freshdesk:1"}),
]


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_routes_need_a_token(retention_app: Flask, method: str, path: str, body: Any) -> None:
    answer = retention_app.test_client().open(path, method=method, json=body)
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(("method", "path", "body"), ROUTES)
def test_routes_are_for_the_dpo(retention_app: Flask, method: str, path: str, body: Any) -> None:
    answer = retention_app.test_client().open(
        path, method=method, json=body, headers=headers(retention_app, "team_lead")
    )
    assert answer.status_code == 403


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_hold_rejects_malformed_invalid_and_oversized(retention_app: Flask, method: str) -> None:
    client = retention_app.test_client()
    auth = headers(retention_app)
    bad = client.open(
        "/api/retention/holds",
        method=method,
        data="{",
        headers=auth,
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "malformed_json"
    both = client.open(
        "/api/retention/holds",
        method=method,
        headers=auth,
        json={"ticket": "freshdesk:1", "subject_id": "x" * 36, "reason": "r"},
    )
    assert both.status_code == 422
    huge = client.open(
        "/api/retention/holds",
        method=method,
        headers=auth,
        json={"ticket": "freshdesk:1", "reason": "x" * 2_000_000},
    )
    assert huge.status_code == 413


def test_query_validation(retention_app: Flask) -> None:
    client = retention_app.test_client()
    auth = headers(retention_app)
    assert client.get("/api/retention/jobs?status=nope", headers=auth).status_code == 422
    assert client.get("/api/retention/preview?limit=0", headers=auth).status_code == 422
    assert client.get("/api/retention/preview?x=1", headers=auth).status_code == 422


def test_preview_lists_what_and_why(retention_app: Flask, freshdesk: tuple) -> None:
    sim, _ = freshdesk
    due, _fresh = seed(sim, due=2, fresh=1)
    special, _ = seed(sim, due=0, fresh=1, categories=("special",))  # closed 10 days ago
    answer = retention_app.test_client().get(
        "/api/retention/preview", headers=headers(retention_app)
    )
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["count"] == 2 and body["truncated"] is False
    refs = {line["ticket_ref"] for line in body["actions"]}
    assert refs == {f"freshdesk:{t.external_id}" for t in due}
    line = body["actions"][0]
    assert (line["purpose"], line["rule"], line["action"]) == (
        "support",
        "support",
        "delete_ticket",
    )
    assert line["due_at"] and line["blocked_by"] is None
    assert db.session.query(OutboxJob).count() == 0  # a preview changes nothing


def test_special_category_override_anonymises_sooner(
    retention_app: Flask, freshdesk: tuple
) -> None:
    sim, _ = freshdesk
    # Closed 400 days ago: both the 30-day special rule and the 365-day rule are due;
    # deletion wins, so only one job is made.
    (old,), _ = seed(sim, due=1, fresh=0, categories=("special",))
    _, (recent,) = seed(sim, due=0, fresh=1, categories=("special",))
    recent.closed_at = utcnow() - timedelta(days=40)
    db.session.commit()
    planned = {line.ticket_id: line for line in sweep(dry_run=True).planned}
    assert planned[old.id].action == "delete_ticket"
    assert (planned[recent.id].rule, planned[recent.id].action) == (
        "support/special",
        "anonymise_ticket",
    )
    sweep()
    Dispatcher(retention_app, threads=1).run_until_idle(timeout=30)
    ticket = sim.tickets[int(recent.external_id)]
    assert ticket["subject"] == "[anonymised by Datavagt]" and not ticket["deleted"]
    assert sim.tickets[int(old.external_id)]["deleted"]


def test_hold_stops_deletion_until_lifted(retention_app: Flask, freshdesk: tuple) -> None:
    sim, log = freshdesk
    (ticket,), _ = seed(sim, due=1, fresh=0)
    client = retention_app.test_client()
    auth = headers(retention_app)
    ref = f"freshdesk:{ticket.external_id}"
    assert sweep().enqueued == 1  # queued before the hold: the claim re-check must stop it
    answer = client.post(
        "/api/retention/holds", headers=auth, json={"ticket": ref, "reason": "Litigation 2026-17"}
    )
    assert answer.status_code == 201 and answer.get_json()["legal_hold"] is True
    Dispatcher(retention_app, threads=1).run_until_idle(timeout=30)
    assert log.counts_for(int(ticket.external_id)) == 0
    job = db.session.query(OutboxJob).one()
    assert (job.status, job.last_error) == ("cancelled", "legal_hold")
    listed = client.get("/api/retention/holds", headers=auth).get_json()["holds"]
    assert [h["ticket"] for h in listed] == [ref]

    lifted = client.delete("/api/retention/holds", headers=auth, json={"ticket": ref})
    assert lifted.status_code == 200 and lifted.get_json()["jobs_requeued"] == 1
    assert (
        client.delete("/api/retention/holds", headers=auth, json={"ticket": ref}).status_code == 409
    )
    Dispatcher(retention_app, threads=1).run_until_idle(timeout=30)
    assert log.deletes(int(ticket.external_id)) == 1
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.seq)]
    assert actions == ["legal_hold_set", "legal_hold_lifted", "retention_delete"]


def test_subject_hold_blocks_the_sweep(retention_app: Flask, freshdesk: tuple) -> None:
    sim, log = freshdesk
    subject = DataSubject(legal_hold=True, legal_hold_reason="audit")
    db.session.add(subject)
    db.session.flush()
    seed(sim, due=2, fresh=0, subject=subject)
    result = sweep()
    assert (result.due, result.held, result.enqueued) == (2, 2, 0)
    unknown = retention_app.test_client().post(
        "/api/retention/holds",
        headers=headers(retention_app),
        json={"subject_id": "0" * 36, "reason": "x"},
    )
    assert unknown.status_code == 404


def test_dead_letters_are_listed_and_retried(retention_app: Flask, freshdesk: tuple) -> None:
    sim, log = freshdesk
    (ticket,), _ = seed(sim, due=1, fresh=0)
    sim.configure(fail_rate=1.0, fail_status=400)  # a permanent refusal: dead at once
    sweep()
    Dispatcher(retention_app, threads=1).run_until_idle(timeout=30)
    client = retention_app.test_client()
    auth = headers(retention_app)
    dead = client.get("/api/retention/jobs?status=dead", headers=auth).get_json()
    assert dead["counts"]["dead"] == 1
    job = dead["jobs"][0]
    assert "HTTP 400" in job["last_error"] and "example.com" not in job["last_error"]
    assert client.post("/api/retention/jobs/999/retry", headers=auth).status_code == 404
    sim.configure(fail_rate=0.0)
    again = client.post(f"/api/retention/jobs/{job['id']}/retry", headers=auth)
    assert again.status_code == 200 and again.get_json()["status"] == "pending"
    assert client.post(f"/api/retention/jobs/{job['id']}/retry", headers=auth).status_code == 409
    Dispatcher(retention_app, threads=1).run_until_idle(timeout=30)
    assert outbox.counts()["done"] == 1
    assert log.deletes(int(ticket.external_id)) == 1
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).deleted_at is not None


@pytest.mark.parametrize(("purpose", "held"), [("support", 2), (None, 2), ("marketing", 0)])
def test_restriction_holds_deletion_like_a_legal_hold(
    retention_app: Flask, freshdesk: tuple, purpose: str | None, held: int
) -> None:
    from plugin.auth.guard import Actor
    from plugin.rights.restrictions import lift, restrict

    sim, _log = freshdesk
    subject = DataSubject()
    db.session.add(subject)
    db.session.flush()
    seed(sim, due=2, fresh=0, subject=subject)
    dpo = Actor("dpo-1", "dpo")
    flag = restrict(subject.id, "restriction", "needed for a legal claim", dpo, purpose)
    result = sweep()
    assert (result.due, result.held, result.enqueued) == (2, held, 2 - held)
    lift(flag.id, "claim settled", dpo)
    assert sweep().enqueued == held  # once lifted, what was held is queued


def test_unwritable_data_is_deleted_not_anonymised(retention_app: Flask, freshdesk: tuple) -> None:
    sim, _ = freshdesk
    # Warranty tickets are anonymised after 730 days, but an incoming e-mail the API can't
    # rewrite would keep its data in clear: such a ticket is deleted after 30 days instead.
    (clear,), _ = seed(sim, due=1, fresh=0, purpose="warranty")
    (tokenised,), _ = seed(sim, due=1, fresh=0, purpose="warranty")
    for ticket in (clear, tokenised):
        ticket.closed_at = utcnow() - timedelta(days=800)
    clear.unwritable_fields = ["conversation.77"]
    db.session.commit()
    planned = {line.ticket_id: line for line in sweep(dry_run=True).planned}
    assert (planned[clear.id].rule, planned[clear.id].action) == (
        "warranty/unwritable",
        "delete_ticket",
    )
    assert planned[tokenised.id].action == "anonymise_ticket"


def test_anonymising_a_ticket_overwrites_its_notes_too(
    retention_app: Flask, freshdesk: tuple
) -> None:
    sim, log = freshdesk
    (ticket,), _ = seed(sim, due=1, fresh=0, purpose="warranty")
    ticket.closed_at = utcnow() - timedelta(days=800)
    db.session.commit()
    tid = int(ticket.external_id)
    note = sim.add_conversation(tid, "<p>[CPR ••••••-••34] ringede</p>", private=True)
    reply = sim.add_conversation(tid, "<p>Tak for din henvendelse</p>", incoming=False)
    assert sweep().enqueued == 1
    Dispatcher(retention_app, threads=1).run_until_idle(timeout=30)
    bodies = {c["id"]: c["body"] for c in sim.conversations[tid]}
    assert bodies[note] == "[anonymised by Datavagt]"
    assert bodies[reply] == "<p>Tak for din henvendelse</p>"  # not editable: untouched
    assert sim.tickets[tid]["description"] == "[anonymised by Datavagt]"
    assert log.counts[("PUT", f"/api/v2/conversations/{note}", 200)] == 1
    assert db.session.query(OutboxJob).one().status == "done"


def test_deleting_a_ticket_removes_its_secure_messages(
    retention_app: Flask, freshdesk: tuple
) -> None:
    sim, _ = freshdesk
    (ticket,), _ = seed(sim, due=1, fresh=0)
    vault = get_vault()
    about_ticket = vault.encrypt(
        ticket.subject_id, "Dit CPR 010190-1234", field="message", kind="message",
        ticket_id=ticket.id,
    )  # fmt: skip
    elsewhere = vault.encrypt(ticket.subject_id, "Om din sag", field="message", kind="message")
    db.session.add_all(
        [
            SecureMessage(subject_id=ticket.subject_id, ticket_id=ticket.id, direction="out",
                          author="agent-1", vault_item_id=about_ticket.id),
            SecureMessage(subject_id=ticket.subject_id, direction="out", author="agent-1",
                          vault_item_id=elsewhere.id),
        ]
    )  # fmt: skip
    db.session.commit()
    sealed, kept_item = about_ticket.id, elsewhere.id
    sweep()
    Dispatcher(retention_app, threads=1).run_until_idle(timeout=30)
    db.session.expire_all()
    [kept] = db.session.query(SecureMessage).all()
    assert kept.ticket_id is None and kept.vault_item_id == kept_item
    assert db.session.get(VaultItem, sealed) is None
