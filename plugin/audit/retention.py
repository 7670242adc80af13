"""Retention of the audit log itself: prune the oldest events, restart from a signed anchor."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app

from plugin.audit.actions import RETENTION_DELETE
from plugin.audit.chain import lock_chain
from plugin.audit.checkpoints import audit_settings, sign_checkpoint
from plugin.audit.recorder import record
from plugin.audit.sequencer import flush
from plugin.audit.verify import verify_chain
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models.audit import AuditCheckpoint, AuditEvent
from plugin.models.types import utcnow

log = logging.getLogger(__name__)
CHUNK = 5000


@dataclass(frozen=True)
class PruneResult:
    """How far the log was pruned."""

    cutoff: datetime
    through_seq: int | None
    deleted: int


def cutoff_for(now: datetime, years: int) -> datetime:
    """``now`` minus whole calendar years (29 February falls back to the 28th)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def prune(
    actor: Actor, *, now: datetime | None = None, chunk: int = CHUNK, dry_run: bool = False
) -> PruneResult:
    """Delete events past retention, oldest first in chunks (chain verified first); audited."""
    # Anchoring an unverified chain would bless tampering in the part about to disappear.
    flush()
    verify_chain(db.session, current_app.extensions["datavagt.keyring"])
    years = audit_settings()["retention_years"]
    cutoff = cutoff_for(now or utcnow(), years)
    session = db.session
    through = session.scalar(
        sa.select(sa.func.max(AuditEvent.seq)).where(AuditEvent.occurred_at < cutoff)
    )
    if through is None or dry_run:
        count = 0
        if through is not None:
            count = session.scalar(
                sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.seq <= through)
            )
        session.rollback()
        return PruneResult(cutoff, through, count)
    _anchor(through)
    session.commit()  # the anchor exists before any event goes, so verify passes throughout
    deleted = 0
    low = session.scalar(sa.select(sa.func.min(AuditEvent.seq))) or through + 1
    while low <= through:
        high = min(low + chunk - 1, through)
        result = session.execute(sa.delete(AuditEvent).where(AuditEvent.seq <= high))
        session.commit()
        deleted += result.rowcount or 0
        low = high + 1
    record(
        RETENTION_DELETE,
        actor=actor,
        details={"log": "audit", "through_seq": through, "deleted": deleted, "years": years},
    )
    session.commit()
    log.info("audit log pruned", extra={"through_seq": through, "deleted": deleted})
    return PruneResult(cutoff, through, deleted)


def _anchor(seq: int) -> None:
    """Sign the hash of event ``seq`` as the anchor the remaining chain starts from."""
    session = db.session
    lock_chain(session)
    existing = session.scalar(sa.select(AuditCheckpoint).where(AuditCheckpoint.seq == seq))
    if existing is not None and existing.is_anchor:
        return
    head_hash = session.scalar(sa.select(AuditEvent.hash).where(AuditEvent.seq == seq))
    if existing is not None:
        # Same seq and hash, now signed as an anchor; seq is unique, so replace the row.
        session.delete(existing)
        session.flush()
    sign_checkpoint(session, seq, str(head_hash), anchor=True)


def prune_job(app: Flask) -> None:
    """Scheduler entry: prune the audit log past its retention."""
    with app.app_context():
        prune(Actor.system("worker"))
