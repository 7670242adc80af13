"""``GET /api/ropa``: the record of processing (DPO and admin)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from flask.typing import ResponseReturnValue
from marshmallow import RAISE, Schema, fields, validate

from plugin.api.contract import documented, load_query
from plugin.auth import require_role
from plugin.ropa.builder import build_ropa
from plugin.ropa.render import FORMATS, render

bp = Blueprint("ropa", __name__, url_prefix="/api")
MIMETYPES = {"html": "text/html", "md": "text/markdown"}


class RopaQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))


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
    """The record as JSON, HTML or Markdown."""
    fmt = load_query(RopaQuerySchema())["format"]
    record = build_ropa(current_app.extensions["datavagt.manifest"])
    if fmt == "json":
        return jsonify(record)
    return Response(render(record, fmt), mimetype=MIMETYPES[fmt])
