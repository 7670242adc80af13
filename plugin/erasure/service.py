"""Art. 17 erasure: vendor jobs for every ticket and contact, vault shred, all audited.

Cases kept under Art. 17(3) (a purpose with an erasure exemption) are not deleted: their
sealed values are re-sealed under a fresh key before the old keys are shredded, and the
vendor contact holding them is erased only after the last of them is due (``deferred``
jobs, released by the follow-up job in plugin.erasure.followup).
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app

from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.database import purge_residue
from plugin.erasure.contacts import ContactLookupFailed
from plugin.erasure.errors import ErasureError
from plugin.erasure.scope import Scope, build_scope
from plugin.erasure.texts import words
from plugin.extensions import db
from plugin.models import (
    DataSubject,
    DataSubjectRequest,
    Finding,
    OutboxJob,
    SubjectIdentifier,
    Ticket,
    VaultItem,
)
from plugin.models.types import utcnow
from plugin.retention import outbox
from plugin.vault import VaultError, get_vault

log = logging.getLogger(__name__)
ERASURE = "erasure"
# A contact job waiting for the kept cases at its vendor; never claimed until released.
DEFERRED = "deferred"
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


def _subject(subject_id: str, lock: bool = False) -> DataSubject:
    subject = db.session.get(DataSubject, subject_id, with_for_update=lock)
    if subject is None:
        raise ErasureError(404, "unknown_subject", "No such data subject")
    return subject


def _scope(subject_id: str, strict: bool) -> Scope:
    try:
        return build_scope(subject_id, strict=strict)
    except ContactLookupFailed as exc:
        db.session.rollback()
        raise ErasureError(
            503, "vendor_unavailable", f"{exc.vendor} did not answer; try the erasure again"
        ) from exc


def preview_erasure(subject_id: str, now: datetime | None = None) -> dict[str, Any]:
    """The erasure's scope without doing it: what goes, what is kept, why and until when."""
    _subject(subject_id)
    preview = _scope(subject_id, strict=False).as_dict(now)
    db.session.rollback()  # reads only; release any lock a vendor lookup's read held
    return preview


def _reseal_kept(subject_id: str, kept_ids: list[int]) -> tuple[int, int]:
    """Shred every data key, keeping the kept cases' values readable under a new key.

    Returns (items shredded, items re-sealed). The old ciphertexts are deleted; the new key
    holds only the kept cases' values, so it can be shredded alone once they are deleted.
    """
    vault = get_vault()
    kept = []
    if kept_ids:
        for item in db.session.scalars(
            sa.select(VaultItem).where(
                VaultItem.subject_id == subject_id, VaultItem.ticket_id.in_(kept_ids)
            )
        ):
            try:
                kept.append((item, vault.decrypt(item)))
            except VaultError:
                continue  # unreadable already: nothing to keep
    shredded = vault.shred(subject_id)
    fresh = []
    for item, value in kept:
        new = vault.encrypt(
            subject_id, value, field=item.field, kind=item.kind, ticket_id=item.ticket_id
        )
        db.session.execute(
            sa.update(Finding).where(Finding.vault_item_id == item.id).values(vault_item_id=new.id)
        )
        fresh.append(new.id)
    db.session.execute(
        sa.delete(VaultItem).where(VaultItem.subject_id == subject_id, VaultItem.id.not_in(fresh))
    )
    return shredded - len(fresh), len(fresh)


