"""Rectification (Art. 16): correct a value in the vault and in the vendor's record."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin import audit
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.ingest.tokens import token_for
from plugin.models import Finding, SubjectIdentifier, Ticket, VaultItem
from plugin.rights import notices
from plugin.rights.errors import RightsError, not_found
from plugin.rights.lookup import get_subject, group_ids
from plugin.subjects import blind_index
from plugin.vault import VaultError, get_vault
from plugin.vendors.contract import Adapter
from plugin.vendors.errors import AdapterError

# Identifier kinds a person can have corrected, and the update_contact key each maps to.
CONTACT_FIELDS = {"email": "email", "phone": "phone"}


def _adapter(vendor: str) -> Adapter:
    # The app's own adapter: it remembers our writes, so their webhook echo is ignored.
    adapter = current_app.extensions.get("datavagt.adapters", {}).get(vendor)
    if adapter is None:
        raise RightsError(409, "vendor_unavailable", f"{vendor} is not configured")
    return adapter


def _item(item_id: str | None) -> VaultItem:
    item = db.session.get(VaultItem, item_id) if item_id else None
    if item is None:
        raise RightsError(409, "conflict", "No original value is stored for it")
    return item


def rectify(
    subject_id: str,
    new_value: str,
    reason: str,
    actor: Actor,
    finding_id: int | None = None,
    identifier_id: int | None = None,
) -> dict[str, Any]:
    """Correct one finding or identifier; vendors are updated before the change commits."""
    if (finding_id is None) == (identifier_id is None):
        raise RightsError(422, "validation_failed", "Give exactly one of finding_id, identifier")
    ids = group_ids(get_subject(subject_id).id)
    try:
        if finding_id is not None:
            result = _rectify_finding(ids, finding_id, new_value, reason, actor)
        else:
            result = _rectify_identifier(ids, int(identifier_id or 0), new_value, reason, actor)
    except AdapterError as exc:
        db.session.rollback()
        raise RightsError(502, "vendor_error", f"The vendor refused the update ({exc})") from exc
    except VaultError as exc:
        db.session.rollback()
        raise RightsError(409, "conflict", "The stored value is unreadable (erased?)") from exc
    except RightsError:
        db.session.rollback()  # nothing of a refused correction may be committed later
        raise
    _tell_recipients(actor, ids, finding_id, result)
    db.session.commit()
    notices.mail_pending()
    return result


def recipient_names(vendors: list[str]) -> list[str]:
    """The manifest's recipient names (and service) for vendor keys, for the person to read."""
    recipients = current_app.extensions["datavagt.manifest"].data.get("recipients", {})
    names = []
    for vendor in vendors:
        entry = recipients.get(vendor) or {}
        name = entry.get("name", vendor)
        names.append(f"{name} ({entry['service']})" if entry.get("service") else name)
    return names


def _tell_recipients(
    actor: Actor, ids: list[str], finding_id: int | None, result: dict[str, Any]
) -> None:
    """Art. 19: tell the person which recipients were told of the correction."""
    if finding_id is not None:
        finding = db.session.get(Finding, finding_id)
        ticket = db.session.get(Ticket, finding.ticket_id) if finding else None
        vendors = [ticket.vendor] if ticket is not None and result.get("vendor_updated") else []
    else:
        vendors = list(result.get("vendors_updated") or [])
    notices.recipients(actor, ids[0], "rectification", recipient_names(vendors))


