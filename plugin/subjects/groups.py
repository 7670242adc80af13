"""One person's records across merges: the surviving subject and everyone merged into it.

Shared by ingest (restriction checks) and the rights and erasure layers above it, so it
lives here, below all of them.
"""

from __future__ import annotations

import sqlalchemy as sa

from plugin.extensions import db
from plugin.models import DataSubject


def root_id(subject_id: str) -> str:
    """The surviving subject of a merge chain (flags are kept on it and its merged ones)."""
    seen = {subject_id}
    current = db.session.get(DataSubject, subject_id)
    while current is not None and current.merged_into_id and current.merged_into_id not in seen:
        seen.add(current.merged_into_id)
        current = db.session.get(DataSubject, current.merged_into_id)
    return current.id if current is not None else subject_id


def group_ids(subject_id: str) -> list[str]:
    """The subject and every subject merged into it (transitively): one person's records."""
    ids = [subject_id]
    frontier = [subject_id]
    while frontier:
        children = list(
            db.session.scalars(
                sa.select(DataSubject.id).where(DataSubject.merged_into_id.in_(frontier))
            )
        )
        children = [c for c in children if c not in ids]
        ids.extend(children)
        frontier = children
    return ids
