"""Keep the processor register: seed it from the manifest, record agreements and reviews.

The manifest names who receives data (``recipients:`` and Datavagt itself under
``ropa.operator``); the register adds what Art. 28 asks a DPO to keep track of: the date and
link of each data processing agreement, the Chapter V transfer basis, the categories passed
and the last review. Seeding never overwrites what the DPO has entered.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from plugin import audit
from plugin.audit import actions
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.manifest import Manifest
from plugin.models.processor import ProcessorAgreement
from plugin.models.types import utcnow
from plugin.ropa.builder import EEA

# A review older than this is due again (Art. 28(3)(h) audits; yearly is the common practice).
REVIEW_EVERY = timedelta(days=365)


class RegisterError(Exception):
    """A change the register refuses; the message is safe to show."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def transfer_basis(country: str, mechanism: str) -> str:
    """The Chapter V basis a manifest's free-text mechanism names (``unknown`` if none)."""
    if country in EEA:
        return "eea"
    text = mechanism.lower()
    if "privacy framework" in text or "adequacy" in text:
        return "adequacy"
    if "scc" in text or "standard contractual" in text:
        return "scc"
    if "bcr" in text or "binding corporate" in text:
        return "bcr"
    return "unknown"


def _declared(manifest: Manifest) -> dict[str, dict[str, Any]]:
    declared: dict[str, dict[str, Any]] = {}
    operator = manifest.data.get("ropa", {}).get("operator")
    if operator:
        declared["datavagt"] = dict(operator)
    for key, spec in manifest.data.get("recipients", {}).items():
        if spec["role"] == "processor":
            declared[key] = dict(spec)
    return declared


def sync_from_manifest(manifest: Manifest) -> int:
    """Add every processor the manifest declares and the register lacks; returns how many."""
    known = set(db.session.scalars(sa.select(ProcessorAgreement.key)))
    added = 0
    for key, spec in _declared(manifest).items():
        if key in known:
            continue
        db.session.add(
            ProcessorAgreement(
                key=key,
                name=spec["name"],
                role="processor",
                country=spec["country"],
                service=spec.get("service", ""),
                transfer_basis=transfer_basis(spec["country"], spec["transfer_mechanism"]),
                transfer_mechanism=spec["transfer_mechanism"],
                data_categories=sorted(manifest.data["categories"]),
                dpa_url="",
                last_review_by="",
                review_note="",
            )
        )
        added += 1
    db.session.flush()
    return added


def entries() -> list[ProcessorAgreement]:
    """Processors first, each followed by its sub-processors."""
    rows = list(db.session.scalars(sa.select(ProcessorAgreement).order_by(ProcessorAgreement.key)))
    top = [r for r in rows if r.parent_key is None]
    ordered: list[ProcessorAgreement] = []
    for row in top:
        ordered.append(row)
        ordered.extend(r for r in rows if r.parent_key == row.key)
    ordered.extend(r for r in rows if r not in ordered)
    return ordered


def gaps(row: ProcessorAgreement, today: date | None = None) -> list[str]:
    """What the entry still lacks, as codes the console and CLI translate."""
    today = today or utcnow().date()
    out = []
    if row.agreement_date is None:
        out.append("agreement_date")
    if not row.dpa_url:
        out.append("dpa_url")
    if row.transfer_basis == "unknown":
        out.append("transfer_basis")
    if row.last_review_on is None or today - row.last_review_on > REVIEW_EVERY:
        out.append("review_due")
    return out


def as_dict(row: ProcessorAgreement) -> dict[str, Any]:
    """The JSON form of an entry."""
    return {
        "key": row.key,
        "name": row.name,
        "role": row.role,
        "parent_key": row.parent_key,
        "country": row.country,
        "third_country": row.country not in EEA,
        "service": row.service,
        "transfer_basis": row.transfer_basis,
        "transfer_mechanism": row.transfer_mechanism,
        "agreement_date": row.agreement_date.isoformat() if row.agreement_date else None,
        "dpa_url": row.dpa_url,
        "data_categories": list(row.data_categories),
        "last_review_on": row.last_review_on.isoformat() if row.last_review_on else None,
        "last_review_by": row.last_review_by,
        "review_note": row.review_note,
        "gaps": gaps(row),
    }


def upsert(data: dict[str, Any], actor: Actor) -> tuple[ProcessorAgreement, bool]:
    """Create or change an entry (audited); returns it and whether it is new."""
    parent = data.get("parent_key")
    if data["role"] == "sub_processor":
        if not parent or db.session.get(ProcessorAgreement, parent) is None:
            raise RegisterError(422, "A sub-processor names the processor it works for")
        if parent == data["key"]:
            raise RegisterError(422, "A processor cannot be its own sub-processor")
    elif parent:
        raise RegisterError(422, "Only a sub-processor has a parent processor")
    row = db.session.get(ProcessorAgreement, data["key"])
    new = row is None
    if new:
        row = ProcessorAgreement(key=data["key"], last_review_by="", review_note="")
        db.session.add(row)
    for field in (
        "name",
        "role",
        "parent_key",
        "country",
        "service",
        "transfer_basis",
        "transfer_mechanism",
        "agreement_date",
        "dpa_url",
        "data_categories",
    ):
        if field in data:
            setattr(row, field, data[field])
    if row.country in EEA:
        row.transfer_basis = "eea"
    db.session.flush()
    audit.record(
        actions.ADMIN_ACTION,
        actor=actor,
        details={"operation": "processor_saved", "processor": row.key, "new": new},
    )
    return row, new


def review(key: str, actor: Actor, note: str = "") -> ProcessorAgreement:
    """Mark an entry reviewed today by ``actor`` (audited)."""
    row = db.session.get(ProcessorAgreement, key)
    if row is None:
        raise RegisterError(404, "No such processor in the register")
    row.last_review_on = utcnow().date()
    row.last_review_by = actor.id
    row.review_note = note
    db.session.flush()
    audit.record(
        actions.ADMIN_ACTION,
        actor=actor,
        details={"operation": "processor_reviewed", "processor": row.key},
    )
    return row
