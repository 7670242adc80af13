"""Manifest sections of this subsystem: ``policies`` and ``agent_mapping``."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from plugin.access.levels import LEVELS

CATEGORIES = ("identity", "contact", "location", "financial", "online", "special")
DENY = "deny"
_LEVEL = validate.OneOf(LEVELS)
_FIELD_KEY = validate.Regexp(
    r"^[a-z0-9_]{1,32}\.\S{1,128}$", error="expected '<vendor>.<field>', e.g. hubspot.content"
)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class PoliciesSchema(_Strict):
    """Role x category -> level, plus per-vendor-field overrides."""

    default = fields.String(load_default="hidden", validate=_LEVEL)
    partial_chars = fields.Integer(load_default=2, validate=validate.Range(min=1, max=8))
    reason_min_length = fields.Integer(load_default=5, validate=validate.Range(min=1, max=200))
    roles = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(
            keys=fields.String(validate=validate.OneOf(CATEGORIES)),
            values=fields.String(validate=_LEVEL),
        ),
        load_default=dict,
    )
    overrides = fields.Dict(
        keys=fields.String(validate=_FIELD_KEY),
        values=fields.Dict(keys=fields.String(), values=fields.String(validate=_LEVEL)),
        load_default=dict,
    )


_IDS = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)


class VendorMappingSchema(_Strict):
    """One vendor's users, e-mails and groups/teams -> role, with a default role or deny."""

    default = fields.String(required=True)
    users = _IDS
    emails = _IDS
    groups = _IDS
    teams = _IDS


def access_references(data: dict[str, Any]) -> None:
    """Raise ValidationError when policies or agent_mapping name a role the manifest lacks."""
    roles = data.get("roles", {})
    policies = data.get("policies") or {}
    for role in policies.get("roles", {}):
        if role not in roles:
            raise ValidationError(f"unknown role {role!r}", field_name=f"policies.roles.{role}")
    for key, per_role in policies.get("overrides", {}).items():
        for role in per_role:
            if role not in roles:
                raise ValidationError(
                    f"unknown role {role!r}", field_name=f"policies.overrides.{key}"
                )
    mapping_references(data.get("agent_mapping") or {}, roles, "agent_mapping")


def mapping_references(mapping: dict[str, Any], roles: Any, where: str) -> None:
    """Raise ValidationError when a vendor mapping names an unknown role."""
    for vendor, spec in mapping.items():
        targets = [spec["default"]] if spec["default"] != DENY else []
        for kind in ("users", "emails", "groups", "teams"):
            targets.extend(spec[kind].values())
        for role in targets:
            if role not in roles:
                raise ValidationError(f"unknown role {role!r}", field_name=f"{where}.{vendor}")
