"""One reading of an erasure for people: the portal and the console render the same rows.

Before the erasure the rows come from its scope (what will go, what is kept and why);
after it, from the certificate (what went, what remains where and until when).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from plugin.erasure.errors import ErasureError
from plugin.erasure.scope import backup_day, build_scope
from plugin.erasure.service import erasure_status
from plugin.erasure.texts import legal_basis, words
from plugin.extensions import db
from plugin.models import DataSubject
from plugin.models.types import utcnow

EXEMPT_STORES = ("kept_cases", "contact", "vault")


def _store_label(entry: dict[str, Any], w: dict[str, str]) -> str:
    store, vendor = entry["store"], entry.get("vendor")
    if store == "vault":
        return w["store_vault"]
    if store == "backups":
        return w["store_backups"]
    if store == "audit_trail":
        return w["store_audit_trail"]
    if store == "consent_records":
        return w["store_consents"]
    if store == "kept_cases":
        return f"{w['store_kept']}: {vendor}"
    if store == "contact":
        return f"{w['store_contact_deferred']} {vendor}"
    return f"{w['store_vendor']} {vendor}: {w.get('store_' + store, store)}"


def _row(entry: dict[str, Any], lang: str) -> dict[str, Any]:
    w = words(lang)
    basis = entry.get("legal_basis")
    until = entry.get("until")
    return {
        "store": entry["store"],
        "vendor": entry.get("vendor"),
        "state": entry["state"],
        "label": _store_label(entry, w),
        "state_label": w[entry["state"]],
        "objects": entry.get("objects"),
        "until": until if until and until != "unknown" else None,
        "until_label": (
            until
            if until and until != "unknown"
            else (w["until_unknown"] if entry["state"] != "destroyed" else "")
        ),
        "at": (entry.get("at") or "")[:10],
        "why": basis[lang] if basis else "",
    }


def _planned(subject_id: str, now: datetime) -> list[dict[str, Any]]:
    """The stores as they will be after an erasure run now (no vendor is asked)."""
    scope = build_scope(subject_id, strict=False, ask_vendors=False)
    entries: list[dict[str, Any]] = [
        {"store": "vault", "state": "destroyed", "objects": scope.counts["vault_items"]}
    ]
    vendors = sorted({t.vendor for t in scope.erase} | set(scope.contacts))
    for vendor in vendors:
        deleted = [t for t in scope.erase if t.vendor == vendor]
        if deleted:
            entries.append(
                {"store": "record", "vendor": vendor, "state": "destroyed", "objects": len(deleted)}
            )
    for kept in scope.kept_rows():
        entries.append(
            {
                "store": "kept_cases",
                "vendor": kept["vendor"],
                "state": "kept",
                "objects": 1,
                "legal_basis": kept["legal_basis"],
                "until": kept["until"],
            }
        )
    for vendor in sorted(scope.kept_vendors() & set(scope.contacts)):
        entries.append(
            {
                "store": "contact",
                "vendor": vendor,
                "state": "kept",
                "objects": len(scope.contacts[vendor]),
                "legal_basis": next(
                    k["legal_basis"] for k in scope.kept_rows() if k["vendor"] == vendor
                ),
                "until": scope.contact_after(vendor, now).date().isoformat(),
            }
        )
    entries.append(
        {
            "store": "backups",
            "state": "remains",
            "until": backup_day(now),
        }
    )
    entries.append(
        {"store": "audit_trail", "state": "kept", "legal_basis": legal_basis("accountability")}
    )
    return entries


def _checked(subject_id: str, rows: list[dict[str, Any]], w: dict[str, str]) -> None:
    """Per vendor store, what the vendors said when the latest signed version was issued
    (``erasure verify``), in words."""
    from plugin.erasure.certificate import latest_claims

    signed = latest_claims(subject_id)
    verification = (signed or {}).get("verification")
    if not signed or not verification:
        return
    said = {(s.get("vendor"), s["store"]): s["verify"] for s in signed["stores"] if s.get("verify")}
    day = verification["checked_at"][:10]
    for row in rows:
        outcome = said.get((row["vendor"], row["store"]))
        if outcome:
            row["verify"] = outcome
            row["verify_label"] = f"{w['verify_checked']} {day}: {w['verify_' + outcome]}"


def truth(subject_id: str, lang: str, now: datetime | None = None) -> dict[str, Any]:
    """What the person (portal) and the DPO (console) see, in ``lang`` (da or en)."""
    now = now or utcnow()
    w = words(lang)
    subject = db.session.get(DataSubject, subject_id)
    if subject is None:
        raise ErasureError(404, "unknown_subject", "No such data subject")
    status = erasure_status(subject_id, now)
    certificate = None
    if status["state"] in ("pending_expiry", "complete"):
        from plugin.erasure.certificate import certificate_claims

        certificate = certificate_claims(subject_id, now)
        entries = certificate["stores"]
    elif status["state"] == "not_requested":
        entries = _planned(subject_id, now)
    else:
        entries = []
    rows = [_row(e, lang) for e in entries]
    if certificate is not None:
        _checked(subject_id, rows, w)
    return {
        "state": status["state"],
        "state_label": w["state_" + status["state"]],
        "remaining_until": certificate["remaining_until"] if certificate else None,
        "rows": rows,
        # Kept under a case exemption (the audit trail and consent records are always kept).
        "kept": [r for r in rows if r["state"] == "kept" and r["store"] in EXEMPT_STORES],
        "planned": status["state"] == "not_requested",
        "words": w,
    }


def verification(subject_id: str, lang: str) -> dict[str, Any]:
    """``erasure verify`` in words (da or en): per deleted case and contact, what its vendor
    still holds, store by store. Raises ErasureError (404 unknown, 409 not erased)."""
    from plugin.erasure.verify import verify_erasure

    w = words(lang)
    report = verify_erasure(subject_id)
    rows = []
    for item in report["items"]:
        found = []
        for copy in item.get("found") or []:
            text = w.get("store_" + copy["store"], copy["store"])
            if copy["expected"] and copy["until"]:
                text += f" ({w['remains'].lower()} {copy['until'][:10]})"
            elif copy["until"]:
                text += f" ({w['verify_past_date']}: {copy['until'][:10]})"
            found.append({"store": copy["store"], "expected": copy["expected"], "text": text})
        rows.append(
            {
                "vendor": item["vendor"],
                "object_ref": item["object_ref"],
                "status": item["status"],
                "label": f"{w['store_vendor']} {item['vendor']}: "
                f"{w.get('object_' + item['object_type'], item['object_type'])} "
                f"{item['object_ref']}",
                "status_label": w["verify_" + item["status"]],
                "found": found,
            }
        )
    return {
        "ok": report["ok"],
        "checked_at": report["checked_at"][:19].replace("T", " ") + " UTC",
        "problems": report["unexpected"],
        "objects": len(rows),
        "rows": rows,
        "summary": w["verify_ok"] if report["ok"] else w["verify_problems"],
    }
