"""Request and response schemas of the messages and outbound-check API."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from plugin.messages.service import MAX_BODY_CHARS

MAX_CHECK_CHARS = 20000
_ID = validate.Regexp(r"^[A-Za-z0-9._-]{1,128}$")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class SendMessage(_Strict):
    vendor = fields.String(required=True, validate=validate.Length(min=1, max=32))
    ticket_id = fields.String(required=True, validate=_ID)
    body = fields.String(required=True, validate=validate.Length(min=1, max=MAX_BODY_CHARS))
    lang = fields.String(load_default=None, validate=validate.OneOf(["da", "en"]))


class MessageSent(Schema):
    id = fields.String()
    created_at = fields.String()
    notified = fields.Boolean()


class MessageOut(Schema):
    id = fields.String()
    direction = fields.String()
    author = fields.String()
    ticket = fields.Dict(allow_none=True)
    request_id = fields.String(allow_none=True)
    body = fields.String(allow_none=True)
    created_at = fields.String()
    read_at = fields.String(allow_none=True)


class Thread(Schema):
    messages = fields.List(fields.Nested(MessageOut))


class CheckRequest(_Strict):
    text = fields.String(required=True, validate=validate.Length(max=MAX_CHECK_CHARS))
    lang = fields.String(load_default="auto", validate=validate.OneOf(["auto", "da", "en"]))


class ReplyRequest(_Strict):
    """A reply about to be sent as plain e-mail from the CRM's reply path."""

    text = fields.String(required=True, validate=validate.Length(max=MAX_CHECK_CHARS))
    lang = fields.String(load_default="auto", validate=validate.OneOf(["auto", "da", "en"]))
    ui_lang = fields.String(load_default="da", validate=validate.OneOf(["da", "en"]))
    confirmed = fields.Boolean(load_default=False)
    vendor = fields.String(validate=validate.Length(min=1, max=32))
    ticket_id = fields.String(validate=_ID)


class CheckFinding(Schema):
    type = fields.String()
    category = fields.String()
    start = fields.Integer()
    end = fields.Integer()
    score = fields.Float()
    detector = fields.String()


class CheckResult(Schema):
    findings = fields.List(fields.Nested(CheckFinding))
    categories = fields.List(fields.String())
    types = fields.List(fields.String())
    contains_personal_data = fields.Boolean()
    special_category = fields.Boolean()
    recommendation = fields.String()
    message = fields.String()
    flagged = fields.List(fields.String())
    decision = fields.String()
    mode = fields.String()
    offer = fields.String(allow_none=True)
    messages = fields.Dict(keys=fields.String(), values=fields.String())


class ReplyResult(CheckResult):
    allowed = fields.Boolean()


class RequestQuery(_Strict):
    request = fields.String(required=True, validate=validate.Length(min=1, max=36))
