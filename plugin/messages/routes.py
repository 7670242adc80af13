"""``POST /api/messages``, ``GET /api/messages/<vendor>/<id>``, ``POST /api/outbound/check``
and ``POST /api/outbound/reply`` (the gate a CRM reply path calls before sending)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from flask.typing import ResponseReturnValue

from plugin import audit
from plugin.agents.limits import limit_body
from plugin.api.contract import documented, load_json, load_query
from plugin.auth import current_actor, require_role
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.messages import outbound, service, threads
from plugin.messages.schemas import (
    CheckRequest,
    CheckResult,
    MessageSent,
    ReplyRequest,
    ReplyResult,
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


@bp.post("/outbound/reply")
@documented(
    summary="May this reply go as plain e-mail? warn / confirm / block by outbound_mode",
    tags=["messages"],
    body=ReplyRequest,
    response=ReplyResult,
    errors=(400, 401, 403, 409, 413, 422),
    auth="agentJWT",
)
@require_role(*AGENT_ROLES)
def reply() -> ResponseReturnValue:
    """The gate of a plain reply: 200 when it may be sent, else a da/en refusal.

    A reply with a CPR number, card, IBAN or Art. 9 data is refused in ``block`` mode (422
    ``outbound_blocked``) and needs ``confirmed: true`` in ``confirm`` mode (409
    ``confirmation_required``; the confirmation is audited). Either refusal offers the
    secure message (``POST /api/messages``) instead.
    """
    limit_body(CHECK_BODY_LIMIT)
    body = load_json(ReplyRequest())
    result = outbound.check(body["text"], body["lang"])
    decision = result["decision"]
    refusal = None
    if decision == "block":
        refusal = (422, "outbound_blocked")
    elif decision == "confirm" and not body["confirmed"]:
        refusal = (409, "confirmation_required")
    if refusal is not None:
        raise ApiError(
            refusal[0],
            refusal[1],
            result["messages"][body["ui_lang"]],
            {
                "messages": result["messages"],
                "flagged": result["flagged"],
                "offer": outbound.SECURE_OFFER,
                "secure_message": {"method": "POST", "path": "/api/messages"},
            },
        )
    if decision == "confirm":
        ref = f"{body['vendor']}:{body['ticket_id']}" if body.get("vendor") else None
        audit.record(
            audit.actions.OUTBOUND_CONFIRMED,
            actor=current_actor(),
            ticket_ref=ref if ref and body.get("ticket_id") else None,
            details={"flagged": result["flagged"], "mode": result["mode"]},
        )
        db.session.commit()
    return _no_store(jsonify({**result, "allowed": True}))
