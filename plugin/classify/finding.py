"""Findings (one piece of personal data in a text) and requester hints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

#: The only category words a finding may carry (see DESIGN.md, "Category"), plus
#: "indirect": age, profession, family relation, nationality (low risk; only the opt-in
#: ``indirect`` detector emits it).
CATEGORIES: frozenset[str] = frozenset(
    {"identity", "contact", "location", "financial", "online", "special", "indirect"}
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One span of personal data: character offsets into the classified text."""

    type: str
    category: str
    start: int
    end: int
    score: float
    detector: str
    field: str | None = None

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}")
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def value_in(self, text: str) -> str:
        """Return the covered substring of ``text`` (the text that was classified)."""
        return text[self.start : self.end]

    def overlaps(self, other: Finding) -> bool:
        """Tell whether two findings share at least one character."""
        return self.start < other.end and other.start < self.end

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        """Serialise for JSON; the value is included only when ``text`` is given."""
        out: dict[str, Any] = {
            "type": self.type,
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 3),
            "detector": self.detector,
        }
        if self.field is not None:
            out["field"] = self.field
        if text is not None:
            out["value"] = self.value_in(text)
        return out


def _as_tuple(values: Iterable[str] | str) -> tuple[str, ...]:
    # A lone string is a common mistake (Hints(names="Jens")); treat it as one value.
    if isinstance(values, str):
        values = [values]
    return tuple(v.strip() for v in values if v and v.strip())


@dataclass(frozen=True, slots=True)
class Hints:
    """What is already known about the requester (names, e-mails) to find in the text."""

    names: tuple[str, ...] = field(default=())
    emails: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", _as_tuple(self.names))
        object.__setattr__(self, "emails", _as_tuple(self.emails))

    def __bool__(self) -> bool:
        return bool(self.names or self.emails)
