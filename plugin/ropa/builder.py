"""Build the Art. 30 record: manifest declarations plus live counts from the database.

One activity per manifest purpose with every point of Art. 30(1): controller (name,
address, CVR, contact) and DPO; purpose and legal basis; data subjects; data categories
(Art. 9 marked, CPR numbers and the Art. 10 statement); recipients (Datavagt itself and each
helpdesk vendor as processor); third-country transfers; erasure deadlines, per category
where stricter; security measures. ``as_processor`` is the Art. 30(2) record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from plugin.extensions import db
from plugin.models import DataSubject, Finding, Ticket
from plugin.models.types import utcnow
from plugin.ropa.i18n import LABELS, LANGUAGES, word

if TYPE_CHECKING:
    from plugin.manifest import Manifest

# EU and EEA member states (ISO 3166-1 alpha-2; Greece is "GR" here, not the EU's "EL").
EEA = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK "
    "IS LI NO".split()
)


def _live_counts() -> dict[str, Any]:
    subjects = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(DataSubject)
        .where(DataSubject.merged_into_id.is_(None), DataSubject.erased_at.is_(None))
    )
    tickets = db.session.execute(
        sa.select(Ticket.vendor, sa.func.count())
        .where(Ticket.deleted_at.is_(None))
        .group_by(Ticket.vendor)
    )
    per_purpose = db.session.execute(
        sa.select(Ticket.purpose, sa.func.count())
        .where(Ticket.deleted_at.is_(None))
        .group_by(Ticket.purpose)
    )
    findings = db.session.execute(
        sa.select(Finding.category, sa.func.count()).group_by(Finding.category)
    )
    over = db.session.scalar(
        sa.select(sa.func.count()).select_from(Finding).where(Finding.over_collection.is_(True))
    )
    cpr = db.session.scalar(
        sa.select(sa.func.count()).select_from(Finding).where(Finding.type == "cpr")
    )
    return {
        "subjects": int(subjects or 0),
        "tickets_per_vendor": {v: int(n) for v, n in tickets},
        "tickets_per_purpose": {(p or "unassigned"): int(n) for p, n in per_purpose},
        "findings_per_category": {c: int(n) for c, n in findings},
        "over_collection_findings": int(over or 0),
        "cpr_findings": int(cpr or 0),
    }


def _processors(manifest: Manifest, lang: str, live: dict[str, Any]) -> list[dict[str, Any]]:
    """Datavagt itself first, then each configured helpdesk vendor."""
    out = []
    operator = manifest.data.get("ropa", {}).get("operator")
    if operator:
        out.append(
            {
                "vendor": "datavagt",
                "name": operator["name"],
                "role": word(lang, "processor"),
                "role_code": "processor",
                "country": operator["country"],
                "third_country": operator["country"] not in EEA,
                "transfer_mechanism": operator["transfer_mechanism"],
                "service": operator.get("service", ""),
                "in_use": True,
            }
        )
    for vendor, spec in manifest.data.get("recipients", {}).items():
        out.append(
            {
                "vendor": vendor,
                "name": spec["name"],
                "role": word(lang, spec["role"]),
                "role_code": spec["role"],
                "country": spec["country"],
                "third_country": spec["country"] not in EEA,
                "transfer_mechanism": spec["transfer_mechanism"],
                "service": spec.get("service", ""),
                "in_use": vendor in live["tickets_per_vendor"],
            }
        )
    return out


def _retention(lang: str, rule: dict[str, Any]) -> dict[str, Any]:
    text = LABELS[lang]["days_from"]

    def one(days: int, start: str, action: str) -> dict[str, Any]:
        return {
            "days": days,
            "from": start,
            "action": action,
            "text": text.format(days=days, start=word(lang, start), action=word(lang, action)),
        }

    base = one(rule["days"], rule["start"], rule["action"])
    base["categories"] = {
        category: one(
            override.get("days", rule["days"]),
            override.get("start", rule["start"]),
            override.get("action", rule["action"]),
        )
        for category, override in rule.get("categories", {}).items()
    }
    return base


def _activity(
    code: str, spec: dict[str, Any], manifest: Manifest, lang: str, live: dict, processors: list
) -> dict[str, Any]:
    section = manifest.data.get("ropa", {})
    names = section.get("names", {}).get(lang, {})
    labels = LABELS[lang]
    allowed = spec["allowed_categories"]
    manifest_words = manifest.data["categories"]
    return {
        "code": code,
        "name": names.get(code, spec["name"]),
        "purpose": names.get(code, spec["name"]),
        "legal_basis": spec["legal_basis"],
        "legal_basis_text": word(lang, spec["legal_basis"]),
        "data_subjects": [word(lang, "subjects")],
        "data_categories": [
            {
                "code": c,
                "description": word(lang, c, manifest_words.get(c))
                if lang != "en"
                else manifest_words.get(c, word(lang, c)),
                "special": c == "special",
            }
            for c in allowed
        ],
        "cpr": {
            "processed": "identity" in allowed,
            "text": labels["cpr_yes"] if "identity" in allowed else labels["cpr_no"],
        },
        "art10": section.get("criminal_data", {}).get(code, labels["art10_default"]),
        "recipients": [
            {"name": p["name"], "role": p["role"], "country": p["country"]} for p in processors
        ],
        "transfers": [
            {"recipient": p["name"], "country": p["country"], "mechanism": p["transfer_mechanism"]}
            for p in processors
            if p["third_country"]
        ],
        "retention": _retention(lang, spec["retention"]),
        "security_measures": list(manifest.data.get("security_measures", [])),
        "tickets": live["tickets_per_purpose"].get(code, 0),
    }


def build_ropa(manifest: Manifest, lang: str = "en") -> dict[str, Any]:
    """The record as a JSON-ready mapping in ``lang``: one activity per manifest purpose."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    live = _live_counts()
    labels = LABELS[lang]
    section = manifest.data.get("ropa", {})
    controller = dict(manifest.data["controller"])
    processors = _processors(manifest, lang, live)
    return {
        "title": labels["title"],
        "lang": lang,
        "generated_at": utcnow().isoformat(),
        "headings": {k: labels[k] for k in ("a", "b", "c", "d", "e", "f", "g")},
        "controller": controller,
        "dpo": section.get("dpo"),
        "system": {"name": manifest.data["name"], "version": manifest.data["version"]},
        "activities": [
            _activity(code, spec, manifest, lang, live, processors)
            for code, spec in manifest.purposes.items()
        ],
        "data_categories": dict(manifest.data["categories"]),
        "recipients": processors,
        "transfers": [
            {
                "recipient": p["name"],
                "country": p["country"],
                "mechanism": p["transfer_mechanism"],
                "third_country": p["third_country"],
            }
            for p in processors
        ],
        "security_measures": list(manifest.data.get("security_measures", [])),
        "as_processor": {
            "title": labels["title_processor"],
            "headings": {k: labels[k] for k in ("p_a", "p_b", "p_c", "p_d")},
            "processor": {"name": controller["name"], "contact": controller["contact"]},
            "dpo": section.get("dpo"),
            "activities": list(section.get("as_processor", [])),
            "security_measures": list(manifest.data.get("security_measures", [])),
        },
        "live": live,
    }
