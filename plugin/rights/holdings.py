"""Everything Datavagt holds about one person, decrypted, for the export and the answers page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.audit.queries import accessed_by
from plugin.consent.service import history
from plugin.extensions import db
from plugin.inventory import inventory_for_subject, inventory_for_ticket
from plugin.messages.threads import messages_of
from plugin.models import (
    DataSubjectRequest,
    Finding,
    ProcessingRestriction,
    SubjectIdentifier,
    Ticket,
    VaultItem,
)
from plugin.rights.lookup import get_subject, group_ids
from plugin.vault import VaultError, VaultShredded, get_vault


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _clear(item_id: str | None) -> dict[str, Any]:
    """The original value of a vault item, or why it cannot be shown."""
    if item_id is None:
        return {"value": None, "state": "not_stored"}
    item = db.session.get(VaultItem, item_id)
    if item is None:
        return {"value": None, "state": "not_stored"}
    try:
        return {"value": get_vault().decrypt(item), "state": "held"}
    except VaultShredded:
        return {"value": None, "state": "erased"}
    except VaultError:
        return {"value": None, "state": "unreadable"}


def _identifiers(ids: list[str]) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(SubjectIdentifier)
        .where(SubjectIdentifier.subject_id.in_(ids))
        .order_by(SubjectIdentifier.id)
    )
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "vendor": r.vendor or None,
            "verified": r.verified,
            # Art. 15(1)(g): where it came from (a case in the vendor's helpdesk, else given
            # to us directly: a form, My pages or an e-mail), and since when.
            "source": {
                "kind": "vendor" if r.vendor else "direct",
                "vendor": r.vendor or None,
                "at": _iso(r.created_at),
            },
        }
        | _clear(r.vault_item_id)
        for r in rows
    ]


def _only_mine(inventory: dict[str, Any], mine: set[int]) -> dict[str, Any]:
    """Someone else's ticket: keep the person's own findings and what follows from them."""
    findings = [f for f in inventory["findings"] if f["id"] in mine]
    categories = sorted({f["category"] for f in findings})
    return inventory | {
        "findings": findings,
        "categories": categories,
        "types": sorted({f["type"] for f in findings}),
        "over_collection": sorted({f["category"] for f in findings if f["over_collection"]}),
        "special_without_basis": any(f["special_without_basis"] for f in findings),
        "art9_basis": inventory["art9_basis"] if "special" in categories else None,
    }


def _exported(inventory: dict[str, Any], vault_items: dict[int, str | None]) -> dict[str, Any]:
    """An inventory entry (purpose, basis, retention, flags) with the findings' clear values."""
    retention = inventory["retention"]
    # The requester's internal subject id is left out: on someone else's ticket it is theirs.
    entry = {k: v for k, v in inventory.items() if k not in ("ticket", "subject_id")}
    vendor = inventory["ticket"]["vendor"]
    external_id = inventory["ticket"]["external_id"]
    created = inventory["created_at"] or inventory["ingested_at"]
    return entry | {
        "vendor": vendor,
        "external_id": external_id,
        "created_at": created,
        "retention_due_at": retention["due_at"],
        "legal_hold": retention["legal_hold"],
        "findings": [
            f
            | _clear(vault_items.get(f["id"]))
            | {"source": source_of(f["field"], vendor, external_id, created)}
            for f in inventory["findings"]
        ],
    }


def source_of(field: str, vendor: str, external_id: str, at: str | None) -> dict[str, Any]:
    """Where a value came from (Art. 15(1)(g)): a form, the case's text, or its conversation."""
    if field.startswith("form."):
        kind = "form"
    elif field.startswith(("conversation", "comment", "reply", "note")):
        kind = "conversation"
    else:
        kind = "case"
    return {"kind": kind, "vendor": vendor, "ticket": external_id, "at": at}


