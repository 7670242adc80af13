"""``POST /api/messages``, ``GET /api/messages/<vendor>/<id>``, ``POST /api/outbound/check``."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from flask.typing import ResponseReturnValue

from plugin.agents.limits import limit_body
from plugin.api.contract import documented, load_json, load_query
from plugin.auth import current_actor, require_role
from plugin.errors import ApiError
from plugin.messages import outbound, service, threads
from plugin.messages.schemas import (
    CheckRequest,
    CheckResult,
    MessageSent,
    RequestQuery,
    SendMessage,
    Thread,
)

bp = Blueprint("messages", __name__, url_prefix="/api")
AGENT_ROLES = ("agent", "dpo")
MESSAGE_BODY_LIMIT = 64 * 1024  # 10,000 characters of UTF-8 and JSON escapes fit
CHECK_BODY_LIMIT = 128 * 1024


def _known_vendor(vendor: str) -> None:
    if vendor not in current_app.extensions["datavagt.manifest"].data["depends"]:
        raise ApiError(404, "not_found", "Unknown vendor")


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/messages")
@documented(
    summary="Send a secure message to a ticket's requester (stored encrypted, notice mailed)",
    tags=["messages"],
    body=SendMessage,
    response=MessageSent,
    errors=(400, 401, 403, 404, 409, 410, 413, 422),
    auth="agentJWT",
)
@require_role(*AGENT_ROLES)
def send() -> ResponseReturnValue:
    """Seal the body under the requester's key, audit ``message_sent``, mail a bare notice."""
    limit_body(MESSAGE_BODY_LIMIT)
    body = load_json(SendMessage())
    _known_vendor(body["vendor"])
    message = service.send_to_requester(
        current_actor(), body["vendor"], body["ticket_id"], body["body"], body["lang"]
    )
    answer = {
        "id": message.id,
        "created_at": message.created_at.isoformat(),
        "notified": message.notified_at is not None,
    }
    return _no_store(jsonify(answer)), 201


@bp.get("/messages")
@documented(
    summary="What a person wrote with a request (e.g. the correction wanted); audited",
    tags=["messages"],
    query=RequestQuery,
    response=Thread,
    errors=(401, 403, 404, 422),
    auth="agentJWT",
)
@require_role("dpo")
def request_notes() -> ResponseReturnValue:
    """Decrypted notes attached to one data-subject request (DPO and admin)."""
    query = load_query(RequestQuery())
    notes = threads.notes_for_request(current_actor(), query["request"])
    return _no_store(jsonify({"messages": notes}))


@bp.get("/messages/<vendor>/<ticket_id>")
@documented(
    summary="A ticket's secure messages, both directions (audited as a view)",
    tags=["messages"],
    response=Thread,
    errors=(401, 403, 404),
    auth="agentJWT",
)
@require_role(*AGENT_ROLES)
def thread(vendor: str, ticket_id: str) -> ResponseReturnValue:
    """Decrypted messages of one ticket for the agent handling it."""
    _known_vendor(vendor)
    if len(ticket_id) > 128:
        raise ApiError(404, "not_found", "Ticket not found")
    messages = threads.thread_for_ticket(current_actor(), vendor, ticket_id)
    return _no_store(jsonify({"messages": messages}))


@bp.post("/outbound/check")
@documented(
    summary="Personal data in a draft reply (types, categories, offsets; never values)",
    tags=["messages"],
    body=CheckRequest,
    response=CheckResult,
    errors=(400, 401, 403, 413, 422),
    auth="agentJWT",
)
@require_role(*AGENT_ROLES)
def check() -> ResponseReturnValue:
    """Classify the draft and recommend a secure message when it holds personal data."""
    limit_body(CHECK_BODY_LIMIT)
    body = load_json(CheckRequest())
    return _no_store(jsonify(outbound.check(body["text"], body["lang"])))
