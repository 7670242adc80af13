"""The signed deletion certificate: per store, what was destroyed, what remains, why, until.

State ``pending_expiry`` while a copy that could be restored exists (a vendor's Trash or
recycling bin, database backups taken before the erasure), with the date each disappears;
``complete`` once every such date has passed. What Art. 17(3) lets the controller keep
(cases under a legal exemption, the pseudonymised audit trail, consent records) is listed
as ``kept`` with its legal basis and date: it is outside what the erasure request reaches,
so it does not hold the certificate back. Each state reached is stored as a signed version
(``erasure_certificates``); the follow-up job issues the final one.

Every signed version first asks the vendors again (``erasure verify``) and records the
answer per vendor store (``verify``: clean, expected with the date the vendor drops it,
unexpected, unreachable). A copy still held after its documented date, anything the
evidence did not name, or a vendor that cannot be asked keeps the certificate at
``pending_expiry`` with ``remaining_until`` unknown: it is never ``complete`` then.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.audit import actions, record
from plugin.audit.checkpoints import audit_settings
from plugin.audit.retention import cutoff_for
from plugin.auth.guard import Actor
from plugin.erasure.errors import ErasureError
from plugin.erasure.scope import backup_expiry, exemption, ticket_until
from plugin.erasure.service import DEFERRED, ERASURE, erasure_status
from plugin.erasure.texts import legal_basis
from plugin.erasure.verify import CLEAN, EXPECTED, UNEXPECTED, UNREACHABLE, by_store
from plugin.erasure.verify import verify_erasure as ask_vendors
from plugin.extensions import db
from plugin.models import (
    AuditEvent,
    Consent,
    DataSubject,
    ErasureCertificate,
    OutboxJob,
    SubjectKey,
    Ticket,
    VaultItem,
)
from plugin.models.types import utcnow
from plugin.retention.evidence import OBJECT_TYPES, verify
from plugin.signing.jws import KeySource, sign_payload, verify_compact

CERTIFICATE_TYP = "datavagt-deletion-certificate"
DOCUMENT_TYPE = "deletion_certificate"
UNKNOWN = "unknown"  # a copy remains and nobody told us until when


def _day(value: datetime | date | str | None) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        return value[:10]
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()


def _jobs(subject_id: str) -> list[OutboxJob]:
    return list(
        db.session.scalars(
            sa.select(OutboxJob)
            .where(OutboxJob.subject_id == subject_id, OutboxJob.reason == ERASURE)
            .order_by(OutboxJob.id)
        )
    )


def _vendor_stores(jobs: list[OutboxJob]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The deleted objects and, per vendor and store, what the vendor reported (aggregated)."""
    keyring = current_app.extensions["datavagt.keyring"]
    items: list[dict[str, Any]] = []
    stores: dict[tuple[str, str, str], dict[str, Any]] = {}
    for job in jobs:
        if job.status != "done":
            continue
        evidence = verify(job.evidence or "", keyring)  # our own evidence must still verify
        items.append(
            {
                "vendor": job.vendor,
                "object_type": OBJECT_TYPES.get(job.kind, "ticket"),
                "object_ref": evidence["object_ref"],
                "action": job.kind,
                "result": evidence["result"],
                "at": evidence["at"],
                "job": job.id,
                "evidence_sha256": hashlib.sha256((job.evidence or "").encode()).hexdigest(),
            }
        )
        reported = evidence.get("stores") or [
            {"store": "record", "state": "destroyed", "reason": job.kind, "until": ""}
        ]
        if evidence.get("stores"):
            items[-1]["stores"] = evidence["stores"]
        for entry in reported:
            key = (job.vendor, str(entry.get("store")), str(entry.get("state")))
            row = stores.setdefault(
                key,
                {
                    "store": key[1],
                    "vendor": job.vendor,
                    "state": key[2],
                    "objects": 0,
                    "reason": entry.get("reason") or "",
                    "until": None,
                },
            )
            row["objects"] += len(entry.get("refs") or ()) or 1  # e.g. CC'd tickets, by count
            until = _day(entry.get("until"))
            if key[2] == "remains":
                # The latest date wins; one copy of unknown lifetime makes the whole unknown.
                current = row["until"]
                if until is None or current == UNKNOWN:
                    row["until"] = UNKNOWN
                elif current is None or until > current:
                    row["until"] = until
            elif key[2] == "destroyed":
                row["at"] = max(row.get("at") or "", evidence["at"])
    return items, list(stores.values())


