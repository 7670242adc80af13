"""The audit event of a ticket write-back: which fields were tokenised, how many findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from plugin import audit
from plugin.auth.guard import Actor
from plugin.models import Finding, Ticket

WORKER = Actor.system("worker")


def record_write_back(
    ticket: Ticket, written: Iterable[str], findings: Iterable[Finding], restricted: bool
) -> None:
    """Append one ``pseudonymise`` event in the caller's transaction (names and counts only).

    ``findings`` are the rows whose tokens are now in the written fields; their values,
    tokens and offsets never reach the trail.
    """
    by_type = Counter(row.type for row in findings)
    audit.record(
        audit.actions.PSEUDONYMISE,
        actor=WORKER,
        subject_id=ticket.subject_id,
        ticket_ref=f"{ticket.vendor}:{ticket.external_id}",
        details={
            "fields": sorted(written),
            "findings": dict(sorted(by_type.items())),
            "purpose": ticket.purpose,
            "restricted": restricted,
        },
    )


def record_identity_link(
    subject_id: str,
    vendor: str,
    matched_on: str | None,
    added: Iterable[str],
    merged: Iterable[tuple[str, str]] = (),
    verified_now: Iterable[str] = (),
) -> None:
    """A new vendor contact was tied to a known person on a strong identifier, or subjects
    were found to be this same person and merged: audited, so a DPO can see why records
    are one and split them (``/api/subjects/<id>/split``). Kinds and ids only, no values."""
    merged = list(merged)
    details: dict = {"vendor": vendor, "matched_on": matched_on, "added": sorted(added)}
    if merged:
        details["merged"] = [{"subject_id": sid, "matched_on": kind} for sid, kind in merged]
    verified_now = sorted(set(verified_now))
    if verified_now:
        details["verified"] = verified_now
    audit.record(audit.actions.SUBJECT_MERGE, actor=WORKER, subject_id=subject_id, details=details)
