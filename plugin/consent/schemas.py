"""Request and response schemas of the consent API."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from plugin.consent.receipt import CHANNELS
from plugin.consent.texts import MAX_TEXT_CHARS, ON_WITHDRAWAL

# What an agent or DPO may record through the API; forms and the portal record their own.
API_CHANNELS = ("phone", "email", "chat", "agent")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class GiveSchema(_Strict):
    subject_id = fields.String(required=True, validate=validate.Length(equal=36))
    purpose = fields.String(required=True, validate=validate.Length(min=1, max=64))
    text_id = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    channel = fields.String(required=True, validate=validate.OneOf(API_CHANNELS))
    explicit = fields.Boolean(load_default=False)


class WithdrawSchema(_Strict):
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))


class ListQuery(_Strict):
    subject_id = fields.String(required=True, validate=validate.Length(equal=36))


class TextsQuery(_Strict):
    purpose = fields.String(validate=validate.Length(min=1, max=64))


class ReceiptQuery(_Strict):
    kind = fields.String(load_default="given", validate=validate.OneOf(("given", "withdrawn")))


class PublishSchema(_Strict):
    purpose = fields.String(required=True, validate=validate.Length(min=1, max=64))
    language = fields.String(required=True, validate=validate.Regexp(r"^[a-z]{2}$"))
    text = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TEXT_CHARS))
    on_withdrawal = fields.String(load_default="stop", validate=validate.OneOf(ON_WITHDRAWAL))


class TextOut(Schema):
    id = fields.Integer()
    purpose = fields.String()
    language = fields.String()
    version = fields.Integer()
    sha256 = fields.String()
    published_at = fields.DateTime()
    text = fields.String()
    on_withdrawal = fields.String()


class TextRef(Schema):
    id = fields.Integer()
    language = fields.String()
    version = fields.Integer()
    sha256 = fields.String()
    published_at = fields.String()
    text = fields.String()
    on_withdrawal = fields.String()


class ConsentOut(Schema):
    id = fields.String()
    subject_id = fields.String()
    purpose = fields.String()
    explicit = fields.Boolean()
    channel = fields.String()
    evidence = fields.Dict()
    given_at = fields.String()
    withdrawn_at = fields.String(allow_none=True)
    withdrawn_channel = fields.String(allow_none=True)
    active = fields.Boolean()
    withdrawal_effect = fields.Dict(allow_none=True)
    withdrawal_receipt_text = fields.Dict(allow_none=True)
    text = fields.Nested(TextRef)
    receipt_url = fields.String()
    withdrawal_receipt_url = fields.String(allow_none=True)