def _tickets(ids: list[str]) -> list[dict[str, Any]]:
    """The person's tickets (inventory.inventory_for_subject), and others' tickets naming them."""
    own = [t for sid in ids for t in inventory_for_subject(sid)["tickets"]]
    mine = set(db.session.scalars(sa.select(Finding.id).where(Finding.subject_id.in_(ids))))
    others = db.session.scalars(
        sa.select(Ticket)
        .where(
            Ticket.id.in_(sa.select(Finding.ticket_id).where(Finding.subject_id.in_(ids))),
            Ticket.id.not_in([t["ticket"]["id"] for t in own]),
        )
        .order_by(Ticket.id)
    )
    items = own + [_only_mine(inventory_for_ticket(t), mine) for t in others]
    rows = db.session.execute(
        sa.select(Finding.id, Finding.vault_item_id).where(
            Finding.ticket_id.in_([t["ticket"]["id"] for t in items])
        )
    )
    vault_items = {finding_id: item_id for finding_id, item_id in rows}
    items.sort(key=lambda t: (t["ticket"]["vendor"], t["ticket"]["id"]))
    return [_exported(t, vault_items) for t in items]


def _consents(ids: list[str]) -> list[dict[str, Any]]:
    """Consents given and withdrawn, with the exact wording (consent.service.history)."""
    rows = [c for sid in ids for c in history(sid)]
    return sorted(rows, key=lambda c: c["given_at"])


_SYSTEM_ACTORS = ("scheduler", "system", "datavagt")  # jobs acting without a person


def _who(agent: str | None, role: str | None) -> str:
    if agent and agent.startswith("subject:"):
        return "you"
    if not agent or agent.startswith(_SYSTEM_ACTORS):
        return "system"
    return "employee"


def _accessed_by(ids: list[str]) -> list[dict[str, Any]]:
    """Who accessed the person's data (audit.queries.accessed_by): by role, not employee id.

    Employee ids, vendor user ids and internal reasons stay out unless the controller sets
    ``EXPORT_NAME_EMPLOYEES`` (then ``agent`` is added to each row).
    """
    named = bool(current_app.config.get("EXPORT_NAME_EMPLOYEES"))
    rows = []
    for sid in ids:
        for event in accessed_by(sid):
            row = {
                "by": _who(event["agent"], event["role"]),
                "role": event["role"],
                "action": event["action"],
                "at": event["at"],
                "field": event["field"],
            }
            if named:
                row["agent"] = event["agent"]
            rows.append(row)
    return sorted(rows, key=lambda e: e["at"])


def _messages(subject_id: str) -> list[dict[str, Any]]:
    """Every secure message to or from the person, decrypted, oldest first.

    ``direction`` is "in" (the person wrote it) or "out" (the controller wrote it); the
    author's employee id is left out, like in ``accessed_by``.
    """
    return [
        {
            "id": m["id"],
            "direction": m["direction"],
            "at": m["created_at"],
            "ticket": m["ticket"],
            "request_id": m["request_id"],
            "body": m["body"],
            "state": "held" if m["body"] is not None else "erased",
        }
        for m in messages_of(subject_id)
    ]


def _restrictions(ids: list[str]) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(ProcessingRestriction)
        .where(ProcessingRestriction.subject_id.in_(ids))
        .order_by(ProcessingRestriction.id)
    )
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "purpose": r.purpose,
            "reason": r.reason,
            "since": _iso(r.created_at),
            "lifted_at": _iso(r.lifted_at),
        }
        for r in rows
    ]


def _requests(ids: list[str]) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        sa.select(DataSubjectRequest)
        .where(DataSubjectRequest.subject_id.in_(ids))
        .order_by(DataSubjectRequest.received_on)
    )
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "status": r.status,
            "received_on": r.received_on.isoformat(),
            "due_on": r.due_on.isoformat(),
        }
        for r in rows
    ]


def gather(subject_id: str) -> dict[str, Any]:
    """Identifiers, tickets with decrypted findings, consents, access log, restrictions."""
    subject = get_subject(subject_id)
    ids = group_ids(subject.id)
    return {
        "subject_id": subject.id,
        "merged_subjects": ids[1:],
        "created_at": _iso(subject.created_at),
        "erased_at": _iso(subject.erased_at),
        "legal_hold": subject.legal_hold,
        "identifiers": _identifiers(ids),
        "tickets": _tickets(ids),
        "consents": _consents(ids),
        "messages": _messages(subject.id),
        "accessed_by": _accessed_by(ids),
        "restrictions": _restrictions(ids),
        "requests": _requests(ids),
    }
