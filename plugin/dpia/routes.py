"""``/api/dpias``: the DPIA workspace (Art. 35) for the DPO: draft, edit, sign off, revise."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from marshmallow import RAISE, Schema, fields, validate

from plugin.agents.limits import limit_body
from plugin.api.contract import documented, load_json
from plugin.auth import current_actor, require_role
from plugin.dpia import draft, service
from plugin.errors import ApiError
from plugin.extensions import db

bp = Blueprint("dpia", __name__, url_prefix="/api")
BODY_LIMIT = 64 * 1024
TEXT = validate.Length(max=20000)
ERRS = (400, 401, 403, 404, 409, 413, 422)
LEVEL = validate.OneOf(draft.LEVELS)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class RiskSchema(_Strict):
    key = fields.String(required=True, validate=validate.OneOf(service.RISK_KEYS))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    likelihood = fields.String(required=True, validate=LEVEL)
    severity = fields.String(required=True, validate=LEVEL)
    measures = fields.List(
        fields.String(validate=validate.OneOf(service.MEASURES)),
        load_default=list,
        validate=validate.Length(max=len(service.MEASURES)),
    )
    extra_measures = fields.String(load_default="", validate=validate.Length(max=2000))
    residual = fields.String(load_default=None, allow_none=True, validate=LEVEL)


class DpiaCreateSchema(_Strict):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))


class DpiaUpdateSchema(_Strict):
    title = fields.String(validate=validate.Length(min=1, max=200))
    necessity = fields.String(validate=TEXT)
    dpo_advice = fields.String(validate=TEXT)
    review_on = fields.Date(allow_none=True)
    criteria = fields.Dict(
        keys=fields.String(validate=validate.OneOf(draft.CRITERIA)), values=fields.Boolean()
    )
    risks = fields.List(fields.Nested(RiskSchema), validate=validate.Length(max=50))


class DpiaSchema(Schema):
    id = fields.String()
    title = fields.String()
    status = fields.String()
    revision_of = fields.String(allow_none=True)
    scope = fields.Dict()
    criteria = fields.Dict(keys=fields.String(), values=fields.Boolean())
    derived_criteria = fields.List(fields.String())
    required = fields.Boolean()
    risks = fields.List(fields.Dict())
    prior_consultation = fields.Boolean()
    necessity = fields.String()
    dpo_advice = fields.String()
    review_on = fields.String(allow_none=True)
    review_due = fields.Boolean()
    missing = fields.List(fields.String())
    signed_off_by = fields.String(allow_none=True)
    signed_off_at = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = fields.String(allow_none=True)


def _fail(exc: service.DpiaError) -> ApiError:
    codes = {404: "not_found", 409: "dpia_conflict", 422: "invalid_dpia"}
    message = exc.message + (f" ({', '.join(exc.missing)})" if exc.missing else "")
    return ApiError(exc.status, codes.get(exc.status, "invalid_dpia"), message)


def _get(dpia_id: str) -> service.Dpia:
    try:
        return service.get(dpia_id)
    except service.DpiaError as exc:
        raise _fail(exc) from exc


@bp.get("/dpias")
@documented(
    summary="Every impact assessment (Art. 35), newest first",
    tags=["documentation"],
    response=DpiaSchema,
    many=True,
    errors=(401, 403),
    auth="agentJWT",
)
@require_role("dpo")
def list_dpias() -> ResponseReturnValue:
    """Drafts and signed-off assessments."""
    return jsonify([service.as_dict(d) for d in service.list_all()])


@bp.post("/dpias")
@documented(
    summary="Start a DPIA draft pre-filled from the live inventory (audited)",
    tags=["documentation"],
    body=DpiaCreateSchema,
    response=DpiaSchema,
    errors=(400, 401, 403, 413, 422),
    auth="agentJWT",
    status=201,
)
@require_role("dpo")
def create_dpia() -> ResponseReturnValue:
    """Counts, Art. 9 share, vendors, transfers, retention, screening and known risks."""
    limit_body(BODY_LIMIT)
    data = load_json(DpiaCreateSchema())
    dpia = service.create(data["title"], current_actor())
    db.session.commit()
    return jsonify(service.as_dict(dpia)), 201


@bp.get("/dpias/<dpia_id>")
@documented(
    summary="One impact assessment",
    tags=["documentation"],
    response=DpiaSchema,
    errors=(401, 403, 404),
    auth="agentJWT",
)
@require_role("dpo")
def show_dpia(dpia_id: str) -> ResponseReturnValue:
    """The assessment with what sign-off still needs."""
    return jsonify(service.as_dict(_get(dpia_id)))


@bp.patch("/dpias/<dpia_id>")
@documented(
    summary="Change a draft: screening answers, risks and measures, necessity, advice",
    tags=["documentation"],
    body=DpiaUpdateSchema,
    response=DpiaSchema,
    errors=ERRS,
    auth="agentJWT",
)
@require_role("dpo")
def update_dpia(dpia_id: str) -> ResponseReturnValue:
    """Signed-off assessments answer 409: revise them instead."""
    limit_body(BODY_LIMIT)
    dpia = _get(dpia_id)
    changes = load_json(DpiaUpdateSchema())
    try:
        service.update(dpia, changes, current_actor())
    except service.DpiaError as exc:
        db.session.rollback()
        raise _fail(exc) from exc
    db.session.commit()
    return jsonify(service.as_dict(dpia))


@bp.post("/dpias/<dpia_id>/sign-off")
@documented(
    summary="Sign off a complete draft (signed with the controller's key; audited)",
    tags=["documentation"],
    response=DpiaSchema,
    errors=(401, 403, 404, 409),
    auth="agentJWT",
)
@require_role("dpo")
def sign_off_dpia(dpia_id: str) -> ResponseReturnValue:
    """409 names what is missing."""
    dpia = _get(dpia_id)
    try:
        service.sign_off(dpia, current_actor())
    except service.DpiaError as exc:
        db.session.rollback()
        raise _fail(exc) from exc
    db.session.commit()
    return jsonify(service.as_dict(dpia))


@bp.post("/dpias/<dpia_id>/revise")
@documented(
    summary="Start a new draft from a signed-off assessment with today's inventory",
    tags=["documentation"],
    response=DpiaSchema,
    errors=(401, 403, 404, 409),
    auth="agentJWT",
    status=201,
)
@require_role("dpo")
def revise_dpia(dpia_id: str) -> ResponseReturnValue:
    """The signed-off assessment stays as it was."""
    try:
        new = service.revise(_get(dpia_id), current_actor())
    except service.DpiaError as exc:
        raise _fail(exc) from exc
    db.session.commit()
    return jsonify(service.as_dict(new)), 201


@bp.get("/dpias/<dpia_id>/export")
@documented(
    summary="The signed DPIA file (datavagt verify checks it with the public key)",
    tags=["documentation"],
    errors=(401, 403, 404, 409),
    auth="agentJWT",
)
@require_role("dpo")
def export_dpia(dpia_id: str) -> ResponseReturnValue:
    """Only signed-off assessments."""
    try:
        return jsonify(service.export(_get(dpia_id)))
    except service.DpiaError as exc:
        raise _fail(exc) from exc
