"""Art. 17 erasure: vendor jobs for every ticket and contact, vault shred, all audited."""

from __future__ import annotations

import logging
import threading
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.database import purge_residue
from plugin.erasure.contacts import ContactLookupFailed, contacts_by_vendor
from plugin.erasure.errors import ErasureError
from plugin.extensions import db
from plugin.models import DataSubject, Finding, OutboxJob, SubjectIdentifier, Ticket, VaultItem
from plugin.models.types import utcnow
from plugin.retention import outbox
from plugin.retention.vendors import adapters
from plugin.vault import get_vault

log = logging.getLogger(__name__)
ERASURE = "erasure"
_kick_lock = threading.Lock()


def _row(subject_id: str, kind: str, vendor: str, target: str, ticket: Ticket | None) -> dict:
    return {
        "dedupe_key": f"{ERASURE}:{subject_id}:{kind}:{vendor}:{target}"[:255],
        "kind": kind,
        "vendor": vendor,
        "target": target,
        "subject_id": subject_id,
        "ticket_id": ticket.id if ticket is not None else None,
        "reason": ERASURE,
        "params": {},
    }


def request_erasure(
    subject_id: str, *, actor_id: str, reason: str, role: str = "dpo", source: str = "api"
) -> dict[str, Any]:
    """Queue deletion everywhere the person is held, shred their vault key; commits.

    Raises ErasureError: 404 unknown subject, 409 under legal hold, 503 when a vendor must
    be asked for the contact id and cannot answer (nothing is changed then; ask again).
    """
    subject = db.session.get(DataSubject, subject_id, with_for_update=True)
    if subject is None:
        raise ErasureError(404, "unknown_subject", "No such data subject")
    if subject.erased_at is not None:
        return erasure_status(subject_id)  # asked twice: the first request stands
    tickets = list(
        db.session.scalars(
            sa.select(Ticket)
            .where(Ticket.subject_id == subject_id, Ticket.deleted_at.is_(None))
            .order_by(Ticket.id)
        )
    )
    if subject.legal_hold or any(t.legal_hold for t in tickets):
        raise ErasureError(
            409,
            "legal_hold",
            "This person's data is under legal hold; lift the hold before erasing",
        )
    try:
        contacts = contacts_by_vendor(subject_id, tickets, adapters(current_app))
    except ContactLookupFailed as exc:
        db.session.rollback()
        raise ErasureError(
            503, "vendor_unavailable", f"{exc.vendor} did not answer; try the erasure again"
        ) from exc
    rows = [_row(subject_id, "delete_ticket", t.vendor, t.external_id, t) for t in tickets]
    for vendor, ids in sorted(contacts.items()):
        rows.extend(_row(subject_id, "erase_contact", vendor, cid, None) for cid in sorted(ids))
    queued = outbox.enqueue(rows)
    shredded = get_vault().shred(subject_id)
    findings = db.session.execute(sa.delete(Finding).where(Finding.subject_id == subject_id))
    db.session.execute(sa.delete(VaultItem).where(VaultItem.subject_id == subject_id))
    # Blind indexes identify the person too; consents stay as proof of what was agreed.
    db.session.execute(
        sa.delete(SubjectIdentifier).where(SubjectIdentifier.subject_id == subject_id)
    )
    subject.erased_at = utcnow()
    record(
        actions.ERASE,
        actor=Actor(id=actor_id, role=role, source=source),
        subject_id=subject_id,
        reason=reason,
        details={
            "jobs": queued,
            "vendors": sorted({row["vendor"] for row in rows}),
            "vault_items_shredded": shredded,
            "findings_removed": int(findings.rowcount or 0),
        },
    )
    db.session.commit()
    purge_residue()  # the shredded key and deleted rows out of the live database files
    kick(current_app._get_current_object())  # type: ignore[attr-defined]
    return erasure_status(subject_id)


def erasure_status(subject_id: str) -> dict[str, Any]:
    """Progress of a subject's erasure: job counts by status."""
    subject = db.session.get(DataSubject, subject_id)
    if subject is None:
        raise ErasureError(404, "unknown_subject", "No such data subject")
    counts = dict.fromkeys(outbox.STATUSES, 0)
    for status, n in db.session.execute(
        sa.select(OutboxJob.status, sa.func.count())
        .where(OutboxJob.subject_id == subject_id, OutboxJob.reason == ERASURE)
        .group_by(OutboxJob.status)
    ):
        counts[status] = int(n)
    open_jobs = counts["pending"] + counts["running"]
    state = (
        "not_requested"
        if subject.erased_at is None
        else "in_progress"
        if open_jobs
        else ("failed" if counts["dead"] or counts["cancelled"] else "complete")
    )
    return {
        "subject_id": subject_id,
        "requested_at": subject.erased_at.isoformat() if subject.erased_at else None,
        "state": state,
        "jobs": counts,
    }


def kick(app: Flask) -> None:
    """Start executing the queued jobs in the background (unless turned off by settings)."""
    if app.extensions["datavagt.settings"].extra.get("erasure_dispatch", "background") != (
        "background"
    ):
        return
    from plugin.retention.dispatcher import Dispatcher

    with _kick_lock:
        running = app.extensions.get("datavagt.erasure.kick")
        if running is not None and running.is_alive():
            return  # its loop runs until the queue is empty, new jobs included
        thread = threading.Thread(
            target=lambda: Dispatcher(app, threads=2).run_until_idle(timeout=600),
            name="erasure-dispatch",
            daemon=True,
        )
        app.extensions["datavagt.erasure.kick"] = thread
        thread.start()
