"""Art. 18 restriction of processing: the hook the agent view consults before showing data."""

from __future__ import annotations

from plugin.access.levels import MASKED
from plugin.models import DataSubject

# While a subject's processing is restricted agents see tokens at most and cannot reveal.
RESTRICTED_CEILING = MASKED


def is_restricted(subject: DataSubject | None) -> bool:
    """True when the subject is under restriction (Art. 18).

    The rights engineer adds the flag to DataSubject; until then no subject is restricted.
    Either a boolean ``restricted`` or a timestamp ``restricted_at`` counts.
    """
    if subject is None:
        return False
    return bool(getattr(subject, "restricted", False) or getattr(subject, "restricted_at", None))
