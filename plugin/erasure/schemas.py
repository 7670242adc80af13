"""Request and response schemas of the erasure API."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from plugin.audit.free_text import NoPersonalData


class EraseSchema(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.String(
        load_default="Art. 17 request",
        validate=[validate.Length(min=1, max=500), NoPersonalData()],
    )


class ErasureStatusOut(Schema):
    subject_id = fields.String()
    requested_at = fields.String(allow_none=True)
    # in_progress, failed, pending_expiry (jobs done; copies remain until dates), complete
    state = fields.String()
    jobs = fields.Dict(keys=fields.String(), values=fields.Integer())


class ErasureLegalBasisOut(Schema):
    ground = fields.String()
    article = fields.String()
    da = fields.String()
    en = fields.String()


class ErasureKeptOut(Schema):
    vendor = fields.String()
    ticket_ref = fields.String()
    purpose = fields.String()
    purpose_name = fields.String()
    legal_basis = fields.Nested(ErasureLegalBasisOut)
    until = fields.String(allow_none=True)
    retention_days = fields.Integer()
    retention_from = fields.String()


class ErasurePreviewTicketOut(Schema):
    vendor = fields.String()
    ticket_ref = fields.String()
    purpose = fields.String(allow_none=True)


class ErasurePreviewOut(Schema):
    subject_id = fields.String()
    erased_at = fields.String(allow_none=True)
    legal_hold = fields.Boolean()
    people = fields.List(fields.String())
    tickets = fields.List(fields.Nested(ErasurePreviewTicketOut))
    contacts = fields.Dict(keys=fields.String(), values=fields.Dict())
    contacts_unresolved = fields.List(fields.String())
    datavagt = fields.Dict(keys=fields.String(), values=fields.Integer())
    kept = fields.List(fields.Nested(ErasureKeptOut))
    backups_until = fields.String()


class CertificateOut(Schema):
    type = fields.String()
    certificate = fields.String()
    claims = fields.Dict()
