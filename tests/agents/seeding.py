"""Seed a ticket with one finding per data category, values sealed in the real vault."""

from __future__ import annotations

from dataclasses import dataclass

from plugin.extensions import db
from plugin.models import DataSubject, Finding, Ticket
from plugin.vault import get_vault

# category -> (type, original value, token written to the CRM)
SAMPLES: dict[str, tuple[str, str, str]] = {
    "identity": ("cpr", "010190-1234", "[CPR ••••••-••34]"),
    "contact": ("email", "jens.hansen@example.dk", "[EMAIL]"),
    "location": ("postal_address", "Vestergade 12, 8000 Aarhus C", "[ADDRESS]"),
    "financial": ("iban", "DK5000400440116243", "[IBAN]"),
    "online": ("ip_address", "192.168.10.20", "[IP]"),
    "special": ("health", "diabetes", "[HEALTH]"),
}


@dataclass
class Seeded:
    """What a test needs to address the seeded ticket."""

    vendor: str
    external_id: str
    subject_id: str
    findings: dict[str, int]  # category -> finding id
    field: str


def seed_ticket(
    vendor: str = "freshdesk",
    external_id: str = "1001",
    *,
    field: str = "description",
    purpose: str = "support",
    extra: int = 0,
) -> Seeded:
    """One ticket with a finding per category, plus ``extra`` contact findings."""
    subject = DataSubject()
    db.session.add(subject)
    db.session.flush()
    ticket = Ticket(vendor=vendor, external_id=external_id, subject_id=subject.id, purpose=purpose)
    db.session.add(ticket)
    db.session.flush()
    vault = get_vault()
    ids: dict[str, int] = {}
    offset = 0
    rows = list(SAMPLES.items()) + [
        ("contact", ("phone", f"+45 20 30 40 {n:02d}", "[PHONE]")) for n in range(extra)
    ]
    for category, (kind, value, token) in rows:
        item = vault.encrypt(subject.id, value, field=field, kind=kind, ticket_id=ticket.id)
        finding = Finding(
            ticket_id=ticket.id,
            subject_id=subject.id,
            field=field,
            type=kind,
            category=category,
            start=offset,
            end=offset + len(value),
            score=0.99,
            detector=kind,
            vault_item_id=item.id,
            masked=token,
        )
        offset += len(value) + 1
        db.session.add(finding)
        db.session.flush()
        ids.setdefault(category, finding.id)
    db.session.commit()
    return Seeded(vendor, external_id, subject.id, ids, field)
