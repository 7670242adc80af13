"""The field policy: which access level a role has to a category, per vendor field."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from flask import current_app

from plugin.access.levels import most_permissive
from plugin.manifest import Manifest

EXTENSION = "datavagt.policy"


@dataclass(frozen=True)
class Policy:
    """Levels resolved from the manifest's ``policies`` section and role implications."""

    manifest: Manifest
    default: str
    partial_chars: int
    reason_min_length: int
    roles: dict[str, dict[str, str]]
    overrides: dict[str, dict[str, str]]

    @classmethod
    def from_manifest(cls, manifest: Manifest) -> Policy:
        """Build the policy; a manifest without ``policies`` hides everything."""
        section: dict[str, Any] = manifest.data.get("policies") or {}
        return cls(
            manifest=manifest,
            default=section.get("default", "hidden"),
            partial_chars=int(section.get("partial_chars", 2)),
            reason_min_length=int(section.get("reason_min_length", 5)),
            roles={k: dict(v) for k, v in section.get("roles", {}).items()},
            overrides={k: dict(v) for k, v in section.get("overrides", {}).items()},
        )

    def level(
        self, role: str, category: str, *, vendor: str | None = None, field: str | None = None
    ) -> str:
        """The level ``role`` has to ``category`` in ``vendor``'s ``field``."""
        found = self._resolve(role, category, f"{vendor}.{field}" if vendor and field else None)
        return found or self.default

    def _resolve(
        self, role: str, category: str, field_key: str | None, seen: frozenset[str] = frozenset()
    ) -> str | None:
        # Explicit settings win: a field override, then the role's own category level;
        # otherwise the most permissive level among the implied roles (cycles guarded).
        if role in seen or role not in self.manifest.roles:
            return None
        if field_key and role in self.overrides.get(field_key, {}):
            return self.overrides[field_key][role]
        if category in self.roles.get(role, {}):
            return self.roles[role][category]
        implied = self.manifest.roles[role].get("implies", [])
        found = [self._resolve(r, category, field_key, seen | {role}) for r in implied]
        return most_permissive(level for level in found if level is not None)

    def matrix(self) -> dict[str, dict[str, str]]:
        """Role -> category -> level, without field overrides (for docs and the CLI)."""
        categories = list(self.manifest.data.get("categories", {}))
        return {
            role: {category: self.level(role, category) for category in categories}
            for role in self.manifest.roles
        }

    def digest(self, mapping: dict[str, Any] | None = None) -> str:
        """SHA-256 over the policy and agent mapping, to notice changes between starts."""
        body = {
            "default": self.default,
            "partial_chars": self.partial_chars,
            "reason_min_length": self.reason_min_length,
            "roles": self.roles,
            "overrides": self.overrides,
            "implies": {r: sorted(s.get("implies", [])) for r, s in self.manifest.roles.items()},
            "agent_mapping": mapping or {},
        }
        encoded = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        return hashlib.sha256(encoded).hexdigest()


def get_policy() -> Policy:
    """The current app's policy (built once per app)."""
    policy = current_app.extensions.get(EXTENSION)
    if policy is None:
        policy = Policy.from_manifest(current_app.extensions["datavagt.manifest"])
        current_app.extensions[EXTENSION] = policy
    return policy
