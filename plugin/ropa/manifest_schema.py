"""The manifest's ``ropa:`` section: what Art. 30 asks that the rest of the manifest lacks.

``dpo`` (Art. 30(1)(a), Art. 37(7)); ``operator``: Datavagt itself as a processor of the
controller; ``criminal_data``: whether Art. 10 data is processed (a statement per purpose);
``as_processor``: Art. 30(2) records for centres that handle data on behalf of clients;
``names``: translated purpose names per language (``da``), English is the manifest's own.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from stdnum.dk import cvr as stdnum_cvr
from stdnum.exceptions import ValidationError as StdnumError


class _Strict(Schema):
    class Meta:
        unknown = RAISE


def check_cvr(value: str) -> None:
    """Empty or a CVR number with a valid modulus-11 check (python-stdnum)."""
    if value:
        try:
            stdnum_cvr.validate(value)
        except StdnumError as exc:
            raise ValidationError("not a valid CVR number") from exc


class DpoSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True)
    phone = fields.String(load_default="", validate=validate.Length(max=40))


class OperatorSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    country = fields.String(required=True, validate=validate.Length(equal=2))
    transfer_mechanism = fields.String(required=True)
    service = fields.String(load_default="")


class ProcessorActivitySchema(_Strict):
    """Art. 30(2): one category of processing carried out on behalf of a client controller."""

    client = fields.String(required=True, validate=validate.Length(min=1, max=200))
    client_contact = fields.String(load_default="", validate=validate.Length(max=200))
    categories_of_processing = fields.List(
        fields.String(validate=validate.Length(min=1, max=500)), required=True
    )
    transfers = fields.String(load_default="None")
    sub_processors = fields.List(fields.String(), load_default=list)


class RopaSchema(_Strict):
    dpo = fields.Nested(DpoSchema, load_default=None)
    operator = fields.Nested(OperatorSchema, load_default=None)
    criminal_data = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    as_processor = fields.List(fields.Nested(ProcessorActivitySchema), load_default=list)
    names = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^[a-z]{2}$")),
        values=fields.Dict(keys=fields.String(), values=fields.String()),
        load_default=dict,
    )
