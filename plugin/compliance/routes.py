"""``GET /api/compliance``: the compliance report for the DPO."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from marshmallow import RAISE, Schema, fields, validate

from plugin.api.contract import documented, load_query
from plugin.auth import require_role
from plugin.compliance.report import DEFAULT_LIMIT, report

bp = Blueprint("compliance", __name__, url_prefix="/api/compliance")


class ReportQuery(Schema):
    class Meta:
        unknown = RAISE

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(min=1, max=1000))


class CheckOut(Schema):
    total = fields.Integer()
    by_purpose = fields.Dict(keys=fields.String(), values=fields.Integer())
    tickets = fields.List(fields.Dict())


class ReportOut(Schema):
    generated_at = fields.String()
    special_without_basis = fields.Nested(CheckOut)
    processing_after_withdrawal = fields.Nested(CheckOut)
    plain_email_replies = fields.Dict()


@bp.get("")
@documented(
    summary="Art. 9 data without a basis; consent-based processing after withdrawal",
    tags=["compliance"],
    query=ReportQuery,
    response=ReportOut,
    errors=(401, 403, 422),
    auth="agentJWT",
)
@require_role("dpo")
def compliance() -> ResponseReturnValue:
    """The compliance report, counts per purpose and the first ``limit`` tickets of each check."""
    query = load_query(ReportQuery())
    return jsonify(report(query["limit"]))
