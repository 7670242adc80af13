"""Query and response schemas of ``/api/audit``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate

from plugin.audit.actions import ACTIONS

MAX_PER_PAGE = 500


class _Window(Schema):
    class Meta:
        unknown = RAISE

    since = fields.DateTime()
    until = fields.DateTime()

    @post_load
    def _utc(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        for name in ("since", "until"):
            moment: datetime | None = data.get(name)
            if moment is not None:
                data[name] = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
        if data.get("since") and data.get("until") and data["since"] >= data["until"]:
            raise ValidationError("must be before until", field_name="since")
        return data


class AuditQuery(_Window):
    """Filters, cursor and format of ``GET /api/audit``."""

    subject = fields.String(validate=validate.Length(min=1, max=36))
    agent = fields.String(validate=validate.Length(min=1, max=128))
    ticket = fields.String(validate=validate.Length(min=3, max=170))
    action = fields.String(validate=validate.OneOf(sorted(ACTIONS)))
    cursor = fields.Integer(validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_PER_PAGE))
    format = fields.String(validate=validate.OneOf(["json", "csv"]))


class AlertsQuery(_Window):
    """The period ``GET /api/audit/alerts`` looks at (default: the last 7 days)."""


class AuditEventOut(Schema):
    """One audit event: ids, codes and reasons, never personal data values."""

    seq = fields.Integer()
    occurred_at = fields.String()
    agent = fields.String()
    role = fields.String(allow_none=True)
    vendor_user = fields.String(allow_none=True)
    action = fields.String()
    subject_id = fields.String(allow_none=True)
    ticket_ref = fields.String(allow_none=True)
    field = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    source = fields.String()
    details = fields.Dict()
    prev_hash = fields.String()
    hash = fields.String()


class AuditPageOut(Schema):
    """A page of events, newest first, with the link to the next page."""

    events = fields.List(fields.Nested(AuditEventOut))
    next = fields.String(allow_none=True)


class AlertOut(Schema):
    """An agent who revealed more values in one hour than allowed."""

    agent = fields.String()
    role = fields.String(allow_none=True)
    count = fields.Integer()
    limit = fields.Integer()
    window_start = fields.String()
    window_end = fields.String()
    total_reveals = fields.Integer()


class AlertsOut(Schema):
    """Flagged agents in the period."""

    since = fields.String()
    until = fields.String()
    alerts = fields.List(fields.Nested(AlertOut))


class InclusionQuery(Schema):
    """Which event, in which signed tree (default: the smallest one containing it)."""

    class Meta:
        unknown = RAISE

    seq = fields.Integer(required=True, validate=validate.Range(min=1, max=2**62))
    tree_size = fields.Integer(validate=validate.Range(min=1, max=2**62))


class ConsistencyQuery(Schema):
    """Two signed tree sizes, ``first`` <= ``second``."""

    class Meta:
        unknown = RAISE

    first = fields.Integer(required=True, validate=validate.Range(min=1, max=2**62))
    second = fields.Integer(required=True, validate=validate.Range(min=1, max=2**62))


class TreeHeadOut(Schema):
    """A signed tree head (RFC 9162 names) and the compact JWS (Ed25519) that signs it."""

    tree_size = fields.Integer()
    root_hash = fields.String()
    head_hash = fields.String()
    signed_at = fields.String()
    kid = fields.String()
    jws = fields.String()


class ProofEventOut(Schema):
    """An event exactly as its hash covers it, plus that hash."""

    seq = fields.Integer()
    occurred_at = fields.String()
    actor_id = fields.String()
    actor_role = fields.String(allow_none=True)
    vendor_user = fields.String(allow_none=True)
    action = fields.String()
    subject_id = fields.String(allow_none=True)
    ticket_ref = fields.String(allow_none=True)
    field = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    source = fields.String()
    details = fields.Dict()
    prev_hash = fields.String()
    hash = fields.String()


class InclusionOut(Schema):
    """RFC 9162 inclusion proof of one event under a signed tree head."""

    type = fields.String()
    version = fields.Integer()
    leaf_index = fields.Integer()
    tree_size = fields.Integer()
    inclusion_path = fields.List(fields.String())
    event = fields.Nested(ProofEventOut)
    tree_head = fields.Nested(TreeHeadOut)


class ConsistencyOut(Schema):
    """RFC 9162 consistency proof: the tree of size ``first`` is a prefix of ``second``."""

    type = fields.String()
    version = fields.Integer()
    first = fields.Integer()
    second = fields.Integer()
    consistency_path = fields.List(fields.String())
    first_tree_head = fields.Nested(TreeHeadOut)
    second_tree_head = fields.Nested(TreeHeadOut)
