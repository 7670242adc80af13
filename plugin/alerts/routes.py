"""``/api/alerts``: alerts raised by the watch rules, and their acknowledgement (DPO)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from marshmallow import RAISE, Schema, fields, validate

from plugin.agents.limits import limit_body
from plugin.alerts import i18n, service
from plugin.api.contract import documented, load_query
from plugin.auth import current_actor, require_role
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.models.alert import ALERT_STATUSES

bp = Blueprint("alerts", __name__, url_prefix="/api")


class AlertQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    status = fields.String(load_default=None, validate=validate.OneOf(ALERT_STATUSES))
    lang = fields.String(load_default="en", validate=validate.OneOf(i18n.LANGUAGES))


class AlertSchema(Schema):
    id = fields.String()
    rule = fields.String()
    status = fields.String()
    title = fields.String()
    params = fields.Dict()
    occurrences = fields.Integer()
    first_at = fields.String()
    last_at = fields.String()
    notified_at = fields.String(allow_none=True)
    deliveries = fields.List(fields.Dict())
    breach_id = fields.String(allow_none=True)
    acknowledged_by = fields.String(allow_none=True)
    acknowledged_at = fields.String(allow_none=True)


@bp.get("/alerts")
@documented(
    summary="Alerts from the watch rules (bulk reveals, mass exports, failed sign-ins, audit)",
    tags=["audit"],
    query=AlertQuerySchema,
    response=AlertSchema,
    many=True,
    errors=(401, 403, 422),
    auth="agentJWT",
)
@require_role("dpo")
def list_alerts() -> ResponseReturnValue:
    """Most recently seen first, in Danish or English."""
    args = load_query(AlertQuerySchema())
    rows = service.list_alerts(args["status"])
    return jsonify([service.as_dict(a, args["lang"]) for a in rows])


@bp.post("/alerts/<alert_id>/ack")
@documented(
    summary="Acknowledge an alert (audited); a new burst afterwards raises a new alert",
    tags=["audit"],
    response=AlertSchema,
    errors=(401, 403, 404, 409, 413),
    auth="agentJWT",
)
@require_role("dpo")
def acknowledge(alert_id: str) -> ResponseReturnValue:
    """409 when it was acknowledged already."""
    limit_body(1024)
    try:
        alert = service.acknowledge(alert_id, current_actor())
    except service.AlertError as exc:
        raise ApiError(
            exc.status, "not_found" if exc.status == 404 else "conflict", exc.message
        ) from exc
    db.session.commit()
    return jsonify(service.as_dict(alert))
