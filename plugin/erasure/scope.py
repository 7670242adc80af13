"""What an erasure reaches: people, tickets, contacts per vendor, and what Art. 17(3) keeps.

The preview (API, ``--dry-run``, console, portal) and the erasure itself use the same
function, so what is shown before is exactly what runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.erasure.contacts import ContactLookupFailed, contacts_by_vendor, known_contacts
from plugin.erasure.texts import legal_basis
from plugin.extensions import db
from plugin.inventory import retention_deadline
from plugin.keys.epochs import backup_window_end
from plugin.models import DataSubject, Finding, SubjectIdentifier, Ticket, VaultItem
from plugin.models.types import utcnow
from plugin.retention.vendors import adapters

# An exempt case kept at a vendor keeps that vendor's contact too: Freshdesk's contact hard
# delete takes the contact's tickets with it (adapters/freshdesk erase_contact) and a
# Dynamics contact's cases go with it. The contact is erased this long after the last kept
# case is due, which leaves the nightly retention sweep time to delete the case first.
CONTACT_GRACE = timedelta(days=2)


def backup_expiry(erased_at: datetime) -> datetime | None:
    """When no database backup can open the person's values any more (None: no date can be
    promised, as with one fixed DATAVAGT_MASTER_KEY). The key epochs own the rule."""
    return backup_window_end(erased_at, current_app.extensions["datavagt.settings"])


def backup_day(erased_at: datetime) -> str | None:
    """``backup_expiry`` as an ISO date, or None."""
    until = backup_expiry(erased_at)
    return until.date().isoformat() if until is not None else None


def exemption(purpose: str | None) -> dict[str, Any] | None:
    """The Art. 17(3) ground a purpose's cases are kept under, or None (they are erased)."""
    spec = current_app.extensions["datavagt.manifest"].purposes.get(purpose or "")
    if spec is None:
        return None
    declared = spec.get("erasure_exemption")
    if declared:
        return legal_basis(declared["ground"], declared.get("law") or None)
    if spec["legal_basis"] == "legal_obligation":
        return legal_basis("legal_obligation")
    return None


def ticket_until(ticket: Ticket) -> datetime | None:
    """When a kept case is deleted by retention (None while open: no anchor yet)."""
    spec = current_app.extensions["datavagt.manifest"].purposes.get(ticket.purpose or "", {})
    return ticket.retention_due_at or retention_deadline(ticket, spec)


@dataclass
class Scope:
    """Everything one erasure touches (read only; building it changes nothing)."""

    subject_id: str
    erase: list[Ticket] = field(default_factory=list)
    kept: list[Ticket] = field(default_factory=list)
    contacts: dict[str, set[str]] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)  # vendors that did not answer
    counts: dict[str, int] = field(default_factory=dict)

    def kept_vendors(self) -> set[str]:
        """Vendors holding a kept case: their contact is erased only after it."""
        return {t.vendor for t in self.kept}

    def contact_after(self, vendor: str, now: datetime) -> datetime:
        """When the contact at ``vendor`` may go: after its last kept case is due."""
        dates = []
        for ticket in self.kept:
            if ticket.vendor != vendor:
                continue
            until = ticket_until(ticket)
            if until is None:  # still open: due no earlier than its retention days from now
                spec = current_app.extensions["datavagt.manifest"].purposes[ticket.purpose]
                until = now + timedelta(days=int(spec["retention"]["days"]))
            dates.append(until)
        return max(dates, default=now) + CONTACT_GRACE

    def kept_rows(self) -> list[dict[str, Any]]:
        """The kept cases with their legal basis and the date they are deleted."""
        rows = []
        purposes = current_app.extensions["datavagt.manifest"].purposes
        for ticket in self.kept:
            until = ticket_until(ticket)
            spec = purposes[ticket.purpose]
            rows.append(
                {
                    "vendor": ticket.vendor,
                    "ticket_ref": ticket.external_id,
                    "purpose": ticket.purpose,
                    "purpose_name": spec["name"],
                    "legal_basis": exemption(ticket.purpose),
                    "until": until.date().isoformat() if until else None,
                    "retention_days": int(spec["retention"]["days"]),
                    "retention_from": spec["retention"]["start"],
                }
            )
        return rows

    def as_dict(self, now: datetime | None = None) -> dict[str, Any]:
        """The preview's JSON form (no personal data: ids, vendor refs and counts)."""
        now = now or utcnow()
        subject = db.session.get(DataSubject, self.subject_id)
        return {
            "subject_id": self.subject_id,
            "erased_at": subject.erased_at.isoformat() if subject and subject.erased_at else None,
            "legal_hold": bool(subject and subject.legal_hold)
            or any(t.legal_hold for t in self.erase + self.kept),
            "people": [self.subject_id],
            "tickets": [
                {"vendor": t.vendor, "ticket_ref": t.external_id, "purpose": t.purpose}
                for t in self.erase
            ],
            "contacts": {
                vendor: {
                    "ids": sorted(ids),
                    "erase_after": (
                        self.contact_after(vendor, now).date().isoformat()
                        if vendor in self.kept_vendors()
                        else None
                    ),
                }
                for vendor, ids in sorted(self.contacts.items())
            },
            "contacts_unresolved": sorted(self.unresolved),
            "datavagt": dict(self.counts),
            "kept": self.kept_rows(),
            "backups_until": backup_day(now),
        }


def build_scope(subject_id: str, *, strict: bool = True, ask_vendors: bool = True) -> Scope:
    """The erasure's scope; ``strict`` raises ContactLookupFailed when a vendor must be asked
    for a contact id and cannot answer (the erasure then stops), else notes the vendor.
    ``ask_vendors=False`` uses only the contacts Datavagt knows (pages, no vendor calls)."""
    tickets = list(
        db.session.scalars(
            sa.select(Ticket)
            .where(Ticket.subject_id == subject_id, Ticket.deleted_at.is_(None))
            .order_by(Ticket.id)
        )
    )
    scope = Scope(subject_id)
    for ticket in tickets:
        (scope.kept if exemption(ticket.purpose) else scope.erase).append(ticket)
    if not ask_vendors:
        scope.contacts = known_contacts(subject_id)
    else:
        try:
            scope.contacts = contacts_by_vendor(subject_id, tickets, adapters(current_app))
        except ContactLookupFailed as exc:
            if strict:
                raise
            scope.contacts = known_contacts(subject_id)
            scope.unresolved.append(exc.vendor)
    kept_ids = [t.id for t in scope.kept]
    items = sa.select(sa.func.count()).select_from(VaultItem)
    items = items.where(VaultItem.subject_id == subject_id)
    scope.counts = {
        "vault_items": int(db.session.scalar(items) or 0),
        "vault_items_kept": int(
            db.session.scalar(items.where(VaultItem.ticket_id.in_(kept_ids))) or 0
        )
        if kept_ids
        else 0,
        "findings": int(
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Finding)
                .where(Finding.subject_id == subject_id)
            )
            or 0
        ),
        "identifiers": int(
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(SubjectIdentifier)
                .where(SubjectIdentifier.subject_id == subject_id)
            )
            or 0
        ),
    }
    return scope
