"""Where a person is a contact: each vendor's contact id, found before the vault is shredded."""

from __future__ import annotations

import sqlalchemy as sa

from plugin.extensions import db
from plugin.models import SubjectIdentifier, Ticket, VaultItem
from plugin.vault import VaultError, get_vault
from plugin.vendors.contract import Adapter
from plugin.vendors.errors import AdapterError, NotFound


class ContactLookupFailed(Exception):
    """A vendor could not be asked for the contact behind a ticket (down or refusing)."""

    def __init__(self, vendor: str) -> None:
        super().__init__(vendor)
        self.vendor = vendor


def known_contacts(subject_id: str) -> dict[str, set[str]]:
    """Vendor -> contact ids, read from the subject's sealed vendor_contact identifiers."""
    rows = db.session.execute(
        sa.select(SubjectIdentifier.vendor, VaultItem)
        .join(VaultItem, VaultItem.id == SubjectIdentifier.vault_item_id)
        .where(
            SubjectIdentifier.subject_id == subject_id, SubjectIdentifier.kind == "vendor_contact"
        )
    )
    vault = get_vault()
    found: dict[str, set[str]] = {}
    for vendor, item in rows:
        try:
            found.setdefault(vendor, set()).add(vault.decrypt(item))
        except VaultError:
            continue  # already shredded: the vendor lookup below is the fallback
    return found


def contacts_by_vendor(
    subject_id: str, tickets: list[Ticket], adapters: dict[str, Adapter]
) -> dict[str, set[str]]:
    """Contact ids per vendor that holds the person: identifiers first, else the ticket's
    requester as the vendor reports it (one read per vendor)."""
    found = known_contacts(subject_id)
    for ticket in tickets:
        if found.get(ticket.vendor) or ticket.vendor not in adapters:
            continue
        try:
            vendor_ticket = adapters[ticket.vendor].get_ticket(ticket.external_id)
        except NotFound:
            continue  # gone already; another of their tickets may still name the contact
        except AdapterError as exc:
            raise ContactLookupFailed(ticket.vendor) from exc
        if vendor_ticket.requester is not None and vendor_ticket.requester.external_id:
            found.setdefault(ticket.vendor, set()).add(str(vendor_ticket.requester.external_id))
    return found
