"""``erasure verify``: ask each vendor again, per erased object, which stores still hold it,
and compare with what the signed evidence said would remain (and until when)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.erasure.errors import ErasureError
from plugin.erasure.service import DEFERRED, ERASURE
from plugin.extensions import db
from plugin.models import DataSubject, OutboxJob
from plugin.retention.evidence import OBJECT_TYPES, verify
from plugin.retention.vendors import adapters
from plugin.signing.jws import SignatureError
from plugin.vendors.errors import AdapterError

# Per item: nothing left; only copies the evidence named, before their date; or not so.
CLEAN, EXPECTED, UNEXPECTED, UNREACHABLE = "clean", "expected", "unexpected", "unreachable"
# A contact erased only after the cases kept under Art. 17(3): the certificate names it.
KEPT = "kept"


def _reported(job: OutboxJob) -> dict[str, dict[str, Any]]:
    """Store -> what the evidence said remains there: the date the vendor drops it ("" if it
    named none) and the vendor records that hold it (``refs``, e.g. CC'd tickets)."""
    if not job.evidence:
        return {}
    try:
        claims = verify(job.evidence, current_app.extensions["datavagt.keyring"])
    except SignatureError:
        return {}  # evidence that does not verify promises nothing
    return {
        s["store"]: {"until": s.get("until") or "", "refs": list(s.get("refs") or [])}
        for s in claims.get("stores") or []
        if s.get("state") == "remains"
    }


def _judge(
    found: list[str], reported: dict[str, dict[str, Any]], today: date
) -> list[dict[str, Any]]:
    """A copy is expected only where the evidence named it, and with a date only before that
    date: a copy still held after the date the vendor documents dropping it is a leftover.
    (One named without a date keeps the certificate open: its date is unknown.)"""
    judged = []
    for store in found:
        named = reported.get(store)
        until = named["until"] if named else ""
        expected = named is not None and (not until or date.fromisoformat(until[:10]) >= today)
        judged.append({"store": store, "expected": expected, "until": until})
    return judged


def verify_erasure(subject_id: str, today: date | None = None) -> dict[str, Any]:
    """Per erased vendor object: the stores that still hold it, each expected or not.

    Raises ErasureError: 404 unknown subject, 409 not erased (nothing to verify).
    """
    subject = db.session.get(DataSubject, subject_id)
    if subject is None:
        raise ErasureError(404, "unknown_subject", "No such data subject")
    if subject.erased_at is None:
        raise ErasureError(409, "not_erased", "This person has not been erased")
    today = today or datetime.now(UTC).date()
    jobs = db.session.scalars(
        sa.select(OutboxJob)
        .where(OutboxJob.subject_id == subject_id, OutboxJob.reason == ERASURE)
        .order_by(OutboxJob.id)
    )
    vendors = adapters(current_app)
    items: list[dict[str, Any]] = []
    for job in jobs:
        object_type = OBJECT_TYPES.get(job.kind, "ticket")
        item: dict[str, Any] = {
            "vendor": job.vendor,
            "object_type": object_type,
            "object_ref": job.target,  # the vendor's record id, never a name or address
            "job_status": job.status,
        }
        if job.status == DEFERRED:
            # Not erased yet, by design: the certificate lists it as kept, with its date.
            item.update(status=KEPT, found=[])
            items.append(item)
            continue
        adapter = vendors.get(job.vendor)
        try:
            if adapter is None:
                raise AdapterError(job.vendor, "vendor is not configured")
            reported = _reported(job)
            found = adapter.find_copies(object_type, job.target)
            for store, named in reported.items():
                if named["refs"] and store not in found:
                    if adapter.find_named_copies(store, named["refs"]):
                        found.append(store)
        except AdapterError as exc:
            item.update(status=UNREACHABLE, error=str(exc), found=[])
            items.append(item)
            continue
        judged = _judge(found, reported, today)
        item["found"] = judged
        item["status"] = (
            CLEAN if not judged else EXPECTED if all(j["expected"] for j in judged) else UNEXPECTED
        )
        items.append(item)
    problems = sum(1 for i in items if i["status"] in (UNEXPECTED, UNREACHABLE))
    return {
        "subject": subject_id,
        "checked_at": datetime.now(UTC).isoformat(),
        "items": items,
        "unexpected": problems,
        "ok": problems == 0,
    }


def by_store(report: dict[str, Any]) -> dict[str, Any]:
    """The report per vendor and store, as the certificate records it.

    ``found``: (vendor, store) -> objects, whether every copy was expected, and the latest
    date the vendor drops them; ``unreachable``: the vendors that could not be asked.
    """
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for item in report["items"]:
        for copy in item.get("found") or []:
            row = found.setdefault(
                (item["vendor"], copy["store"]), {"objects": 0, "expected": True, "until": ""}
            )
            row["objects"] += 1
            row["expected"] = row["expected"] and copy["expected"]
            row["until"] = max(row["until"], copy["until"] or "")
    return {
        "found": found,
        "unreachable": sorted({i["vendor"] for i in report["items"] if i["status"] == UNREACHABLE}),
    }