def _rectify_finding(
    ids: list[str], finding_id: int, new_value: str, reason: str, actor: Actor
) -> dict[str, Any]:
    finding = db.session.get(Finding, finding_id)
    if finding is None:
        raise not_found("finding")
    ticket = db.session.get(Ticket, finding.ticket_id)
    if ticket is None or (finding.subject_id not in ids and ticket.subject_id not in ids):
        raise not_found("finding")
    vault = get_vault()
    item = _item(finding.vault_item_id)
    old_value = vault.decrypt(item)
    vault.update(item, new_value)
    # The same token ingestion would have written for this value (one format everywhere).
    old_token, new_token = finding.masked, token_for(finding.type, new_value)[:255]
    vendor_updated = False
    adapter = _adapter(ticket.vendor)
    if adapter.can_write(finding.field):
        current = adapter.get_ticket(ticket.external_id).fields.get(finding.field)
        text = current.text if current is not None else ""
        # The vendor shows our old token, or still the original when it was never rewritten.
        for old in (old_token, old_value):
            if old and old in text:
                adapter.write_fields(
                    ticket.external_id, {finding.field: text.replace(old, new_token)}
                )
                vendor_updated = True
                break
    finding.masked = new_token
    finding.written_back = finding.written_back or vendor_updated
    audit.record(
        audit.actions.RECTIFY,
        actor=actor,
        subject_id=ids[0],
        ticket_ref=f"{ticket.vendor}:{ticket.external_id}",
        field=finding.field,
        reason=reason,
        details={"finding": finding.id, "vendor_updated": vendor_updated},
    )
    return {"finding_id": finding.id, "masked": new_token, "vendor_updated": vendor_updated}


def _contact_ids(ids: list[str]) -> list[tuple[str, str]]:
    """(vendor, contact id) for every vendor contact of the person, decrypted from the vault."""
    vault = get_vault()
    rows = db.session.scalars(
        sa.select(SubjectIdentifier)
        .where(SubjectIdentifier.subject_id.in_(ids), SubjectIdentifier.kind == "vendor_contact")
        .order_by(SubjectIdentifier.vendor, SubjectIdentifier.id)
    )
    return [(r.vendor, vault.decrypt(_item(r.vault_item_id))) for r in rows if r.vault_item_id]


def _update_contacts(contacts: list[tuple[str, str]], key: str, new: str, old: str) -> list[str]:
    """Write ``new`` to every contact; on a vendor error put ``old`` back where it was written."""
    adapters = [(_adapter(vendor), contact_id) for vendor, contact_id in contacts]
    done: list[tuple[Adapter, str]] = []
    try:
        for adapter, contact_id in adapters:
            adapter.update_contact(contact_id, {key: new})
            done.append((adapter, contact_id))
    except AdapterError:
        unrestored = []
        for adapter, contact_id in reversed(done):
            try:
                adapter.update_contact(contact_id, {key: old})
            except AdapterError:
                unrestored.append(adapter.name)
        if unrestored:
            # Ids only: which vendors now hold the new value although nothing changed here.
            names = ", ".join(sorted(set(unrestored)))
            raise RightsError(
                502, "vendor_error", f"A vendor refused the update; not restored at: {names}"
            ) from None
        raise
    return sorted({adapter.name for adapter, _ in done})


def _rectify_identifier(
    ids: list[str], identifier_id: int, new_value: str, reason: str, actor: Actor
) -> dict[str, Any]:
    row = db.session.get(SubjectIdentifier, identifier_id)
    if row is None or row.subject_id not in ids:
        raise not_found("identifier")
    if row.kind not in CONTACT_FIELDS:
        raise RightsError(422, "validation_failed", "Only e-mail and phone can be corrected")
    keyring = current_app.extensions["datavagt.keyring"]
    new_index = blind_index(keyring, row.kind, new_value)
    clash = db.session.scalar(
        sa.select(SubjectIdentifier.id).where(
            SubjectIdentifier.kind == row.kind,
            SubjectIdentifier.vendor == row.vendor,
            SubjectIdentifier.blind_index == new_index,
            SubjectIdentifier.id != row.id,
        )
    )
    if clash is not None:
        raise RightsError(409, "conflict", "Another identity already holds that value")
    item = _item(row.vault_item_id)
    vault = get_vault()
    old_value = vault.decrypt(item)
    contacts = _contact_ids(ids)
    vault.update(item, new_value)
    row.blind_index = new_index
    # The vendors are written last: a refusal rolls the vault and index back (rectify()).
    updated = _update_contacts(contacts, CONTACT_FIELDS[row.kind], new_value, old_value)
    audit.record(
        audit.actions.RECTIFY,
        actor=actor,
        subject_id=ids[0],
        field=f"identifier.{row.kind}",
        reason=reason,
        details={"identifier": row.id, "vendors_updated": updated},
    )
    return {"identifier_id": row.id, "vendors_updated": updated}
