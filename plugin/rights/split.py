"""Splitting a wrong merge: detach merged subjects, or move identifiers with their tickets."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin import audit
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import DataSubject, SubjectIdentifier, Ticket, VaultItem
from plugin.rights.errors import RightsError
from plugin.rights.lookup import get_subject
from plugin.vault import VaultError, get_vault
from plugin.vendors.errors import AdapterError, NotFound


def split(
    subject_id: str,
    actor: Actor,
    reason: str,
    merged_ids: list[str] | None = None,
    identifier_ids: list[int] | None = None,
) -> dict[str, list[str]]:
    """Undo merges and/or move identifiers (and their contacts' tickets) to a new subject.

    Returns ``{"detached": [subject ids], "moved_tickets": ["vendor:external id", ...]}``.
    """
    subject = get_subject(subject_id)
    detached: list[str] = []
    moved: list[str] = []
    try:
        for merged_id in merged_ids or []:
            other = get_subject(merged_id)
            if other.merged_into_id != subject.id:
                raise RightsError(409, "conflict", "That subject is not merged into this one")
            other.merged_into_id = None
            detached.append(other.id)
        if identifier_ids:
            fresh_id, moved = _move_identifiers(subject, identifier_ids)
            detached.append(fresh_id)
        if not detached:
            raise RightsError(422, "validation_failed", "Give merged_ids or identifier_ids")
    except AdapterError as exc:
        db.session.rollback()
        raise RightsError(502, "vendor_error", f"A vendor could not be asked ({exc})") from exc
    except RightsError:
        db.session.rollback()
        raise
    audit.record(
        audit.actions.SUBJECT_SPLIT,
        actor=actor,
        subject_id=subject.id,
        reason=reason,
        details={"detached": detached, "identifiers": list(identifier_ids or []), "tickets": moved},
    )
    db.session.commit()
    return {"detached": detached, "moved_tickets": moved}


def _reseal(item_id: str | None, subject_id: str) -> str | None:
    """Re-encrypt a vault item under ``subject_id``'s key; returns the new item's id."""
    old = db.session.get(VaultItem, item_id) if item_id else None
    if old is None:
        return item_id
    vault = get_vault()
    try:
        value = vault.decrypt(old)
    except VaultError as exc:
        raise RightsError(409, "conflict", "A value to move is unreadable (erased?)") from exc
    item = vault.encrypt(subject_id, value, field=old.field, kind=old.kind, ticket_id=old.ticket_id)
    db.session.delete(old)
    return item.id


def _move_identifiers(subject: DataSubject, identifier_ids: list[int]) -> tuple[str, list[str]]:
    """Re-home identifiers on a new subject; tickets of moved vendor contacts go with them."""
    rows = list(
        db.session.scalars(
            sa.select(SubjectIdentifier).where(
                SubjectIdentifier.id.in_(identifier_ids),
                SubjectIdentifier.subject_id == subject.id,
            )
        )
    )
    if len(rows) != len(set(identifier_ids)):
        raise RightsError(409, "conflict", "An identifier does not belong to this subject")
    if len(rows) == len(subject.identifiers):
        raise RightsError(409, "conflict", "A split must leave the subject an identifier")
    moving = _contacts(rows)
    kept = {i.vendor for i in subject.identifiers if i.kind == "vendor_contact" and i not in rows}
    tickets = _tickets_of(subject.id, moving, kept)
    fresh = DataSubject()
    db.session.add(fresh)
    db.session.flush()
    for row in rows:
        row.vault_item_id = _reseal(row.vault_item_id, fresh.id)
        row.subject_id = fresh.id
    for ticket in tickets:
        ticket.subject_id = fresh.id
        for finding in ticket.findings:
            if finding.subject_id == subject.id:  # others named in the ticket stay theirs
                finding.subject_id = fresh.id
                finding.vault_item_id = _reseal(finding.vault_item_id, fresh.id)
    db.session.flush()
    return fresh.id, [f"{t.vendor}:{t.external_id}" for t in tickets]


def _contacts(rows: list[SubjectIdentifier]) -> dict[str, set[str]]:
    """Vendor -> the contact ids among ``rows`` (decrypted from the vault)."""
    vault = get_vault()
    found: dict[str, set[str]] = {}
    for row in rows:
        item = db.session.get(VaultItem, row.vault_item_id) if row.vault_item_id else None
        if row.kind != "vendor_contact" or item is None:
            continue
        try:
            found.setdefault(row.vendor, set()).add(vault.decrypt(item))
        except VaultError as exc:
            raise RightsError(409, "conflict", "An identifier's value is unreadable") from exc
    return found


def _tickets_of(subject_id: str, moving: dict[str, set[str]], kept: set[str]) -> list[Ticket]:
    """The subject's tickets whose requester is a moving contact.

    When the subject keeps no other contact at that vendor every ticket there is the moving
    contact's; otherwise the vendor is asked who requested each ticket.
    """
    if not moving:
        return []
    tickets = db.session.scalars(
        sa.select(Ticket)
        .where(Ticket.subject_id == subject_id, Ticket.vendor.in_(sorted(moving)))
        .order_by(Ticket.vendor, Ticket.id)
    )
    return [t for t in tickets if t.vendor not in kept or _requested_by(t, moving[t.vendor])]


def _requested_by(ticket: Ticket, contact_ids: set[str]) -> bool:
    adapters: dict[str, Any] = current_app.extensions.get("datavagt.adapters", {})
    adapter = adapters.get(ticket.vendor)
    if adapter is None:
        raise RightsError(409, "vendor_unavailable", f"{ticket.vendor} is not configured")
    try:
        requester = adapter.get_ticket(ticket.external_id).requester
    except NotFound:
        return False  # gone at the vendor: nothing says whose it was, so it stays
    return requester is not None and str(requester.external_id) in contact_ids
