"""Request and response schemas of the rights API."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from plugin.audit.free_text import NoPersonalData
from plugin.models.request import REQUEST_KINDS, REQUEST_STATUSES
from plugin.models.restriction import RESTRICTION_KINDS

_VALUE = validate.Length(min=1, max=320)
_REASON = [validate.Length(min=1, max=500), NoPersonalData()]


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class SearchSchema(_Strict):
    email = fields.String(validate=_VALUE)
    phone = fields.String(validate=validate.Length(min=3, max=40))
    vendor_id = fields.String(validate=validate.Regexp(r"^[a-z0-9_-]{1,32}:\S{1,128}$"))

    @validates_schema
    def _one(self, data: dict, **_: object) -> None:
        if not data:
            raise ValidationError("give email, phone or vendor_id")


class IdentifierSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    vendor = fields.String(allow_none=True)
    verified = fields.Boolean()
    subject_id = fields.String()


class SubjectSummarySchema(Schema):
    id = fields.String()
    created_at = fields.String()
    erased_at = fields.String(allow_none=True)
    merged_subjects = fields.List(fields.String())
    identifiers = fields.List(fields.Nested(IdentifierSchema))
    tickets_per_vendor = fields.Dict(keys=fields.String(), values=fields.Integer())
    restrictions = fields.List(fields.Dict())


class SearchResultSchema(Schema):
    subjects = fields.List(fields.Nested(SubjectSummarySchema))


class MergeSchema(_Strict):
    target_id = fields.String(required=True, validate=validate.Length(equal=36))
    source_ids = fields.List(
        fields.String(validate=validate.Length(equal=36)),
        required=True,
        validate=validate.Length(min=1, max=20),
    )
    reason = fields.String(required=True, validate=_REASON)


class SplitSchema(_Strict):
    merged_ids = fields.List(
        fields.String(validate=validate.Length(equal=36)), validate=validate.Length(max=20)
    )
    identifier_ids = fields.List(fields.Integer(), validate=validate.Length(max=50))
    reason = fields.String(required=True, validate=_REASON)


class SplitResultSchema(Schema):
    detached = fields.List(fields.String())
    moved_tickets = fields.List(
        fields.String(), metadata={"description": "'<vendor>:<ticket id>' moved to the new subject"}
    )


class ExportQuerySchema(_Strict):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "html")))
    lang = fields.String(load_default="en", validate=validate.OneOf(("da", "en")))


class ExportSchema(Schema):
    type = fields.String()
    export = fields.Dict()
    jws = fields.String()


class RectifySchema(_Strict):
    finding_id = fields.Integer()
    identifier = fields.Integer(metadata={"description": "SubjectIdentifier id"})
    new_value = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    reason = fields.String(required=True, validate=_REASON)

    @validates_schema
    def _one(self, data: dict, **_: object) -> None:
        if ("finding_id" in data) == ("identifier" in data):
            raise ValidationError("give exactly one of finding_id or identifier")


class RectifyResultSchema(Schema):
    finding_id = fields.Integer()
    identifier_id = fields.Integer()
    masked = fields.String()
    vendor_updated = fields.Boolean()
    vendors_updated = fields.List(fields.String())


class RestrictSchema(_Strict):
    kind = fields.String(required=True, validate=validate.OneOf(RESTRICTION_KINDS))
    purpose = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=64))
    reason = fields.String(required=True, validate=_REASON)


class LiftSchema(_Strict):
    reason = fields.String(required=True, validate=_REASON)


class GroundsSchema(_Strict):
    # Art. 21(1): the compelling legitimate grounds that override the person's objection.
    grounds = fields.String(
        required=True, validate=[validate.Length(min=10, max=500), NoPersonalData()]
    )


class RestrictionSchema(Schema):
    id = fields.Integer()
    subject_id = fields.String()
    kind = fields.String()
    purpose = fields.String(allow_none=True)
    reason = fields.String()
    created_by = fields.String()
    created_at = fields.String()
    lifted_at = fields.String(allow_none=True)
    lift_notice_at = fields.String(allow_none=True)
    compelling_grounds = fields.String(allow_none=True)


class RequestCreateSchema(_Strict):
    kind = fields.String(required=True, validate=validate.OneOf(REQUEST_KINDS))
    subject_id = fields.String(load_default=None, validate=validate.Length(equal=36))
    received_on = fields.Date(load_default=None)
    channel = fields.String(
        load_default="email",
        validate=validate.OneOf(("email", "letter", "phone", "portal", "form")),
    )


class RequestUpdateSchema(_Strict):
    action = fields.String(
        required=True, validate=validate.OneOf(("start", "extend", "complete", "reject"))
    )
    months = fields.Integer(load_default=2, validate=validate.Range(min=1, max=2))
    reason = fields.String(load_default="", validate=[validate.Length(max=500), NoPersonalData()])


class RequestQuerySchema(_Strict):
    status = fields.String(validate=validate.OneOf(REQUEST_STATUSES))
    overdue = fields.Boolean(load_default=False)
    due_within = fields.Integer(validate=validate.Range(min=0, max=365))


class RequestSchema(Schema):
    id = fields.String()
    kind = fields.String()
    subject_id = fields.String(allow_none=True)
    channel = fields.String()
    received_on = fields.String()
    due_on = fields.String()
    days_left = fields.Integer()
    overdue = fields.Boolean()
    extended_on = fields.String(allow_none=True)
    extension_months = fields.Integer(allow_none=True)
    extension_reason = fields.String(allow_none=True)
    extendable_until = fields.String()
    status = fields.String()
    resolution = fields.String(allow_none=True)
    created_by = fields.String()
    closed_at = fields.String(allow_none=True)
    closed_by = fields.String(allow_none=True)


class RequestListSchema(Schema):
    requests = fields.List(fields.Nested(RequestSchema))
