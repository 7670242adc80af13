"""``/api/audit``: read the trail (JSON or CSV, paginated) and the bulk-access alerts."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from plugin.api.contract import documented, load_query
from plugin.audit.alerts import bulk_reveal_alerts
from plugin.audit.canonical import format_time
from plugin.audit.csvout import csv_lines
from plugin.audit.proofs import NotProvable, consistency, inclusion
from plugin.audit.queries import AuditFilter, page
from plugin.audit.schemas import (
    AlertsOut,
    AlertsQuery,
    AuditPageOut,
    AuditQuery,
    ConsistencyOut,
    ConsistencyQuery,
    InclusionOut,
    InclusionQuery,
)
from plugin.audit.sequencer import flush
from plugin.auth import require_role
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.models.types import utcnow

bp = Blueprint("audit", __name__, url_prefix="/api/audit")
MAX_QUERY_BYTES = 2048
ALERT_PERIOD = timedelta(days=7)


@bp.before_request
def _limit_query() -> None:
    # Filters are short ids; a long query string is a mistake or an attack.
    if len(request.query_string) > MAX_QUERY_BYTES:
        raise ApiError(414, "query_too_long", f"The query string exceeds {MAX_QUERY_BYTES} bytes")


def _wants_csv(requested: str | None) -> bool:
    if requested is not None:
        return requested == "csv"
    return request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv"


@bp.get("")
@documented(
    summary="Audit events, newest first, filtered; JSON or CSV (?format=csv or Accept)",
    tags=["audit"],
    query=AuditQuery,
    response=AuditPageOut,
    errors=(401, 403, 414, 422),
    auth="agentJWT",
)
@require_role("dpo")
def list_events() -> ResponseReturnValue:
    """A page of the audit trail with a link to the next one."""
    query = load_query(AuditQuery())
    selection = AuditFilter(
        subject=query.get("subject"),
        agent=query.get("agent"),
        ticket=query.get("ticket"),
        action=query.get("action"),
        since=query.get("since"),
        until=query.get("until"),
    )
    events, cursor = page(selection, before=query.get("cursor"), limit=query["per_page"])
    next_url = None
    if cursor is not None:
        args = {k: v for k, v in request.args.items() if k != "cursor"}
        next_url = url_for("audit.list_events", **args, cursor=cursor)
    if _wants_csv(query.get("format")):
        response = Response("".join(csv_lines(events)), mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="audit.csv"'
        if next_url:
            response.headers["Link"] = f'<{next_url}>; rel="next"'
        return response
    return jsonify({"events": events, "next": next_url})


@bp.get("/alerts")
@documented(
    summary="Agents who revealed more values per hour than the manifest allows",
    tags=["audit"],
    query=AlertsQuery,
    response=AlertsOut,
    errors=(401, 403, 414, 422),
    auth="agentJWT",
)
@require_role("dpo")
def alerts() -> ResponseReturnValue:
    """Flagged agents with their busiest hour, over ``since``..``until`` (default 7 days)."""
    query = load_query(AlertsQuery())
    until = query.get("until") or utcnow()
    since = query.get("since") or until - ALERT_PERIOD
    if since >= until:
        raise ApiError(422, "validation_failed", "since must be before until")
    return jsonify(
        {
            "since": format_time(since),
            "until": format_time(until),
            "alerts": bulk_reveal_alerts(since, until),
        }
    )


@bp.get("/proofs/inclusion")
@documented(
    summary="RFC 9162 inclusion proof of an event under a signed tree head (checkable offline)",
    tags=["audit"],
    query=InclusionQuery,
    response=InclusionOut,
    errors=(401, 403, 404, 409, 414, 422),
    auth="agentJWT",
)
@require_role("dpo")
def inclusion_proof() -> ResponseReturnValue:
    """The event, its path to the root and the signed head; save it for the auditor."""
    query = load_query(InclusionQuery())
    flush()
    try:
        return jsonify(inclusion(db.session, query["seq"], query.get("tree_size")))
    except NotProvable as exc:
        raise ApiError(exc.status, exc.code, exc.message) from exc


@bp.get("/proofs/consistency")
@documented(
    summary="RFC 9162 consistency proof between two signed tree heads (checkable offline)",
    tags=["audit"],
    query=ConsistencyQuery,
    response=ConsistencyOut,
    errors=(401, 403, 404, 409, 414, 422),
    auth="agentJWT",
)
@require_role("dpo")
def consistency_proof() -> ResponseReturnValue:
    """Proof that the log of size ``second`` extends the one of size ``first`` unchanged."""
    query = load_query(ConsistencyQuery())
    try:
        return jsonify(consistency(db.session, query["first"], query["second"]))
    except NotProvable as exc:
        raise ApiError(exc.status, exc.code, exc.message) from exc
