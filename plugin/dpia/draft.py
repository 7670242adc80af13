"""What a DPIA draft starts from: live counts, configuration, screening and known risks.

Everything here is derived from data Datavagt holds (counts, never values) and from the
manifest, so the DPO starts from the processing as it is rather than as remembered. The
screening follows the EDPB guidelines on DPIAs (WP248 rev.01): processing meeting two or
more of the nine criteria is likely to need a DPIA. Datavagt can see four of them in its
data; the other five are the DPO's judgement and start unset.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.breach.service import live_counts
from plugin.extensions import db
from plugin.manifest import CATEGORIES
from plugin.models import DataSubject, Finding, Ticket
from plugin.processors import register

# WP248 rev.01 criteria, in the guidelines' order.
CRITERIA = (
    "evaluation_scoring",
    "automated_decision",
    "systematic_monitoring",
    "sensitive_data",
    "large_scale",
    "matching_datasets",
    "vulnerable_subjects",
    "innovative_technology",
    "prevents_rights",
)
# The ones this module derives from live data; the DPO may still overrule them.
DERIVED = ("sensitive_data", "large_scale", "matching_datasets", "innovative_technology")
# "Large scale" has no number in the GDPR; the DPO sets the threshold in the manifest.
DEFAULT_LARGE_SCALE_SUBJECTS = 5000
LEVELS = ("low", "medium", "high")


def _live_subjects() -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(DataSubject)
            .where(DataSubject.erased_at.is_(None), DataSubject.merged_into_id.is_(None))
        )
        or 0
    )


def _types() -> dict[str, int]:
    """Findings per detected type (cpr, iban, phone...) among live subjects."""
    rows = db.session.execute(
        sa.select(Finding.type, sa.func.count())
        .join(DataSubject, DataSubject.id == Finding.subject_id)
        .where(DataSubject.erased_at.is_(None))
        .group_by(Finding.type)
    )
    return {kind: int(n) for kind, n in rows}


def _tickets_by_vendor() -> dict[str, int]:
    rows = db.session.execute(
        sa.select(Ticket.vendor, sa.func.count())
        .where(Ticket.deleted_at.is_(None))
        .group_by(Ticket.vendor)
    )
    return {vendor: int(n) for vendor, n in rows}


def scope() -> dict[str, Any]:
    """The processing as it stands: counts per category, Art. 9 share, vendors, transfers."""
    manifest = current_app.extensions["datavagt.manifest"]
    subjects = _live_subjects()
    categories = {c: live_counts([c]) for c in CATEGORIES}
    special = categories["special"]["subjects"]
    register.sync_from_manifest(manifest)
    transfers = [
        {
            "processor": row["key"],
            "name": row["name"],
            "country": row["country"],
            "transfer_basis": row["transfer_basis"],
        }
        for row in map(register.as_dict, register.entries())
        if row["third_country"]
    ]
    retention = {
        code: {
            "name": spec.get("name", code),
            "legal_basis": spec.get("legal_basis"),
            "days": (spec.get("retention") or {}).get("days"),
            "special_days": ((spec.get("retention") or {}).get("categories") or {})
            .get("special", {})
            .get("days"),
        }
        for code, spec in sorted(manifest.purposes.items())
    }
    return {
        "subjects": subjects,
        "categories": categories,
        "types": _types(),
        "special_share": round(special / subjects, 3) if subjects else 0.0,
        "tickets_by_vendor": _tickets_by_vendor(),
        "transfers": transfers,
        "retention": retention,
        "security_measures": list(manifest.data.get("security_measures", [])),
        "large_scale_threshold": _large_scale_threshold(),
    }


def _large_scale_threshold() -> int:
    compliance = current_app.extensions["datavagt.manifest"].data.get("compliance") or {}
    return int(compliance.get("dpia_large_scale_subjects", DEFAULT_LARGE_SCALE_SUBJECTS))


def derived_criteria(facts: dict[str, Any]) -> dict[str, bool]:
    """The screening criteria the live data answers."""
    sensitive = facts["categories"]["special"]["subjects"] > 0 or facts["types"].get("cpr", 0) > 0
    return {
        "sensitive_data": sensitive,
        "large_scale": facts["subjects"] >= facts["large_scale_threshold"],
        # Tickets from several systems are joined into one person by identity resolution.
        "matching_datasets": len(facts["tickets_by_vendor"]) > 1,
        # Automated classification of free text for personal data.
        "innovative_technology": True,
    }


def suggested_risks(facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Risks known to apply to this processing, with the measures already in place."""
    risks = [
        ("staff_access", "medium", "high", ["role_masking", "audit_trail", "reveal_alerts"]),
        ("excessive_retention", "medium", "medium", ["retention_policies", "erasure_certificates"]),
        ("rights_not_met", "low", "medium", ["portal", "request_deadlines"]),
    ]
    if facts["categories"]["special"]["subjects"]:
        risks.insert(
            0,
            (
                "special_disclosure",
                "medium",
                "high",
                ["vault_encryption", "role_masking", "special_retention", "pseudonymisation"],
            ),
        )
    if facts["types"].get("cpr"):
        risks.insert(0, ("cpr_misuse", "medium", "high", ["vault_encryption", "pseudonymisation"]))
    if facts["transfers"]:
        risks.append(
            ("third_country_access", "low", "high", ["transfer_basis", "processor_review"])
        )
    return [
        {
            "key": key,
            "description": "",
            "likelihood": likelihood,
            "severity": severity,
            "measures": measures,
            "extra_measures": "",
            "residual": None,
        }
        for key, likelihood, severity, measures in risks
    ]


def level(likelihood: str, severity: str) -> str:
    """Risk level from likelihood and severity (the usual 3×3 matrix, rounded up)."""
    score = (LEVELS.index(likelihood) + 1) * (LEVELS.index(severity) + 1)
    return "high" if score >= 6 else "medium" if score >= 3 else "low"
