"""Request and response schemas of the retention API."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from plugin.audit.free_text import NoPersonalData
from plugin.retention.outbox import STATUSES

TICKET_REF = r"^[a-z0-9_-]{1,32}:[^\s:][^\s]{0,127}$"


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class PreviewQuery(_Strict):
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=5000))


class JobsQuery(_Strict):
    status = fields.String(validate=validate.OneOf(STATUSES))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class HoldSchema(_Strict):
    ticket = fields.String(validate=validate.Regexp(TICKET_REF, error="expected vendor:id"))
    subject_id = fields.String(validate=validate.Length(equal=36))
    reason = fields.String(validate=[validate.Length(min=1, max=500), NoPersonalData()])

    @validates_schema
    def _one_target(self, data: dict[str, Any], **_: Any) -> None:
        if ("ticket" in data) == ("subject_id" in data):
            raise ValidationError("give exactly one of ticket, subject_id")


class SetHoldSchema(HoldSchema):
    reason = fields.String(
        required=True, validate=[validate.Length(min=1, max=500), NoPersonalData()]
    )


class PlannedOut(Schema):
    ticket_id = fields.Integer()
    ticket_ref = fields.String()
    purpose = fields.String()
    rule = fields.String()
    due_at = fields.String()
    action = fields.String()
    blocked_by = fields.String(allow_none=True)


class PreviewOut(Schema):
    generated_at = fields.String()
    count = fields.Integer()
    truncated = fields.Boolean()
    actions = fields.List(fields.Nested(PlannedOut))


class JobOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    vendor = fields.String()
    target = fields.String()
    subject_id = fields.String(allow_none=True)
    ticket_id = fields.Integer(allow_none=True)
    reason = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    next_attempt_at = fields.DateTime()
    last_error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    completed_at = fields.DateTime(allow_none=True)
    evidence = fields.String(allow_none=True)


class JobsOut(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    jobs = fields.List(fields.Nested(JobOut))


class HoldOut(Schema):
    scope = fields.String()
    ticket = fields.String(allow_none=True)
    subject_id = fields.String(allow_none=True)
    legal_hold = fields.Boolean()
    reason = fields.String(allow_none=True)
    jobs_in_flight = fields.Integer()
    jobs_requeued = fields.Integer()
    # Vendor deletion events waiting for this hold to be lifted (inbox ids, no content).
    parked_deletions = fields.List(fields.Dict())


class HoldsOut(Schema):
    holds = fields.List(fields.Nested(HoldOut))
