"""``/api/requests``: data-subject requests and their deadlines (DPO and admin)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from plugin.api.contract import documented, load_json, load_query
from plugin.auth import current_actor, require_role
from plugin.rights import requests
from plugin.rights.schemas import (
    RequestCreateSchema,
    RequestListSchema,
    RequestQuerySchema,
    RequestSchema,
    RequestUpdateSchema,
)

bp = Blueprint("requests", __name__, url_prefix="/api/requests")
AUTH = "agentJWT"


@bp.get("")
@documented(
    summary="Requests by due date; ?overdue=1 lists open ones past their deadline",
    tags=["requests"],
    query=RequestQuerySchema,
    response=RequestListSchema,
    errors=(401, 403, 422),
    auth=AUTH,
)
@require_role("dpo")
def list_requests() -> ResponseReturnValue:
    """List requests, optionally only overdue or due within N days."""
    query = load_query(RequestQuerySchema())
    rows = requests.list_requests(
        status=query.get("status"), overdue=query["overdue"], due_within=query.get("due_within")
    )
    return jsonify({"requests": [requests.serialise(r) for r in rows]})


@bp.post("")
@documented(
    summary="Register a data-subject request (due in one month)",
    tags=["requests"],
    body=RequestCreateSchema,
    response=RequestSchema,
    errors=(400, 401, 403, 404, 413, 422),
    auth=AUTH,
)
@require_role("dpo")
def create() -> ResponseReturnValue:
    """Create a request; audited."""
    body = load_json(RequestCreateSchema())
    row = requests.create(
        body["kind"],
        current_actor(),
        subject_id=body["subject_id"],
        received_on=body["received_on"],
        channel=body["channel"],
    )
    return jsonify(requests.serialise(row)), 201


@bp.get("/<request_id>")
@documented(
    summary="One request",
    tags=["requests"],
    response=RequestSchema,
    errors=(401, 403, 404),
    auth=AUTH,
)
@require_role("dpo")
def show(request_id: str) -> ResponseReturnValue:
    """A request with its deadline."""
    return jsonify(requests.serialise(requests.get(request_id)))


@bp.post("/<request_id>")
@documented(
    summary="Start, extend (once, 1-2 months, with reason), complete or reject a request",
    tags=["requests"],
    body=RequestUpdateSchema,
    response=RequestSchema,
    errors=(400, 401, 403, 404, 409, 413, 422),
    auth=AUTH,
)
@require_role("dpo")
def update(request_id: str) -> ResponseReturnValue:
    """Move a request on; audited."""
    body = load_json(RequestUpdateSchema())
    row = requests.apply(
        request_id, body["action"], current_actor(), body["months"], body["reason"]
    )
    return jsonify(requests.serialise(row))
