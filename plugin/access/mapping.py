"""Vendor users, e-mails and groups/teams -> Datavagt role, from the manifest or settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from marshmallow import ValidationError

from plugin.access.manifest_schema import DENY, VendorMappingSchema, mapping_references
from plugin.config import ConfigError

EXTENSION = "datavagt.agent_mapping"


class MappingDenied(Exception):
    """The vendor user maps to no role (the vendor's default is ``deny``)."""


@dataclass(frozen=True)
class VendorIdentity:
    """Who a vendor says the agent is, after the vendor's proof was verified."""

    vendor: str
    user_id: str
    email: str | None = None
    groups: tuple[str, ...] = field(default_factory=tuple)
    teams: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class AgentMapping:
    """Per vendor: explicit user id, then e-mail, then first listed group/team, then default."""

    vendors: dict[str, dict[str, Any]]

    def role_for(self, identity: VendorIdentity) -> str:
        """The role of ``identity``; MappingDenied when the vendor denies unknown users."""
        spec = self.vendors.get(identity.vendor)
        if spec is None:
            raise MappingDenied(f"no agent mapping for {identity.vendor}")
        if identity.user_id in spec["users"]:
            return spec["users"][identity.user_id]
        email = (identity.email or "").strip().lower()
        emails = {k.lower(): v for k, v in spec["emails"].items()}
        if email and email in emails:
            return emails[email]
        # Manifest order decides between several matching groups, so the answer is stable.
        for kind, held in (("groups", identity.groups), ("teams", identity.teams)):
            for group, role in spec[kind].items():
                if group in held:
                    return role
        if spec["default"] == DENY:
            raise MappingDenied("user is not mapped to a role")
        return spec["default"]


def load_mapping(
    manifest_section: dict[str, Any], settings_section: Any, roles: Any
) -> AgentMapping:
    """Manifest mapping, with vendors in the YAML setting ``agent_mapping`` taking precedence."""
    vendors = dict(manifest_section or {})
    if settings_section:
        if not isinstance(settings_section, dict):
            raise ConfigError("agent_mapping: expected a mapping of vendor -> rules")
        try:
            loaded = {v: VendorMappingSchema().load(s) for v, s in settings_section.items()}
            mapping_references(loaded, roles, "agent_mapping")
        except ValidationError as exc:
            raise ConfigError(f"agent_mapping: {exc.messages}") from exc
        vendors.update(loaded)
    return AgentMapping(vendors=vendors)


def get_mapping() -> AgentMapping:
    """The current app's agent mapping (built once per app)."""
    mapping = current_app.extensions.get(EXTENSION)
    if mapping is None:
        manifest = current_app.extensions["datavagt.manifest"]
        settings = current_app.extensions["datavagt.settings"]
        mapping = load_mapping(
            manifest.data.get("agent_mapping") or {},
            settings.extra.get("agent_mapping"),
            manifest.roles,
        )
        current_app.extensions[EXTENSION] = mapping
    return mapping
