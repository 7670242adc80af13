"""Request and response schemas of the agent API and the identity exchange."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from plugin.audit.free_text import NoPersonalData


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class RevealRequest(_Strict):
    field = fields.String(required=True, validate=validate.Length(min=1, max=128))
    finding = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    reason = fields.String(load_default="", validate=[validate.Length(max=500), NoPersonalData()])


class RevealResponse(Schema):
    finding = fields.Integer()
    field = fields.String()
    type = fields.String()
    value = fields.String()


class RenderedFinding(Schema):
    id = fields.Integer()
    field = fields.String()
    category = fields.String()
    type = fields.String()
    level = fields.String()
    display = fields.String()
    revealable = fields.Boolean()
    over_collection = fields.Boolean()


class TicketField(Schema):
    name = fields.String()
    findings = fields.List(fields.Nested(RenderedFinding))


class TicketView(Schema):
    ticket = fields.Dict()
    role = fields.String()
    restricted = fields.Boolean()
    fields_ = fields.List(fields.Nested(TicketField), data_key="fields")
    purpose = fields.Dict(allow_none=True)
    retention = fields.Dict()
    consent = fields.Dict()
    categories = fields.List(fields.String())
    warnings = fields.List(fields.Dict())


class ExchangeResponse(Schema):
    token = fields.String()
    expires_in = fields.Integer()
    role = fields.String()


class FreshdeskAgent(_Strict):
    """What the Freshdesk app reads from ``client.data.get('loggedInUser')``; e-mail and
    groups are accepted for older app versions but the exchange reads them from Freshdesk."""

    agent_id = fields.String(load_default=None, validate=validate.Regexp(r"^[0-9A-Za-z_-]{1,64}$"))
    email = fields.Email(load_default=None, validate=validate.Length(max=254))
    group_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        load_default=list,
        validate=validate.Length(max=100),
    )
    # The ticket the app is open on (client.data.get("ticket")): the token is bound to it.
    ticket_id = fields.String(load_default=None, validate=validate.Regexp(r"^[0-9]{1,20}$"))
    # The agent's own Freshdesk API key: Datavagt asks Freshdesk whose it is (View Me).
    agent_key = fields.String(
        load_default=None, validate=validate.Regexp(r"^[0-9A-Za-z_-]{8,128}$"), load_only=True
    )


class DynamicsExchange(_Strict):
    """Optional body of the Dynamics exchange (the token travels in Authorization)."""


class HubSpotExchange(Schema):
    """hubspot.fetch body: whatever the card sends; identity comes from the signed query."""

    class Meta:
        unknown = "exclude"
