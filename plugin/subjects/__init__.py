"""Data subjects: identity matching across vendors by blind-indexed identifiers."""

from __future__ import annotations

from plugin.subjects.identity import (
    blind_index,
    find_or_create_subject,
    find_subjects,
    normalise_identifier,
)

__all__ = ["blind_index", "find_or_create_subject", "find_subjects", "normalise_identifier"]
