"""Reading Art. 18/21 flags: is processing a subject's data for a purpose stopped?

Ingest and retention consult the flags; setting and lifting them is a rights task
(``plugin.rights.restrictions``), which sits above ingest and so may not be imported by it.
"""

from __future__ import annotations

import sqlalchemy as sa

from plugin.extensions import db
from plugin.models import ProcessingRestriction
from plugin.subjects.groups import group_ids, root_id


def is_restricted(subject_id: str | None, purpose: str | None = None) -> bool:
    """True when processing ``subject_id``'s data for ``purpose`` is stopped (any purpose: None)."""
    if subject_id is None:
        return False
    ids = group_ids(root_id(subject_id))
    query = sa.select(ProcessingRestriction.id).where(
        ProcessingRestriction.subject_id.in_(ids), ProcessingRestriction.lifted_at.is_(None)
    )
    if purpose is not None:
        query = query.where(
            sa.or_(
                ProcessingRestriction.purpose.is_(None), ProcessingRestriction.purpose == purpose
            )
        )
    return db.session.scalar(query.limit(1)) is not None


def restricted_pairs(kind: str = "restriction") -> set[tuple[str, str | None]]:
    """(subject id, purpose or None for all) under an active flag of ``kind``, merges followed.

    The table holds a handful of rows, so batch callers (the retention sweep) read it whole.
    """
    pairs: set[tuple[str, str | None]] = set()
    rows = db.session.execute(
        sa.select(ProcessingRestriction.subject_id, ProcessingRestriction.purpose).where(
            ProcessingRestriction.lifted_at.is_(None), ProcessingRestriction.kind == kind
        )
    )
    for subject_id, purpose in rows:
        pairs.update((member, purpose) for member in group_ids(root_id(subject_id)))
    return pairs
