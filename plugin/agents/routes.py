"""Agent API: ``GET /api/tickets/<vendor>/<id>`` and ``POST .../reveal``."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue

from plugin.access.policy_audit import ensure_policy_audited
from plugin.agents import tickets
from plugin.agents.limits import limit_body
from plugin.agents.schemas import RevealRequest, RevealResponse, TicketView
from plugin.api.contract import documented, load_json
from plugin.auth import current_actor, require_role
from plugin.errors import ApiError

bp = Blueprint("agent_tickets", __name__, url_prefix="/api/tickets")
AGENT_ROLES = ("agent", "dpo")  # every manifest role implies one of these
_EXTERNAL_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


def _check_path(vendor: str, ticket_id: str) -> None:
    """Unknown vendors and impossible ids are simply not found."""
    if vendor not in current_app.extensions["datavagt.manifest"].data["depends"]:
        raise ApiError(404, "not_found", "Unknown vendor")
    if not _EXTERNAL_ID.match(ticket_id):
        raise ApiError(404, "not_found", "Ticket not found")


@bp.before_request
def _audit_policy_once() -> None:
    ensure_policy_audited(current_app._get_current_object())  # type: ignore[attr-defined]


@bp.get("/<vendor>/<ticket_id>")
@documented(
    summary="A ticket's personal data, masked by the caller's role",
    tags=["agents"],
    response=TicketView,
    errors=(401, 403, 404),
    auth="agentJWT",
)
@require_role(*AGENT_ROLES)
def get_ticket(vendor: str, ticket_id: str) -> ResponseReturnValue:
    """Render the ticket's findings for the caller's role and audit the view."""
    _check_path(vendor, ticket_id)
    response = jsonify(tickets.view_ticket(current_actor(), vendor, ticket_id))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<vendor>/<ticket_id>/reveal")
@documented(
    summary="Reveal one value with a reason where policy allows",
    tags=["agents"],
    body=RevealRequest,
    response=RevealResponse,
    errors=(400, 401, 403, 404, 410, 413, 422),
    auth="agentJWT",
)
@require_role(*AGENT_ROLES)
def post_reveal(vendor: str, ticket_id: str) -> ResponseReturnValue:
    """Return the clear value (audited as reveal) or 403 (audited as reveal_denied)."""
    _check_path(vendor, ticket_id)
    limit_body()
    body = load_json(RevealRequest())
    result = tickets.reveal(
        current_actor(),
        vendor,
        ticket_id,
        field=body["field"],
        finding_id=body["finding"],
        reason=body["reason"],
    )
    response = jsonify(result)
    response.headers["Cache-Control"] = "no-store"
    return response
