"""``/api/ropa``: the record of processing (DPO and admin), live or as saved signed versions."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from flask.typing import ResponseReturnValue
from marshmallow import RAISE, Schema, fields, validate

from plugin.agents.limits import limit_body
from plugin.api.contract import documented, load_query
from plugin.auth import current_actor, require_role
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.models.ropa import RopaVersion
from plugin.ropa import versions
from plugin.ropa.builder import build_ropa
from plugin.ropa.i18n import LANGUAGES
from plugin.ropa.pdf import render_pdf
from plugin.ropa.render import FORMATS, render

bp = Blueprint("ropa", __name__, url_prefix="/api")
MIMETYPES = {"html": "text/html", "md": "text/markdown", "pdf": "application/pdf"}
MAX_VERSION = 2_000_000_000
SAVE_BODY_LIMIT = 1024  # the save call takes no body; anything bigger is refused unread


class RopaQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))
    lang = fields.String(load_default="en", validate=validate.OneOf(LANGUAGES))


class VersionQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    # json: the signed file (both languages); html/md/pdf: one language rendered.
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))
    lang = fields.String(load_default="en", validate=validate.OneOf(LANGUAGES))


class DiffQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    old = fields.Integer(
        data_key="from", required=True, validate=validate.Range(min=1, max=MAX_VERSION)
    )
    new = fields.Integer(
        data_key="to", required=True, validate=validate.Range(min=1, max=MAX_VERSION)
    )
    lang = fields.String(load_default="en", validate=validate.OneOf(LANGUAGES))


class VersionSummarySchema(Schema):
    version = fields.Integer()
    created_at = fields.String()
    created_by = fields.String()
    sha256 = fields.String()
    kid = fields.String()


def _version(number: int) -> RopaVersion:
    row = versions.get_version(number) if 0 < number <= MAX_VERSION else None
    if row is None:
        raise ApiError(404, "not_found", "No saved record of processing with that version")
    return row


def _rendered(record: dict, fmt: str, version: dict | None = None) -> ResponseReturnValue:
    if fmt == "json":
        return jsonify(record)
    if fmt == "pdf":
        name = f"ropa-v{version['version']}" if version else "ropa"
        return Response(
            render_pdf(record, version=version),
            mimetype=MIMETYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{name}-{record["lang"]}.pdf"'},
        )
    return Response(render(record, fmt, version=version), mimetype=MIMETYPES[fmt])


@bp.get("/ropa")
@documented(
    summary="Record of processing activities (Art. 30) from the manifest and live data",
    tags=["documentation"],
    query=RopaQuerySchema,
    errors=(401, 403, 422),
    auth="agentJWT",
)
@require_role("dpo")
def ropa() -> ResponseReturnValue:
    """The live record as JSON, HTML, Markdown or PDF, in Danish or English."""
    args = load_query(RopaQuerySchema())
    record = build_ropa(current_app.extensions["datavagt.manifest"], args["lang"])
    return _rendered(record, args["format"])


@bp.post("/ropa/versions")
@documented(
    summary="Save the current record of processing as a new signed, dated version",
    tags=["documentation"],
    response=VersionSummarySchema,
    errors=(401, 403, 413),
    auth="agentJWT",
)
@require_role("dpo")
def save() -> ResponseReturnValue:
    """Build both languages, sign with the active Ed25519 key, store and audit (no body)."""
    limit_body(SAVE_BODY_LIMIT)
    row = versions.save_version(
        current_app.extensions["datavagt.manifest"],
        current_app.extensions["datavagt.keyring"],
        current_actor(),
    )
    db.session.commit()
    return jsonify(versions.summary(row)), 201


@bp.get("/ropa/versions")
@documented(
    summary="Saved versions of the record of processing, newest first",
    tags=["documentation"],
    response=VersionSummarySchema,
    many=True,
    errors=(401, 403),
    auth="agentJWT",
)
@require_role("dpo")
def list_saved() -> ResponseReturnValue:
    """Number, date, author, digest and signing key of each saved version."""
    return jsonify([versions.summary(row) for row in versions.list_versions()])


@bp.get("/ropa/versions/<int:number>")
@documented(
    summary="One saved version: the signed file (JSON) or one language rendered",
    tags=["documentation"],
    query=VersionQuerySchema,
    errors=(401, 403, 404, 422),
    auth="agentJWT",
)
@require_role("dpo")
def get_saved(number: int) -> ResponseReturnValue:
    """The signed file (``datavagt verify`` checks it) or its record as HTML/Markdown."""
    args = load_query(VersionQuerySchema())
    row = _version(number)
    if args["format"] == "json":
        response = jsonify(versions.envelope(row))
        response.headers["Content-Disposition"] = f'attachment; filename="ropa-v{row.version}.json"'
        return response
    record = row.document["records"][args["lang"]]
    return _rendered(record, args["format"], versions.summary(row))


@bp.get("/ropa/diff")
@documented(
    summary="What changed between two saved versions of the record of processing",
    tags=["documentation"],
    query=DiffQuerySchema,
    errors=(401, 403, 404, 422),
    auth="agentJWT",
)
@require_role("dpo")
def diff() -> ResponseReturnValue:
    """Added, removed and changed fields from version ``from`` to version ``to``."""
    args = load_query(DiffQuerySchema())
    old, new = _version(args["old"]), _version(args["new"])
    lang = args["lang"]
    changes = versions.diff(old.document["records"][lang], new.document["records"][lang])
    return jsonify({"from": old.version, "to": new.version, "lang": lang, **changes})
