"""``/api/breaches``: the breach register (DPO and admin)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from marshmallow import RAISE, Schema, fields, validate

from plugin.agents.limits import limit_body
from plugin.api.contract import documented, load_json, load_query
from plugin.auth import current_actor, require_role
from plugin.breach import drafts, service
from plugin.breach.service import BreachError
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.manifest import CATEGORIES
from plugin.models.breach import BREACH_STATUSES
from plugin.ropa.i18n import LANGUAGES

bp = Blueprint("breach", __name__, url_prefix="/api")
BODY_LIMIT = 64 * 1024
ERRS = (400, 401, 403, 404, 409, 413, 422)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class BreachCreateSchema(_Strict):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="", validate=validate.Length(max=10000))
    detected_at = fields.AwareDateTime(load_default=None)
    occurred_at = fields.AwareDateTime(load_default=None)
    categories = fields.List(
        fields.String(validate=validate.OneOf(CATEGORIES)),
        load_default=list,
        validate=validate.Length(max=len(CATEGORIES)),
    )
    consequences = fields.String(load_default="", validate=validate.Length(max=10000))
    measures = fields.String(load_default="", validate=validate.Length(max=10000))
    high_risk = fields.Boolean(load_default=False)


class BreachUpdateSchema(_Strict):
    status = fields.String(validate=validate.OneOf(BREACH_STATUSES))
    description = fields.String(validate=validate.Length(max=10000))
    consequences = fields.String(validate=validate.Length(max=10000))
    measures = fields.String(validate=validate.Length(max=10000))
    high_risk = fields.Boolean()


class ListQuerySchema(_Strict):
    status = fields.String(load_default=None, validate=validate.OneOf(BREACH_STATUSES))


class DraftQuerySchema(_Strict):
    lang = fields.String(load_default="en", validate=validate.OneOf(LANGUAGES))


class BreachSchema(Schema):
    id = fields.String()
    title = fields.String()
    status = fields.String()
    source = fields.String()
    detected_at = fields.String()
    deadline = fields.String()
    hours_left = fields.Float()
    overdue = fields.Boolean()
    subjects_estimate = fields.Integer()
    records_estimate = fields.Integer()
    categories = fields.List(fields.String())
    high_risk = fields.Boolean()
    reminders = fields.List(fields.String())
    subjects_notified_at = fields.String(allow_none=True)
    subjects_notified = fields.Integer(allow_none=True)


class NoticeResultSchema(Schema):
    notified = fields.Integer()
    mailed = fields.Integer()


def _get(breach_id: str) -> object:
    try:
        return service.get(breach_id)
    except BreachError as exc:
        raise ApiError(exc.status, "not_found", str(exc)) from exc


@bp.post("/breaches")
@documented(
    summary="Register a (suspected) personal data breach; counts from the live inventory",
    tags=["breaches"],
    body=BreachCreateSchema,
    response=BreachSchema,
    errors=ERRS,
    auth="agentJWT",
)
@require_role("dpo")
def create() -> ResponseReturnValue:
    """Record the incident, start the 72-hour clock, audit it."""
    limit_body(BODY_LIMIT)
    data = load_json(BreachCreateSchema())
    try:
        breach = service.record(data, current_actor())
    except BreachError as exc:
        raise ApiError(exc.status, "invalid_breach", str(exc)) from exc
    db.session.commit()
    return jsonify(service.as_dict(breach)), 201


@bp.get("/breaches")
@documented(
    summary="The breach register, newest first",
    tags=["breaches"],
    query=ListQuerySchema,
    response=BreachSchema,
    many=True,
    errors=(401, 403, 422),
    auth="agentJWT",
)
@require_role("dpo")
def list_breaches() -> ResponseReturnValue:
    """Every incident with its clock."""
    args = load_query(ListQuerySchema())
    return jsonify([service.as_dict(b) for b in service.list_all(args["status"])])


@bp.get("/breaches/<breach_id>")
@documented(
    summary="One incident with its 72-hour clock",
    tags=["breaches"],
    response=BreachSchema,
    errors=(401, 403, 404),
    auth="agentJWT",
)
@require_role("dpo")
def show(breach_id: str) -> ResponseReturnValue:
    """The incident."""
    return jsonify(service.as_dict(_get(breach_id)))


@bp.patch("/breaches/<breach_id>")
@documented(
    summary="Change an incident's status or assessment (audited)",
    tags=["breaches"],
    body=BreachUpdateSchema,
    response=BreachSchema,
    errors=ERRS,
    auth="agentJWT",
)
@require_role("dpo")
def update(breach_id: str) -> ResponseReturnValue:
    """suspected -> confirmed|dismissed -> notified -> closed."""
    limit_body(BODY_LIMIT)
    breach = _get(breach_id)
    changes = load_json(BreachUpdateSchema())
    try:
        service.update(breach, changes, current_actor())
    except BreachError as exc:
        raise ApiError(exc.status, "invalid_transition", str(exc)) from exc
    db.session.commit()
    return jsonify(service.as_dict(breach))


@bp.get("/breaches/<breach_id>/drafts")
@documented(
    summary="Draft notification to the Datatilsynet (Art. 33) and to affected persons (Art. 34)",
    tags=["breaches"],
    query=DraftQuerySchema,
    errors=(401, 403, 404, 422),
    auth="agentJWT",
)
@require_role("dpo")
def draft(breach_id: str) -> ResponseReturnValue:
    """Both drafts in Danish or English."""
    lang = load_query(DraftQuerySchema())["lang"]
    breach = _get(breach_id)
    manifest = current_app.extensions["datavagt.manifest"]
    due = service.deadline(breach).isoformat()
    return jsonify(
        {
            "authority": drafts.authority(breach, due, manifest, lang),
            "subjects": drafts.subjects(breach, manifest, lang),
        }
    )


@bp.post("/breaches/<breach_id>/notify-subjects")
@documented(
    summary="Art. 34: send the message to every affected person's My pages (once; audited)",
    tags=["breaches"],
    response=NoticeResultSchema,
    errors=(401, 403, 404, 409, 413),
    auth="agentJWT",
)
@require_role("dpo")
def notify_subjects(breach_id: str) -> ResponseReturnValue:
    """Danish and English in one sealed message; an e-mail says a message waits."""
    from plugin.messages.service import mail_notices

    limit_body(1024)
    breach = _get(breach_id)
    try:
        addresses = service.notify_subjects(
            breach, current_actor(), current_app.extensions["datavagt.manifest"]
        )
    except BreachError as exc:
        db.session.rollback()
        raise ApiError(exc.status, "invalid_transition", str(exc)) from exc
    db.session.commit()
    return jsonify({"notified": breach.subjects_notified, "mailed": mail_notices(addresses)})