def request_erasure(
    subject_id: str,
    *,
    actor_id: str,
    reason: str,
    role: str = "dpo",
    source: str = "api",
    dispatch: bool = True,
) -> dict[str, Any]:
    """Queue deletion everywhere the person is held, shred their vault key; commits.

    ``dispatch=False`` only queues: a short-lived process (the CLI) must never claim jobs it
    may not live to finish; the workers run them.

    Raises ErasureError: 404 unknown subject, 409 under legal hold, 503 when a vendor must
    be asked for the contact id and cannot answer (nothing is changed then; ask again).
    """
    subject = _subject(subject_id, lock=True)
    if subject.erased_at is not None:
        return erasure_status(subject_id)  # asked twice: the first request stands
    held = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Ticket)
        .where(
            Ticket.subject_id == subject_id,
            Ticket.deleted_at.is_(None),
            Ticket.legal_hold.is_(True),
        )
    )
    if subject.legal_hold or held:
        raise ErasureError(
            409,
            "legal_hold",
            "This person's data is under legal hold; lift the hold before erasing",
        )
    scope = _scope(subject_id, strict=True)
    now = utcnow()
    rows = [_row(subject_id, "delete_ticket", t.vendor, t.external_id, t) for t in scope.erase]
    deferred_vendors = scope.kept_vendors()
    for vendor, ids in sorted(scope.contacts.items()):
        for cid in sorted(ids):
            row = _row(subject_id, "erase_contact", vendor, cid, None)
            if vendor in deferred_vendors:
                row |= {"status": DEFERRED, "next_attempt_at": scope.contact_after(vendor, now)}
                row["params"] = {"deferred": True}
            rows.append(row)
    queued = outbox.enqueue(rows)
    kept_ids = [t.id for t in scope.kept]
    shredded, resealed = _reseal_kept(subject_id, kept_ids)
    findings = db.session.execute(
        sa.delete(Finding).where(
            Finding.subject_id == subject_id, Finding.ticket_id.not_in(kept_ids)
        )
    )
    # Blind indexes identify the person too; consents stay as proof of what was agreed.
    db.session.execute(
        sa.delete(SubjectIdentifier).where(SubjectIdentifier.subject_id == subject_id)
    )
    subject.erased_at = now
    kept = scope.kept_rows()
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
            # Art. 17(3): what was not erased, on which ground, until when (no personal data).
            "kept": [
                {
                    "vendor": k["vendor"],
                    "ticket_ref": k["ticket_ref"],
                    "ground": k["legal_basis"]["ground"],
                    "until": k["until"],
                }
                for k in kept
            ],
            "vault_items_kept": resealed,
            "contacts_deferred": sum(1 for row in rows if row.get("status") == DEFERRED),
        },
    )
    _answer_open_requests(subject_id, kept)
    db.session.commit()
    purge_residue()  # the shredded key and deleted rows out of the live database files
    if dispatch:
        kick(current_app._get_current_object())  # type: ignore[attr-defined]
    return erasure_status(subject_id)


def answer_text(kept: list[dict[str, Any]], lang: str) -> str:
    """What the person is told: erased, except the cases kept, why and until when."""
    w = words(lang)
    if lang == "da":
        head = "Vi har slettet dine oplysninger."
    else:
        head = "We have erased your data."
    if not kept:
        return head
    parts = []
    for k in kept:
        until = k["until"] or f"{k['retention_days']} {w['after_close']}"
        parts.append(f"{k['purpose_name']} ({k['vendor']} {k['ticket_ref']}): {until}")
    grounds = sorted({k["legal_basis"][lang] for k in kept})
    return f"{head} {w['kept_intro']} {'; '.join(parts)}. {w['why']}: {' '.join(grounds)}"


def _answer_open_requests(subject_id: str, kept: list[dict[str, Any]]) -> None:
    """An open erasure request of the person is answered with what was kept, in da and en."""
    text = f"{answer_text(kept, 'da')} / {answer_text(kept, 'en')}"
    for row in db.session.scalars(
        sa.select(DataSubjectRequest).where(
            DataSubjectRequest.subject_id == subject_id,
            DataSubjectRequest.kind == "erasure",
            DataSubjectRequest.status.in_(("received", "in_progress")),
        )
    ):
        # The DPO completes the request once the certificate is issued; the answer is ready.
        row.resolution = text if len(text) <= 500 else text[:497] + "..."
        record(
            actions.REQUEST_UPDATED,
            actor=Actor.system("erasure"),
            subject_id=subject_id,
            details={"request": row.id, "kind": row.kind, "status": row.status},
        )


def erasure_status(subject_id: str, now: datetime | None = None) -> dict[str, Any]:
    """Progress of a subject's erasure: job counts by status, and the certificate state.

    Jobs done means the certificate can be issued; it says ``pending_expiry`` while a copy
    that could be restored (vendor trash, backups) still exists, ``complete`` after.
    """
    subject = _subject(subject_id)
    counts = dict.fromkeys((*outbox.STATUSES, DEFERRED), 0)
    for status, n in db.session.execute(
        sa.select(OutboxJob.status, sa.func.count())
        .where(OutboxJob.subject_id == subject_id, OutboxJob.reason == ERASURE)
        .group_by(OutboxJob.status)
    ):
        counts[status] = int(n)
    open_jobs = counts["pending"] + counts["running"]
    if subject.erased_at is None:
        state = "not_requested"
    elif open_jobs:
        state = "in_progress"
    elif counts["dead"] or counts["cancelled"]:
        state = "failed"
    else:
        from plugin.erasure.certificate import remaining_until, verification_failed

        pending = remaining_until(subject_id, now) or verification_failed(subject_id)
        state = "pending_expiry" if pending else "complete"
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
