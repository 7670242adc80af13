"""Vendor identity -> role: precedence, deny, settings replacing manifest vendors."""

from __future__ import annotations

import pytest

from plugin.access.mapping import AgentMapping, MappingDenied, VendorIdentity, load_mapping
from plugin.config import ConfigError

ROLES = {"agent": {}, "senior_agent": {}, "team_lead": {}, "dpo": {}}
SPEC = {
    "default": "agent",
    "users": {"1": "dpo"},
    "emails": {"Lead@Example.dk": "team_lead"},
    "groups": {"g-senior": "senior_agent", "g-lead": "team_lead"},
    "teams": {"t-1": "dpo"},
}


@pytest.mark.parametrize(
    ("identity", "role"),
    [
        (VendorIdentity("hubspot", "1", "lead@example.dk", ("g-lead",)), "dpo"),
        (VendorIdentity("hubspot", "2", "LEAD@example.dk", ("g-senior",)), "team_lead"),
        (VendorIdentity("hubspot", "2", None, ("g-lead", "g-senior")), "senior_agent"),
        (VendorIdentity("hubspot", "2", None, (), ("t-1",)), "dpo"),
        (VendorIdentity("hubspot", "2", "x@example.dk", ("other",)), "agent"),
    ],
)
def test_precedence(identity: VendorIdentity, role: str) -> None:
    assert AgentMapping({"hubspot": SPEC}).role_for(identity) == role


def test_deny_and_unmapped_vendor() -> None:
    mapping = AgentMapping({"hubspot": {**SPEC, "default": "deny"}})
    with pytest.raises(MappingDenied):
        mapping.role_for(VendorIdentity("hubspot", "9"))
    with pytest.raises(MappingDenied):
        mapping.role_for(VendorIdentity("dynamics", "1"))


def test_settings_replace_a_vendor_and_are_validated() -> None:
    manifest = {"hubspot": SPEC, "freshdesk": {**SPEC, "default": "agent"}}
    setting = {"hubspot": {"default": "deny"}}
    mapping = load_mapping(manifest, setting, ROLES)
    with pytest.raises(MappingDenied):
        mapping.role_for(VendorIdentity("hubspot", "1"))
    assert mapping.role_for(VendorIdentity("freshdesk", "1")) == "dpo"
    with pytest.raises(ConfigError, match="agent_mapping"):
        load_mapping(manifest, {"hubspot": {"default": "root"}}, ROLES)
    with pytest.raises(ConfigError, match="agent_mapping"):
        load_mapping(manifest, ["hubspot"], ROLES)
