"""Access levels for personal data, ordered from most to least restrictive."""

from __future__ import annotations

from collections.abc import Iterable

HIDDEN = "hidden"
MASKED = "masked"
PARTIAL = "partial"
REVEAL_WITH_REASON = "reveal_with_reason"
CLEAR = "clear"
# Order matters: a role inherits the most permissive (highest index) level it implies.
LEVELS: tuple[str, ...] = (HIDDEN, MASKED, PARTIAL, REVEAL_WITH_REASON, CLEAR)
REVEALABLE: frozenset[str] = frozenset({REVEAL_WITH_REASON, CLEAR})


def most_permissive(levels: Iterable[str]) -> str | None:
    """The most permissive of ``levels`` (None when there are none)."""
    ranked = [LEVELS.index(level) for level in levels]
    return LEVELS[max(ranked)] if ranked else None


def at_most(level: str, ceiling: str) -> str:
    """``level`` capped at ``ceiling`` (used when processing is restricted)."""
    return LEVELS[min(LEVELS.index(level), LEVELS.index(ceiling))]
