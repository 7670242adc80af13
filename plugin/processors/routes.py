"""``/api/processors``: the register of processors and sub-processors (DPO and admin)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from marshmallow import RAISE, Schema, fields, validate

from plugin.agents.limits import limit_body
from plugin.api.contract import documented, load_json
from plugin.auth import current_actor, require_role
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.manifest import CATEGORIES
from plugin.models.processor import PROCESSOR_ROLES, TRANSFER_BASES
from plugin.processors import register

bp = Blueprint("processors", __name__, url_prefix="/api")
BODY_LIMIT = 16 * 1024
KEY = validate.Regexp(r"^[a-z0-9][a-z0-9_.-]{0,63}$", error="lower-case letters, digits, _ . -")
ERRS = (400, 401, 403, 404, 413, 422)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ProcessorInSchema(_Strict):
    key = fields.String(required=True, validate=KEY)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(load_default="processor", validate=validate.OneOf(PROCESSOR_ROLES))
    parent_key = fields.String(load_default=None, allow_none=True, validate=KEY)
    country = fields.String(
        required=True, validate=validate.Regexp(r"^[A-Z]{2}$", error="ISO 3166 alpha-2")
    )
    service = fields.String(load_default="", validate=validate.Length(max=500))
    transfer_basis = fields.String(load_default="unknown", validate=validate.OneOf(TRANSFER_BASES))
    transfer_mechanism = fields.String(load_default="", validate=validate.Length(max=500))
    agreement_date = fields.Date(load_default=None, allow_none=True)
    dpa_url = fields.Url(
        load_default="", schemes={"https"}, validate=validate.Length(max=500), allow_none=False
    )
    data_categories = fields.List(
        fields.String(validate=validate.OneOf(CATEGORIES)),
        load_default=list,
        validate=validate.Length(max=len(CATEGORIES)),
    )


class ReviewSchema(_Strict):
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class ProcessorSchema(Schema):
    key = fields.String()
    name = fields.String()
    role = fields.String()
    parent_key = fields.String(allow_none=True)
    country = fields.String()
    third_country = fields.Boolean()
    service = fields.String()
    transfer_basis = fields.String()
    transfer_mechanism = fields.String()
    agreement_date = fields.String(allow_none=True)
    dpa_url = fields.String()
    data_categories = fields.List(fields.String())
    last_review_on = fields.String(allow_none=True)
    last_review_by = fields.String()
    review_note = fields.String()
    gaps = fields.List(fields.String())


def _fail(exc: register.RegisterError) -> ApiError:
    return ApiError(
        exc.status, "invalid_processor" if exc.status == 422 else "not_found", exc.message
    )


@bp.get("/processors")
@documented(
    summary="The processor register (Art. 28), seeded from the manifest's recipients",
    tags=["documentation"],
    response=ProcessorSchema,
    many=True,
    errors=(401, 403),
    auth="agentJWT",
)
@require_role("dpo")
def list_processors() -> ResponseReturnValue:
    """Every processor with its sub-processors, agreement, transfer basis and review state."""
    if register.sync_from_manifest(current_app.extensions["datavagt.manifest"]):
        db.session.commit()
    return jsonify([register.as_dict(r) for r in register.entries()])


@bp.post("/processors")
@documented(
    summary="Add or change a processor or sub-processor (audited)",
    tags=["documentation"],
    body=ProcessorInSchema,
    response=ProcessorSchema,
    errors=ERRS,
    auth="agentJWT",
)
@require_role("dpo")
def save_processor() -> ResponseReturnValue:
    """Create (201) or update (200) one entry."""
    limit_body(BODY_LIMIT)
    data = load_json(ProcessorInSchema())
    register.sync_from_manifest(current_app.extensions["datavagt.manifest"])
    try:
        row, new = register.upsert(data, current_actor())
    except register.RegisterError as exc:
        raise _fail(exc) from exc
    db.session.commit()
    return jsonify(register.as_dict(row)), 201 if new else 200


@bp.post("/processors/<key>/review")
@documented(
    summary="Record that a processor's agreement and measures were reviewed today (audited)",
    tags=["documentation"],
    body=ReviewSchema,
    response=ProcessorSchema,
    errors=ERRS,
    auth="agentJWT",
)
@require_role("dpo")
def review_processor(key: str) -> ResponseReturnValue:
    """Set the last review to today, by the caller."""
    limit_body(BODY_LIMIT)
    data = load_json(ReviewSchema())
    register.sync_from_manifest(current_app.extensions["datavagt.manifest"])
    try:
        row = register.review(key[:64], current_actor(), data["note"])
    except register.RegisterError as exc:
        raise _fail(exc) from exc
    db.session.commit()
    return jsonify(register.as_dict(row))
