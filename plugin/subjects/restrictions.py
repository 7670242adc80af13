"""Reading Art. 18/21 flags: is processing a subject's data for a purpose stopped?

Ingest and retention consult the flags; setting and lifting them is a rights task
(``plugin.rights.restrictions``), which sits above ingest and so may not be imported by it.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm

from plugin.extensions import db
from plugin.models import DataSubject, ProcessingRestriction
from plugin.subjects.groups import group_ids, root_id

SUBJECT_PARAM = "restriction_subject"
PURPOSE_PARAM = "restriction_purpose"


def restricted_clause(for_purpose: bool) -> sa.Exists:
    """SQL: is processing a subject's data (bind ``SUBJECT_PARAM``) for a purpose (bind
    ``PURPOSE_PARAM`` when ``for_purpose``, else any) stopped? One statement that follows
    the merges itself (the surviving subject up the chain, then everyone merged into it), so
    a caller can select it beside other columns: one round trip, whatever the merges.

    The same people as ``group_ids(root_id(subject_id))``: a subject not (yet) stored counts
    as its own group. Built once and executed with parameters (building and caching a
    statement per call costs more CPU than the query: bench/agent_view.py).
    """
    subject_id = sa.bindparam(SUBJECT_PARAM, type_=sa.String(36))
    subjects = sa.orm.aliased(DataSubject)
    up = (
        sa.select(DataSubject.id, DataSubject.merged_into_id)
        .where(DataSubject.id == subject_id)
        .cte("restriction_up", recursive=True)
    )
    up = up.union(
        sa.select(subjects.id, subjects.merged_into_id).join(up, subjects.id == up.c.merged_into_id)
    )
    root = sa.func.coalesce(
        sa.select(up.c.id).where(up.c.merged_into_id.is_(None)).limit(1).scalar_subquery(),
        subject_id,
    )
    members = sa.select(root.label("id")).cte("restriction_group", recursive=True)
    merged = sa.orm.aliased(DataSubject)
    members = members.union(
        sa.select(merged.id).join(members, merged.merged_into_id == members.c.id)
    )
    query = sa.select(ProcessingRestriction.id).where(
        ProcessingRestriction.subject_id.in_(sa.select(members.c.id)),
        ProcessingRestriction.lifted_at.is_(None),
    )
    if for_purpose:
        query = query.where(
            sa.or_(
                ProcessingRestriction.purpose.is_(None),
                ProcessingRestriction.purpose == sa.bindparam(PURPOSE_PARAM, type_=sa.String(64)),
            )
        )
    return query.exists()


_ANY_PURPOSE = sa.select(restricted_clause(False))
_FOR_PURPOSE = sa.select(restricted_clause(True))


def is_restricted(subject_id: str | None, purpose: str | None = None) -> bool:
    """True when processing ``subject_id``'s data for ``purpose`` is stopped (any purpose: None)."""
    if subject_id is None:
        return False
    statement = _ANY_PURPOSE if purpose is None else _FOR_PURPOSE
    params = {SUBJECT_PARAM: subject_id, PURPOSE_PARAM: purpose}
    return bool(db.session.scalar(statement, params))


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
