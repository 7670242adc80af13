"""``/api/retention``: preview, the job queue and dead letters, legal holds (DPO only)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from plugin.api.contract import documented, load_json, load_query
from plugin.audit import actions, record
from plugin.auth import current_actor, require_role
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.models import OutboxJob
from plugin.models.types import utcnow
from plugin.retention import holds, outbox
from plugin.retention.schemas import (
    HoldOut,
    HoldSchema,
    HoldsOut,
    JobOut,
    JobsOut,
    JobsQuery,
    PreviewOut,
    PreviewQuery,
    SetHoldSchema,
)
from plugin.retention.sweep import sweep

bp = Blueprint("retention", __name__, url_prefix="/api/retention")
HOLD_STATUS = {"unknown_ticket": 404, "unknown_subject": 404, "no_hold": 409}


@bp.get("/preview")
@documented(
    summary="What a sweep would do now and why (ticket, purpose, rule, due date, action)",
    tags=["retention"],
    query=PreviewQuery,
    response=PreviewOut,
    errors=(401, 403, 422),
    auth="agentJWT",
)
@require_role("dpo")
def preview() -> ResponseReturnValue:
    """Dry-run the sweep: nothing is enqueued or changed."""
    limit = load_query(PreviewQuery())["limit"]
    planned = sweep(dry_run=True).planned
    body = {
        "generated_at": utcnow().isoformat(),
        "count": len(planned),
        "truncated": len(planned) > limit,
        "actions": [line.as_dict() for line in planned[:limit]],
    }
    return jsonify(PreviewOut().dump(body))


@bp.get("/jobs")
@documented(
    summary="Outbox jobs (deletions, anonymisations) by status, with counts",
    tags=["retention"],
    query=JobsQuery,
    response=JobsOut,
    errors=(401, 403, 422),
    auth="agentJWT",
)
@require_role("dpo")
def jobs() -> ResponseReturnValue:
    """List jobs, newest first; ``?status=dead`` shows the dead letters."""
    query = load_query(JobsQuery())
    rows = outbox.list_jobs(query.get("status"), query["limit"], query["offset"])
    return jsonify(JobsOut().dump({"counts": outbox.counts(), "jobs": rows}))


@bp.post("/jobs/<int:job_id>/retry")
@documented(
    summary="Requeue a dead-lettered job",
    tags=["retention"],
    response=JobOut,
    errors=(401, 403, 404, 409),
    auth="agentJWT",
)
@require_role("dpo")
def retry(job_id: int) -> ResponseReturnValue:
    """Put one dead job back in the queue with fresh attempts (audited)."""
    job = db.session.get(OutboxJob, job_id)
    if job is None:
        raise ApiError(404, "unknown_job", "No such job")
    if job.status != "dead":
        raise ApiError(409, "not_dead", f"Only dead jobs can be retried; this one is {job.status}")
    outbox.requeue([job_id])
    record(
        actions.ADMIN_ACTION,
        actor=current_actor(),
        subject_id=job.subject_id,
        details={"operation": "outbox_retry", "job": job_id},
    )
    db.session.commit()
    return jsonify(JobOut().dump(db.session.get(OutboxJob, job_id)))


def _target(data: dict) -> holds.HoldTarget:
    return holds.HoldTarget(ticket_ref=data.get("ticket"), subject_id=data.get("subject_id"))


@bp.get("/holds")
@documented(
    summary="Legal holds in force",
    tags=["retention"],
    response=HoldsOut,
    errors=(401, 403),
    auth="agentJWT",
)
@require_role("dpo")
def list_holds() -> ResponseReturnValue:
    """Subjects and tickets under legal hold."""
    return jsonify(HoldsOut().dump({"holds": holds.list_holds()}))


@bp.post("/holds")
@documented(
    summary="Put a legal hold on a ticket or a data subject (stops deletion until lifted)",
    tags=["retention"],
    body=SetHoldSchema,
    response=HoldOut,
    errors=(400, 401, 403, 404, 413, 422),
    auth="agentJWT",
)
@require_role("dpo")
def set_hold() -> ResponseReturnValue:
    """Set a hold (audited)."""
    data = load_json(SetHoldSchema())
    try:
        result = holds.set_hold(_target(data), data["reason"], current_actor())
    except holds.HoldError as exc:
        db.session.rollback()
        raise ApiError(HOLD_STATUS.get(exc.code, 422), exc.code, exc.message) from exc
    return jsonify(HoldOut().dump(result)), 201


@bp.delete("/holds")
@documented(
    summary="Lift a legal hold; deletions it stopped are queued again",
    tags=["retention"],
    body=HoldSchema,
    response=HoldOut,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth="agentJWT",
)
@require_role("dpo")
def lift_hold() -> ResponseReturnValue:
    """Lift a hold (audited)."""
    data = load_json(HoldSchema())
    try:
        result = holds.lift_hold(_target(data), data.get("reason"), current_actor())
    except holds.HoldError as exc:
        db.session.rollback()
        raise ApiError(HOLD_STATUS.get(exc.code, 422), exc.code, exc.message) from exc
    return jsonify(HoldOut().dump(result))