def _kept(subject_id: str, jobs: list[OutboxJob]) -> list[dict[str, Any]]:
    """Art. 17(3): live cases under an exemption, the contacts they hold, and our own copies."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    tickets = list(
        db.session.scalars(
            sa.select(Ticket).where(Ticket.subject_id == subject_id, Ticket.deleted_at.is_(None))
        )
    )
    for ticket in tickets:
        basis = exemption(ticket.purpose)
        if basis is None:
            continue
        until = _day(ticket_until(ticket))
        row = rows.setdefault(
            (ticket.vendor, ticket.purpose or ""),
            {
                "store": "kept_cases",
                "vendor": ticket.vendor,
                "purpose": ticket.purpose,
                "state": "kept",
                "objects": 0,
                "legal_basis": basis,
                "until": until,
            },
        )
        row["objects"] += 1
        if until is None or row["until"] is None:
            row["until"] = None  # an open case: due its retention days after it closes
        elif until > row["until"]:
            row["until"] = until
    out = list(rows.values())
    for job in jobs:
        if job.status == DEFERRED:
            basis = next((r["legal_basis"] for r in out if r["vendor"] == job.vendor), None)
            out.append(
                {
                    "store": "contact",
                    "vendor": job.vendor,
                    "state": "kept",
                    "objects": 1,
                    "legal_basis": basis or legal_basis("legal_obligation"),
                    "reason": "erased after the kept cases it holds",
                    "until": _day(job.next_attempt_at),
                }
            )
    sealed = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(VaultItem)
        .join(SubjectKey, SubjectKey.id == VaultItem.key_id)
        .where(VaultItem.subject_id == subject_id, SubjectKey.wrapped_key.is_not(None))
    )
    if sealed:
        cases = [r for r in out if r["store"] == "kept_cases"]
        dates = [r["until"] for r in cases]
        out.append(
            {
                "store": "vault",
                "vendor": None,
                "state": "kept",
                "objects": int(sealed),
                "legal_basis": (
                    cases[0]["legal_basis"] if cases else legal_basis("legal_obligation")
                ),
                "reason": "the values of the kept cases, under a key of their own",
                "until": None if not dates or None in dates else max(dates),
            }
        )
    return out


def _audit_trail(subject_id: str, now: datetime) -> dict[str, Any]:
    """Audit entries name only the pseudonymous subject id; pruned after retention_years."""
    count, last = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(AuditEvent.occurred_at)).where(
            AuditEvent.subject_id == subject_id
        )
    ).one()
    years = audit_settings()["retention_years"]
    newest = max(last or now, now)  # issuing this certificate is audited too
    # plugin.audit.retention prunes events older than now - years: the newest goes at +years.
    gone = newest + (newest - cutoff_for(newest, years))
    return {
        "store": "audit_trail",
        "vendor": None,
        "state": "kept",
        "objects": int(count or 0) + 1,
        "legal_basis": legal_basis("accountability"),
        "reason": f"pseudonymised; pruned {years} years after the newest entry "
        "(the weekly audit_prune job)",
        "until": _day(gone),
    }


def _consents(subject_id: str) -> dict[str, Any] | None:
    count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Consent).where(Consent.subject_id == subject_id)
    )
    if not count:
        return None
    return {
        "store": "consent_records",
        "vendor": None,
        "state": "kept",
        "objects": int(count),
        "legal_basis": legal_basis("accountability"),
        "reason": "proof of what was consented to and withdrawn (Art. 7(1)); "
        "no deletion is scheduled",
        "until": None,
    }


def _expire(entries: list[dict[str, Any]], today: str) -> None:
    """A remaining copy whose date has passed is gone: say so, with the date (unless the
    vendor, asked again, still holds it or could not be asked)."""
    for entry in entries:
        until = entry.get("until")
        if entry.get("verify") in (UNEXPECTED, UNREACHABLE):
            continue
        # Strictly after the day: a date is when the copy goes, not the start of that day.
        if entry["state"] == "remains" and until not in (None, UNKNOWN) and until < today:
            entry["state"], entry["at"] = "destroyed", until


def _verified(entries: list[dict[str, Any]], report: dict[str, Any]) -> None:
    """Record per vendor store what ``erasure verify`` found (see the module docstring)."""
    answer = by_store(report)
    found, unreachable = answer["found"], set(answer["unreachable"])
    matched: set[tuple[str, str]] = set()
    for entry in entries:
        vendor = entry.get("vendor")
        if vendor is None or entry["state"] == "kept":
            continue  # our own stores, and what Art. 17(3) keeps, are not the vendor's copies
        key = (vendor, entry["store"])
        hit = found.get(key)
        if vendor in unreachable:
            entry["verify"] = UNREACHABLE
        elif hit is None:
            entry["verify"] = CLEAN
            if entry["state"] == "remains" and entry.get("until") in (None, UNKNOWN):
                # A copy nobody could date, and the vendor no longer holds it: gone.
                entry["state"], entry["at"] = "destroyed", report["checked_at"][:10]
        else:
            matched.add(key)
            entry["verify"] = EXPECTED if hit["expected"] else UNEXPECTED
            if not hit["expected"] and entry["state"] == "remains":
                # Held past the date the vendor documents: nobody knows until when now.
                entry["vendor_until"], entry["until"] = entry.get("until"), UNKNOWN
    for (vendor, store), hit in sorted(found.items()):
        if (vendor, store) in matched:
            continue
        entries.append(
            {
                "store": store,
                "vendor": vendor,
                "state": "remains",
                "objects": hit["objects"],
                "reason": "found by erasure verify; the vendor did not report this copy",
                "until": hit["until"] if hit["expected"] else UNKNOWN,
                "verify": EXPECTED if hit["expected"] else UNEXPECTED,
            }
        )


def _verification(report: dict[str, Any]) -> dict[str, Any]:
    """The verify run in the certificate: when, whether it passed, what failed (counts)."""
    statuses = [i["status"] for i in report["items"]]
    return {
        "checked_at": report["checked_at"],
        "ok": report["ok"],
        "objects": len(statuses),
        "unexpected": statuses.count(UNEXPECTED),
        "unreachable": sorted({i["vendor"] for i in report["items"] if i["status"] == UNREACHABLE}),
    }


def _stores(
    subject: DataSubject,
    jobs: list[OutboxJob],
    now: datetime,
    report: dict[str, Any] | None = None,
) -> dict[str, Any]:
    items, vendor = _vendor_stores(jobs)
    keys = db.session.execute(
        sa.select(sa.func.count(), sa.func.max(SubjectKey.destroyed_at)).where(
            SubjectKey.subject_id == subject.id, SubjectKey.destroyed_at.is_not(None)
        )
    ).one()
    erased_at = subject.erased_at or now
    stores: list[dict[str, Any]] = [
        {
            "store": "vault",
            "vendor": None,
            "state": "destroyed",
            "objects": int(keys[0] or 0),
            "reason": "crypto-shredding: per-subject data keys destroyed",
            "at": keys[1].isoformat() if keys[1] else None,
        },
        *vendor,
        {
            "store": "backups",
            "vendor": None,
            "state": "remains",
            "objects": None,
            "reason": "database backups taken before the erasure hold the wrapped key; they "
            "cannot be opened once its key epoch is destroyed",
            "until": _day(backup_expiry(erased_at)),
        },
        _audit_trail(subject.id, now),
        *_kept(subject.id, jobs),
    ]
    consents = _consents(subject.id)
    if consents:
        stores.append(consents)
    if report is not None:
        _verified(stores, report)
    _expire(stores, now.date().isoformat())
    return {"deleted": items, "stores": stores, "vault_destroyed_at": keys[1]}


def _remaining(stores: list[dict[str, Any]]) -> str | None:
    """The latest date a restorable copy disappears; UNKNOWN if one has no date; None if none."""
    dates = [s["until"] for s in stores if s["state"] == "remains"]
    if not dates:
        return None
    return UNKNOWN if None in dates or UNKNOWN in dates else max(dates)


def remaining_until(subject_id: str, now: datetime | None = None) -> str | None:
    """When the last restorable copy of an erased person disappears (None: nothing remains)."""
    subject = db.session.get(DataSubject, subject_id)
    if subject is None or subject.erased_at is None:
        return None
    return _remaining(_stores(subject, _jobs(subject_id), now or utcnow())["stores"])


def certificate_claims(
    subject_id: str, now: datetime | None = None, verify: bool = False
) -> dict[str, Any]:
    """The certificate's content once every erasure job is done; ErasureError before.

    ``verify``: ask the vendors again first and record their answer per store (every signed
    version does; the pages that only show the certificate's dates do not)."""
    now = now or utcnow()
    status = erasure_status(subject_id, now)
    if status["state"] == "not_requested":
        raise ErasureError(404, "no_erasure", "No erasure was requested for this subject")
    if status["state"] not in ("pending_expiry", "complete"):
        raise ErasureError(
            409,
            f"erasure_{status['state']}",
            "The erasure is not complete: "
            + ", ".join(f"{k}={v}" for k, v in status["jobs"].items() if v),
        )
    subject = db.session.get(DataSubject, subject_id)
    report = ask_vendors(subject_id, today=now.date()) if verify else None
    found = _stores(subject, _jobs(subject_id), now, report)
    items, stores = found["deleted"], found["stores"]
    remaining = _remaining(stores)
    if report is not None and not report["ok"]:
        remaining = UNKNOWN  # a leftover or an unreachable vendor: never complete
    controller = current_app.extensions["datavagt.manifest"].data["controller"]
    completed = max((item["at"] for item in items), default=status["requested_at"])
    destroyed = found["vault_destroyed_at"]
    return {
        "type": DOCUMENT_TYPE,
        "controller": controller["name"],
        "subject": subject_id,  # Datavagt's pseudonymous id, never a name or address
        "requested_at": subject.erased_at.isoformat() if subject.erased_at else None,
        "completed_at": completed,
        "issued_at": now.isoformat(),
        "state": "pending_expiry" if remaining else "complete",
        "remaining_until": remaining,
        "vault": {
            "keys_destroyed_at": destroyed.isoformat() if destroyed else None,
            "method": "crypto-shredding: per-subject data keys destroyed",
        },
        "stores": stores,
        "deleted": items,
        "verification": _verification(report) if report is not None else None,
    }


def _latest(subject_id: str) -> ErasureCertificate | None:
    return db.session.scalars(
        sa.select(ErasureCertificate)
        .where(ErasureCertificate.subject_id == subject_id)
        .order_by(ErasureCertificate.version.desc())
        .limit(1)
    ).first()


def _document(row: ErasureCertificate) -> dict[str, Any]:
    claims = verify_compact(current_app.extensions["datavagt.keyring"], row.token, CERTIFICATE_TYP)
    return {"type": DOCUMENT_TYPE, "certificate": row.token, "claims": claims}


def _next_check(stores: list[dict[str, Any]], now: datetime) -> datetime | None:
    """The day after the earliest remaining date (UNKNOWN: look again in a day)."""
    dates = [s["until"] for s in stores if s["state"] == "remains"]
    if not dates:
        return None
    if None in dates or UNKNOWN in dates:
        return now + timedelta(days=1)
    earliest = datetime.fromisoformat(min(dates)).replace(tzinfo=now.tzinfo)
    return max(earliest + timedelta(days=1), now)


def _fingerprint(claims: dict[str, Any]) -> tuple:
    """What makes a new version: the state, the last date, and which copies are gone or
    remain (kept entries move daily, e.g. the audit trail's date, and do not count)."""
    return (
        claims.get("state"),
        claims.get("remaining_until"),
        sorted(
            (s["store"], s.get("vendor") or "", s["state"], s.get("verify") or "")
            for s in claims.get("stores", [])
            if s["state"] != "kept"
        ),
    )


def issue_version(
    subject_id: str, now: datetime, actor: Actor | None
) -> tuple[dict[str, Any], bool]:
    """The current certificate, and whether it is a version stored just now. Commits.

    The vendors are asked again (``erasure verify``) before any version is signed."""
    latest = _latest(subject_id)
    previous = _document(latest) if latest is not None else None
    if previous is not None and previous["claims"].get("state") == "complete":
        return previous, False  # the final certificate never changes again
    claims = certificate_claims(subject_id, now, verify=True)
    if latest is not None and previous is not None:
        if _fingerprint(previous["claims"]) == _fingerprint(claims):
            # An unchanged one is re-checked later.
            latest.next_check_at = _next_check(claims["stores"], now)
            db.session.commit()
            return previous, False
    version = (latest.version if latest else 0) + 1
    claims["version"] = version
    token = sign_payload(current_app.extensions["datavagt.keyring"], claims, CERTIFICATE_TYP)
    db.session.add(
        ErasureCertificate(
            subject_id=subject_id,
            version=version,
            state=claims["state"],
            issued_at=now,
            next_check_at=_next_check(claims["stores"], now),
            token=token,
        )
    )
    record(
        actions.ERASE,
        actor=actor or Actor.system("erasure"),
        subject_id=subject_id,
        reason="deletion certificate issued",
        details={
            "certificate_version": version,
            "state": claims["state"],
            "remaining_until": claims["remaining_until"],
            "verified": claims["verification"]["ok"],
        },
    )
    db.session.commit()
    return {"type": DOCUMENT_TYPE, "certificate": token, "claims": claims}, True


def issue(subject_id: str, now: datetime | None = None, actor: Actor | None = None) -> dict:
    """The current signed certificate; a new version is stored (and audited) when the state,
    the last date or a copy's fate changed since the last one. Commits."""
    return issue_version(subject_id, now or utcnow(), actor)[0]


def certificate_document(subject_id: str, now: datetime | None = None) -> dict[str, Any]:
    """A file ``datavagt verify`` accepts: the claims and their compact JWS."""
    return issue(subject_id, now)


def versions(subject_id: str) -> list[dict[str, Any]]:
    """Every stored version, oldest first (state, dates; the tokens via certificate_document)."""
    rows = db.session.scalars(
        sa.select(ErasureCertificate)
        .where(ErasureCertificate.subject_id == subject_id)
        .order_by(ErasureCertificate.version)
    )
    return [
        {
            "version": r.version,
            "state": r.state,
            "issued_at": r.issued_at.isoformat(),
            "next_check_at": r.next_check_at.isoformat() if r.next_check_at else None,
        }
        for r in rows
    ]


def verify_file(document: dict[str, Any], keys: KeySource) -> str:
    """``datavagt verify`` for a deletion certificate; the readable claims must match."""
    from plugin.signing.verify import VerificationError

    token = document.get("certificate")
    if not isinstance(token, str):
        raise VerificationError('deletion certificate file has no "certificate" token')
    claims = verify_compact(keys, token, CERTIFICATE_TYP)
    if "claims" in document and document["claims"] != claims:
        raise VerificationError("the readable claims differ from the signed ones")
    state = claims.get("state", "complete")
    until = claims.get("remaining_until")
    tail = f", copies remain until {until}" if until else ""
    return (
        f"deletion certificate OK: subject {claims['subject']}, "
        f"{len(claims['deleted'])} vendor object(s), completed {claims['completed_at']}, "
        f"state {state}{tail}"
    )


def verification_failed(subject_id: str) -> bool:
    """Whether the latest signed version recorded a failed vendor check (a leftover or an
    unreachable vendor): the erasure is not complete then, whatever the dates say."""
    latest = _latest(subject_id)
    if latest is None or latest.state == "complete":
        return False
    verification = _document(latest)["claims"].get("verification") or {}
    return verification.get("ok") is False


def latest_claims(subject_id: str) -> dict[str, Any] | None:
    """The claims of the latest signed version (None before the first)."""
    latest = _latest(subject_id)
    return _document(latest)["claims"] if latest is not None else None
