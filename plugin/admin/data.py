"""Read-only queries behind the console pages (queues, audit search, flags, texts)."""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from plugin.extensions import db
from plugin.models import AuditEvent, Consent, ConsentText, Finding, OutboxJob, Ticket
from plugin.retention import outbox
from plugin.retention.sweep import sweep

DEAD_STATUSES = ("dead", "failed")
AUDIT_PAGE = 200
PREVIEW_ROWS = 200


def optional(module: str, name: str) -> Any | None:
    """A function of a subsystem that may not be installed yet (the page then says so)."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def erasure_queue() -> dict[str, list[OutboxJob]]:
    """Outbox jobs that delete or anonymise, split into pending work and dead letters."""
    rows = list(
        db.session.scalars(
            sa.select(OutboxJob)
            .where(OutboxJob.completed_at.is_(None))
            .order_by(OutboxJob.next_attempt_at)
            .limit(500)
        )
    )
    return {
        "pending": [r for r in rows if r.status not in DEAD_STATUSES],
        "dead": [r for r in rows if r.status in DEAD_STATUSES],
    }


def audit_search(
    subject: str = "", actor: str = "", action: str = "", since: datetime | None = None
) -> list[AuditEvent]:
    """The newest audit events matching every given filter."""
    query = sa.select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(AUDIT_PAGE)
    if subject:
        query = query.where(AuditEvent.subject_id == subject)
    if actor:
        query = query.where(AuditEvent.actor_id == actor)
    if action:
        query = query.where(AuditEvent.action == action)
    if since:
        query = query.where(AuditEvent.occurred_at >= since)
    return list(db.session.scalars(query))


def finding_flags() -> dict[str, Any]:
    """Special-category and over-collection findings, and consents given for withdrawn texts."""
    special = db.session.execute(
        sa.select(Ticket.vendor, Ticket.external_id, Finding.type, Finding.field)
        .join(Ticket, Ticket.id == Finding.ticket_id)
        .where(Finding.category == "special")
        .order_by(Finding.id.desc())
        .limit(200)
    ).all()
    over = db.session.execute(
        sa.select(
            Ticket.vendor, Ticket.external_id, Ticket.purpose, Finding.category, Finding.field
        )
        .join(Ticket, Ticket.id == Finding.ticket_id)
        .where(Finding.over_collection.is_(True))
        .order_by(Finding.id.desc())
        .limit(200)
    ).all()
    no_explicit = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Finding)
        .where(
            Finding.category == "special",
            ~sa.exists().where(
                Consent.subject_id == Finding.subject_id,
                Consent.explicit.is_(True),
                Consent.withdrawn_at.is_(None),
            ),
        )
    )
    return {"special": special, "over": over, "special_without_explicit_consent": no_explicit}


def consent_texts() -> list[ConsentText]:
    """Every published consent wording, newest version first."""
    return list(
        db.session.scalars(
            sa.select(ConsentText).order_by(
                ConsentText.purpose, ConsentText.language, ConsentText.version.desc()
            )
        )
    )


def retention_preview(limit: int = PREVIEW_ROWS) -> dict[str, Any]:
    """Retention's dry-run sweep (what GET /api/retention/preview shows): nothing changes."""
    planned = sweep(dry_run=True).planned
    return {
        "count": len(planned),
        "truncated": len(planned) > limit,
        "actions": [line.as_dict() for line in planned[:limit]],
    }


def dead_jobs(limit: int = PREVIEW_ROWS) -> list[OutboxJob]:
    """Dead-lettered outbox jobs, newest first (retention's own listing)."""
    return outbox.list_jobs("dead", limit)
