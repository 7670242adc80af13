"""``POST /auth/exchange/<vendor>``: a CRM's proof of the agent in, a Datavagt JWT out."""

from __future__ import annotations

import logging
import re

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from plugin.agents.exchange.dynamics import verify_dynamics
from plugin.agents.exchange.errors import ExchangeError
from plugin.agents.exchange.freshdesk import freshdesk_identity, verify_freshdesk_secret
from plugin.agents.exchange.hubspot import signed_ticket, verify_hubspot
from plugin.agents.exchange.service import exchange
from plugin.agents.limits import limit_body
from plugin.agents.schemas import ExchangeResponse, FreshdeskAgent
from plugin.alerts.rules import count_failed_signin
from plugin.api.contract import documented, load_json
from plugin.errors import ApiError

log = logging.getLogger(__name__)
bp = Blueprint("agent_exchange", __name__, url_prefix="/auth/exchange")
VENDORS = ("freshdesk", "hubspot", "dynamics")
_GUID = re.compile(r"[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}")


def called_url() -> str:
    """The URL as the caller signed it (DATAVAGT_PUBLIC_URL behind a proxy)."""
    settings = current_app.extensions["datavagt.settings"]
    query = request.query_string.decode("latin-1")
    path = request.path + (f"?{query}" if query else "")
    base = settings.public_url or request.host_url
    return base.rstrip("/") + path


@bp.post("/<vendor>")
@documented(
    summary="Exchange a CRM's proof of the agent for a 15-minute Datavagt JWT",
    tags=["agents"],
    body=FreshdeskAgent,
    response=ExchangeResponse,
    errors=(400, 401, 404, 413, 422),
)
def post_exchange(vendor: str) -> ResponseReturnValue:
    """HubSpot signature v3, Azure AD token or Freshdesk app secret -> token, role."""
    if vendor not in VENDORS:
        raise ApiError(404, "not_found", "Unknown vendor")
    limit_body()
    settings = current_app.extensions["datavagt.settings"].vendor(vendor)
    try:
        if vendor == "hubspot":
            identity = verify_hubspot(request, called_url(), settings)
            ticket = signed_ticket(called_url())
        elif vendor == "dynamics":
            identity = verify_dynamics(request, settings)
            ticket = _dynamics_case(request.args.get("ticket"))
        else:
            # Authenticate before parsing, so strangers learn nothing about the body's shape.
            verify_freshdesk_secret(request, settings)
            body = load_json(FreshdeskAgent())
            identity = freshdesk_identity(body, settings)
            ticket = body.get("ticket_id")
        result = exchange(identity, method=vendor, ticket=ticket)
    except ExchangeError as exc:
        log.info("identity exchange refused", extra={"vendor": vendor, "reason": str(exc)})
        count_failed_signin("agent_exchange")
        raise ApiError(401, "unauthorized", str(exc)) from exc
    response = jsonify(result)
    response.headers["Cache-Control"] = "no-store"
    return response


def _dynamics_case(value: str | None) -> str | None:
    """The case the Dynamics form opened the widget on (``?ticket=``), a GUID or nothing."""
    if value is None:
        return None
    case = value.strip("{}").lower()
    if not _GUID.fullmatch(case):
        raise ApiError(400, "bad_request", "ticket must be a case id (GUID)")
    return case
