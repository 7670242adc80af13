"""Policy resolution: explicit levels, implied-role inheritance, overrides, validation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from plugin.access.policy import Policy
from plugin.config import ROOT
from plugin.manifest import ManifestError, load_manifest


def manifest_with(tmp_path: Path, **sections: Any) -> Path:
    data = yaml.safe_load((ROOT / "manifest.yaml").read_text(encoding="utf-8"))
    for key in ("consent_texts", "forms"):
        data.pop(key, None)  # files relative to the shipped manifest; not needed here
    data.update(sections)
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


ROLES = {
    "a": {"name": "A"},
    "b": {"name": "B"},
    "ab": {"name": "AB", "implies": ["a", "b"]},
    "top": {"name": "Top", "implies": ["ab"]},
}


@pytest.mark.parametrize(
    ("role", "category", "vendor_field", "expected"),
    [
        ("a", "contact", None, "partial"),
        ("b", "contact", None, "masked"),
        ("ab", "contact", None, "partial"),  # most permissive of a and b
        ("top", "contact", None, "partial"),  # transitively
        ("ab", "identity", None, "hidden"),  # set on ab itself: wins over a's clear
        ("top", "identity", None, "hidden"),
        ("a", "online", None, "masked"),  # nobody sets it: the default
        ("a", "contact", ("hubspot", "content"), "hidden"),  # override for a
        ("ab", "contact", ("hubspot", "content"), "masked"),  # inherits a's override vs b
        ("b", "contact", ("hubspot", "content"), "masked"),  # no override for b
        ("a", "contact", ("freshdesk", "content"), "partial"),  # other vendor
    ],
)
def test_resolution(
    tmp_path: Path, role: str, category: str, vendor_field: tuple | None, expected: str
) -> None:
    path = manifest_with(
        tmp_path,
        roles=ROLES,
        policies={
            "default": "masked",
            "roles": {
                "a": {"contact": "partial", "identity": "clear"},
                "b": {"contact": "masked"},
                "ab": {"identity": "hidden"},
            },
            "overrides": {"hubspot.content": {"a": "hidden"}},
        },
        agent_mapping={},
    )
    policy = Policy.from_manifest(load_manifest(path))
    vendor, field = vendor_field or (None, None)
    assert policy.level(role, category, vendor=vendor, field=field) == expected


def test_unknown_role_gets_the_default(tmp_path: Path) -> None:
    policy = Policy.from_manifest(load_manifest(manifest_with(tmp_path)))
    assert policy.level("nobody", "identity") == "hidden"


@pytest.mark.parametrize(
    ("sections", "message"),
    [
        ({"policies": {"roles": {"ghost": {"contact": "clear"}}}}, "policies.roles.ghost"),
        ({"policies": {"roles": {"agent": {"contact": "visible"}}}}, "policies.roles"),
        ({"policies": {"roles": {"agent": {"hobbies": "clear"}}}}, "policies.roles"),
        ({"policies": {"overrides": {"content": {"agent": "clear"}}}}, "policies.overrides"),
        ({"policies": {"overrides": {"hubspot.content": {"ghost": "clear"}}}}, "ghost"),
        ({"policies": {"partial_chars": 0}}, "policies.partial_chars"),
        ({"agent_mapping": {"hubspot": {"default": "ghost"}}}, "agent_mapping.hubspot"),
        ({"agent_mapping": {"hubspot": {"users": {"1": "agent"}}}}, "default"),
        ({"agent_mapping": {"hubspot": {"default": "deny", "roles": {}}}}, "roles"),
    ],
)
def test_bad_sections_name_the_key(tmp_path: Path, sections: dict, message: str) -> None:
    with pytest.raises(ManifestError, match=message.replace(".", r"\.")):
        load_manifest(manifest_with(tmp_path, **sections))


def test_digest_changes_with_policy_and_mapping(tmp_path: Path) -> None:
    base = Policy.from_manifest(load_manifest(manifest_with(tmp_path)))
    changed = Policy.from_manifest(
        load_manifest(manifest_with(tmp_path, policies={"roles": {"agent": {"contact": "clear"}}}))
    )
    assert base.digest() != changed.digest()
    assert base.digest() != base.digest({"hubspot": {"default": "deny"}})
    assert base.digest() == base.digest({})
