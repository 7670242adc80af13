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
    state = fields.String()
    jobs = fields.Dict(keys=fields.String(), values=fields.Integer())


class CertificateOut(Schema):
    type = fields.String()
    certificate = fields.String()
    claims = fields.Dict()
