"""Checks that every person is one findable record: no orphan subjects.

An orphan is a live subject (not erased, not merged into another) that nothing can find:
no identifier anywhere in its merge group, so My pages, the export, search and erasure
never reach what it holds. Two live subjects holding the same verified strong identifier
would be one person split in two.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from plugin.extensions import db
from plugin.models import DataSubject, SubjectIdentifier
from plugin.subjects.groups import root_id
from plugin.subjects.identity import STRONG


@dataclass(frozen=True)
class Orphans:
    """Subject ids without any identifier, and verified identifiers held by several people."""

    without_identifier: tuple[str, ...]
    shared_verified: tuple[tuple[str, tuple[str, ...]], ...]  # (kind, root subject ids)

    def __bool__(self) -> bool:
        return bool(self.without_identifier or self.shared_verified)


def find_orphans() -> Orphans:
    """Every orphan subject and every verified strong identifier held by two live people."""
    live = list(
        db.session.scalars(
            sa.select(DataSubject.id).where(
                DataSubject.erased_at.is_(None), DataSubject.merged_into_id.is_(None)
            )
        )
    )
    rows = db.session.execute(
        sa.select(
            SubjectIdentifier.subject_id,
            SubjectIdentifier.kind,
            SubjectIdentifier.vendor,
            SubjectIdentifier.blind_index,
            SubjectIdentifier.verified,
        )
    ).all()
    roots_holding: set[str] = set()
    holders: dict[tuple[str, str, str], set[str]] = {}
    for subject_id, kind, vendor, index, verified in rows:
        root = root_id(subject_id)
        roots_holding.add(root)
        if verified and kind in STRONG:
            holders.setdefault((kind, vendor, index), set()).add(root)
    alive = set(live)
    shared = tuple(
        (kind, tuple(sorted(roots & alive)))
        for (kind, _vendor, _index), roots in sorted(holders.items())
        if len(roots & alive) > 1
    )
    return Orphans(tuple(sorted(alive - roots_holding)), shared)
