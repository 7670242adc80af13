"""The erasure follow-up job: release deferred contacts, shred leftover keys, and issue the
next certificate version when a date on the last one has passed (manifest job
``erasure_followup``, daily). Each version asks the vendors again first (``erasure
verify``): a copy still held past its date, or a vendor that cannot be asked, keeps the
certificate from ``complete`` and is counted in ``unverified``."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask

from plugin.erasure.certificate import issue_version
from plugin.erasure.errors import ErasureError
from plugin.erasure.scope import CONTACT_GRACE, Scope, exemption
from plugin.erasure.service import DEFERRED, ERASURE
from plugin.extensions import db
from plugin.models import DataSubject, ErasureCertificate, OutboxJob, SubjectKey, Ticket
from plugin.models.types import utcnow
from plugin.vault import get_vault

log = logging.getLogger(__name__)


def _live_kept(subject_id: str, vendor: str | None = None) -> list[Ticket]:
    query = sa.select(Ticket).where(Ticket.subject_id == subject_id, Ticket.deleted_at.is_(None))
    if vendor is not None:
        query = query.where(Ticket.vendor == vendor)
    return [t for t in db.session.scalars(query) if exemption(t.purpose)]


def release_deferred(now: datetime) -> dict[str, int]:
    """Deferred contact jobs that are due: queued once the vendor holds no kept case of the
    person any more, else moved to after the cases still there (a hold, a late sweep)."""
    released = postponed = 0
    jobs = list(
        db.session.scalars(
            sa.select(OutboxJob).where(
                OutboxJob.reason == ERASURE,
                OutboxJob.status == DEFERRED,
                OutboxJob.next_attempt_at <= now,
            )
        )
    )
    for job in jobs:
        still = _live_kept(job.subject_id or "", job.vendor)
        if still:
            after = Scope(job.subject_id or "", kept=still).contact_after(job.vendor, now)
            job.next_attempt_at = max(after, now + CONTACT_GRACE)
            postponed += 1
        else:
            job.status, job.next_attempt_at = "pending", utcnow()  # the workers run it now
            released += 1
    db.session.commit()
    return {"released": released, "postponed": postponed}


def shred_leftover_keys() -> int:
    """Erased people whose kept cases are all gone: destroy the key those cases' values had."""
    erased = db.session.scalars(
        sa.select(DataSubject.id)
        .join(SubjectKey, SubjectKey.subject_id == DataSubject.id)
        .where(DataSubject.erased_at.is_not(None), SubjectKey.wrapped_key.is_not(None))
        .distinct()
    )
    shredded = 0
    for subject_id in list(erased):
        if not _live_kept(subject_id):
            get_vault().shred(subject_id)
            shredded += 1
    db.session.commit()
    return shredded


def issue_due(now: datetime) -> dict[str, int]:
    """Issue a certificate for every erasure whose jobs are done and whose last version
    (if any) is due for a re-check; the vendors are asked again for each."""
    latest = (
        sa.select(ErasureCertificate.subject_id, sa.func.max(ErasureCertificate.version).label("v"))
        .group_by(ErasureCertificate.subject_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(DataSubject.id, ErasureCertificate.state, ErasureCertificate.next_check_at)
        .outerjoin(latest, latest.c.subject_id == DataSubject.id)
        .outerjoin(
            ErasureCertificate,
            sa.and_(
                ErasureCertificate.subject_id == DataSubject.id,
                ErasureCertificate.version == latest.c.v,
            ),
        )
        .where(DataSubject.erased_at.is_not(None))
    ).all()
    counts = {"issued": 0, "complete": 0, "waiting": 0, "unverified": 0}
    for subject_id, state, next_check in rows:
        if state == "complete" or (next_check is not None and next_check > now):
            continue
        try:
            document, new = issue_version(subject_id, now, None)
        except ErasureError:
            db.session.rollback()
            counts["waiting"] += 1  # jobs still running or failed: the queue pages show why
            continue
        except sa.exc.IntegrityError:
            db.session.rollback()  # another host issued this version a moment ago
            continue
        counts["issued"] += new
        counts["complete"] += new and document["claims"]["state"] == "complete"
        verification = document["claims"].get("verification") or {}
        counts["unverified"] += verification.get("ok") is False
    return counts


def run(now: datetime | None = None) -> dict[str, Any]:
    """One follow-up pass (inside an app context); ``now`` is injectable for tests."""
    now = now or utcnow()
    result: dict[str, Any] = release_deferred(now)
    result["keys_shredded"] = shred_leftover_keys()
    result |= issue_due(now)
    return result


def followup_job(app: Flask) -> dict[str, Any]:
    """Scheduler entry for the manifest job ``erasure_followup``."""
    with app.app_context():
        try:
            result = run()
        finally:
            db.session.remove()
    log.info("erasure follow-up", extra=result)
    return result
