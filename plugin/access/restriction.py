"""Art. 18 restriction / Art. 21 objection: the hook the agent view consults before showing data."""

from __future__ import annotations

from plugin.access.levels import MASKED
from plugin.subjects.restrictions import (  # noqa: F401 - the agent view's one query
    PURPOSE_PARAM,
    SUBJECT_PARAM,
    restricted_clause,
)
from plugin.subjects.restrictions import is_restricted as _flagged

# While processing is restricted agents see tokens at most and cannot reveal.
RESTRICTED_CEILING = MASKED


def is_restricted(subject_id: str | None, purpose: str | None) -> bool:
    """True when the subject's data may not be processed for the ticket's purpose."""
    return _flagged(subject_id, purpose)
