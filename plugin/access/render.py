"""Render one finding for a role's access level, decrypting only when the level needs it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from plugin.access.levels import CLEAR, HIDDEN, PARTIAL, REVEAL_WITH_REASON
from plugin.models import Finding

HIDDEN_TEXT = "[hidden]"
ERASED_TEXT = "[erased]"
MASK_CHAR = "•"


def partial(value: str, keep: int) -> str:
    """Mask every letter and digit but the last ``keep`` ones; separators stay readable."""
    out: list[str] = []
    left = keep
    for char in reversed(value):
        if char.isalnum():
            out.append(char if left > 0 else MASK_CHAR)
            left -= 1
        else:
            out.append(char)
    return "".join(reversed(out))


def render_finding(
    finding: Finding, level: str, *, keep: int, decrypt: Callable[[Finding], str | None]
) -> dict[str, Any]:
    """The JSON an agent sees for ``finding`` at ``level``; ``decrypt`` is None when shredded."""
    base: dict[str, Any] = {
        "id": finding.id,
        "field": finding.field,
        "category": finding.category,
        "level": level,
        "revealable": level == REVEAL_WITH_REASON,
        "over_collection": bool(finding.over_collection),
    }
    if level == HIDDEN:
        # Not even the type: "health" or "religion" would itself disclose something.
        base["display"] = HIDDEN_TEXT
        return base
    base["type"] = finding.type
    if level in (PARTIAL, CLEAR):
        value = decrypt(finding)
        if value is None:
            base["display"] = ERASED_TEXT
        else:
            base["display"] = partial(value, keep) if level == PARTIAL else value
        return base
    base["display"] = finding.masked
    return base


def level_allows_reveal(level: str) -> bool:
    """Whether ``level`` lets the role see the clear value (with a reason where required)."""
    return level in (REVEAL_WITH_REASON, CLEAR)
