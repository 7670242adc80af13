"""The seven questions a regulator asks about one customer, answered from live data."""

from __future__ import annotations

from typing import Any

from plugin.manifest import Manifest

ANSWER_KEYS = (
    "data_collected",
    "why",
    "how_long",
    "how_processed",
    "correct_or_delete",
    "accessed_by",
    "shared_with",
)


def _purposes(held: dict[str, Any], manifest: Manifest) -> list[dict[str, Any]]:
    """Purposes in use for the person (tickets and consents) with basis and retention rule."""
    codes = {t["purpose"] for t in held["tickets"] if t["purpose"]}
    codes |= {c["purpose"] for c in held["consents"]}
    out = []
    for code in sorted(codes):
        spec = manifest.purposes.get(code)
        if spec is None:
            continue
        rule = spec["retention"]
        out.append(
            {
                "code": code,
                "name": spec["name"],
                "legal_basis": spec["legal_basis"],
                "retention": {"days": rule["days"], "from": rule["start"], "then": rule["action"]},
            }
        )
    return out


def _recipients(held: dict[str, Any], manifest: Manifest) -> list[dict[str, Any]]:
    """The vendors that hold the person's tickets, as declared recipients."""
    declared = manifest.data.get("recipients", {})
    vendors = sorted({t["vendor"] for t in held["tickets"]})
    return [
        {"vendor": v, **declared.get(v, {"name": v, "role": "processor", "country": None})}
        for v in vendors
    ]


def _categories(held: dict[str, Any]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ticket in held["tickets"]:
        for finding in ticket["findings"]:
            counts[finding["category"]] = counts.get(finding["category"], 0) + 1
    for identifier in held["identifiers"]:
        if identifier["kind"] in ("email", "phone"):
            counts["contact"] = counts.get("contact", 0) + 1
    return dict(sorted(counts.items()))


# Art. 15(1)(f): the Danish supervisory authority (www.datatilsynet.dk, "Kontakt").
COMPLAINT_AUTHORITY = {
    "name": "Datatilsynet",
    "address": "Carl Jacobsens Vej 35, 2500 Valby, Denmark",
    "web": "https://www.datatilsynet.dk",
}


def _sources(held: dict[str, Any]) -> list[dict[str, Any]]:
    """Art. 15(1)(g): each distinct source of the data held (form, case, conversation, ...)."""
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    items = [i["source"] for i in held["identifiers"]]
    items += [f["source"] for t in held["tickets"] for f in t["findings"]]
    items += [
        {"kind": "message", "vendor": None, "ticket": None, "at": m["at"]}
        for m in held.get("messages", [])
        if m["direction"] == "in"
    ]
    for source in items:
        key = (source["kind"], source.get("vendor"), source.get("ticket"), source.get("at"))
        seen.setdefault(key, source)
    return list(seen.values())


def _art15(
    held: dict[str, Any],
    purposes: list[dict[str, Any]],
    categories: dict[str, int],
    recipients: list[dict[str, Any]],
) -> dict[str, Any]:
    """The Art. 15(1)(a)-(h) items, each under its letter (machine-readable)."""
    return {
        "a": [{"purpose": p["code"], "legal_basis": p["legal_basis"]} for p in purposes],
        "b": sorted(categories),
        "c": recipients,
        "d": [{"purpose": p["code"], **p["retention"]} for p in purposes],
        "e": ["rectification", "erasure", "restriction", "objection", "portability"],
        "f": COMPLAINT_AUTHORITY,
        "g": _sources(held),
        "h": {"automated_decisions": False, "profiling": False},
    }


def summarise(held: dict[str, Any], manifest: Manifest) -> dict[str, Any]:
    """Categories, purposes, retention, recipients and the seven answers for ``held``."""
    purposes = _purposes(held, manifest)
    recipients = _recipients(held, manifest)
    retention = [
        {
            "vendor": t["vendor"],
            "ticket": t["external_id"],
            "purpose": t["purpose"],
            "due_at": t["retention_due_at"],
            "legal_hold": t["legal_hold"],
        }
        for t in held["tickets"]
    ]
    controller = manifest.data["controller"]
    categories = _categories(held)
    answers = {
        "data_collected": {"categories": categories, "identifiers": len(held["identifiers"])},
        "why": purposes,
        "how_long": retention,
        "how_processed": {
            "summary": manifest.data["summary"],
            "security_measures": list(manifest.data.get("security_measures", [])),
        },
        "correct_or_delete": {
            "contact": controller["contact"],
            "controller": controller["name"],
            "rights": ["access", "rectification", "erasure", "restriction", "objection"],
        },
        "accessed_by": held["accessed_by"],
        "shared_with": recipients,
    }
    return {
        "art15": _art15(held, purposes, categories, recipients),
        "categories": categories,
        "purposes": purposes,
        "retention": retention,
        "recipients": recipients,
        "answers": answers,
    }
