"""The agent view service: render a ticket's findings by role, reveal with a reason, audit."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import sqlalchemy as sa

from plugin.access.levels import CLEAR, PARTIAL, REVEAL_WITH_REASON, at_most
from plugin.access.policy import get_policy
from plugin.access.render import level_allows_reveal, render_finding
from plugin.access.restriction import RESTRICTED_CEILING, is_restricted
from plugin.agents.binding import authorize_ticket
from plugin.agents.context import restriction_and_consent, ticket_context
from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.errors import ApiError
from plugin.extensions import db
from plugin.models import Finding, Purpose, SubjectKey, Ticket, VaultItem
from plugin.vault import VaultError, VaultShredded, get_vault

log = logging.getLogger(__name__)
SHOWS_VALUE = (PARTIAL, CLEAR)  # the levels render_finding decrypts for


def find_ticket(vendor: str, external_id: str, actor: Actor) -> Ticket:
    """The live ticket the actor may open, or a 404 that says nothing about why."""
    authorize_ticket(actor, vendor, external_id)
    ticket = db.session.scalars(
        sa.select(Ticket).where(Ticket.vendor == vendor, Ticket.external_id == external_id)
    ).first()
    if ticket is None or ticket.deleted_at is not None:
        raise ApiError(404, "not_found", "Ticket not found")
    return ticket


def _decrypt(finding: Finding, item: VaultItem | None = None, *, lookup: bool = True) -> str | None:
    """The original value, or None once erased or unreadable (never raises to the agent)."""
    if finding.vault_item_id is None:
        return None
    if item is None and lookup:
        item = db.session.get(VaultItem, finding.vault_item_id)
    if item is None:
        return None
    try:
        return get_vault().decrypt(item)
    except VaultShredded:
        return None
    except VaultError:
        log.warning("vault item unreadable", extra={"finding_id": finding.id})
        return None


def _level(actor: Actor, ticket: Ticket, finding: Finding, restricted: bool) -> str:
    level = get_policy().level(
        actor.role or "", finding.category, vendor=ticket.vendor, field=finding.field
    )
    return at_most(level, RESTRICTED_CEILING) if restricted else level


# The hot path's statements, built once and run with parameters: building (and computing
# the cache key of) a statement per request costs more CPU than the query itself.
_VIEW_ROWS = (
    sa.select(Ticket, Purpose, Finding)
    .outerjoin(Purpose, Purpose.code == Ticket.purpose)
    .outerjoin(Finding, Finding.ticket_id == Ticket.id)
    .where(
        Ticket.vendor == sa.bindparam("vendor", type_=sa.String(32)),
        Ticket.external_id == sa.bindparam("external_id", type_=sa.String(128)),
    )
    .order_by(Finding.field, Finding.start, Finding.id)
)
_VAULT_ITEMS = (
    sa.select(VaultItem, SubjectKey)
    .outerjoin(SubjectKey, SubjectKey.id == VaultItem.key_id)
    .where(VaultItem.id.in_(sa.bindparam("ids", expanding=True)))
)


def _ticket_view_rows(
    vendor: str, external_id: str, actor: Actor
) -> tuple[Ticket, Purpose | None, list[Finding]]:
    """The ticket, its purpose and its findings in ONE query (the agent view's hot path)."""
    authorize_ticket(actor, vendor, external_id)
    rows = db.session.execute(_VIEW_ROWS, {"vendor": vendor, "external_id": external_id}).all()
    if not rows or rows[0][0].deleted_at is not None:
        raise ApiError(404, "not_found", "Ticket not found")
    ticket, purpose = rows[0][0], rows[0][1]
    return ticket, purpose, [row[2] for row in rows if row[2] is not None]


def view_ticket(actor: Actor, vendor: str, external_id: str) -> dict[str, Any]:
    """The ticket rendered for ``actor``'s role; one ``view`` audit event per call.

    Levels are resolved first; only the values the role may see (partial or clear) are
    loaded and decrypted, their vault items and data keys in one query.
    """
    ticket, purpose, findings = _ticket_view_rows(vendor, external_id, actor)
    restricted, consent = restriction_and_consent(ticket.subject_id, ticket.purpose)
    keep = get_policy().partial_chars
    levels_of = [_level(actor, ticket, finding, restricted) for finding in findings]
    shown = [f for f, level in zip(findings, levels_of, strict=True) if level in SHOWS_VALUE]
    items, _keys = _vault_items(shown)
    fields: dict[str, list[dict[str, Any]]] = {}
    levels: Counter[str] = Counter(levels_of)
    for finding, level in zip(findings, levels_of, strict=True):
        rendered = render_finding(
            finding,
            level,
            keep=keep,
            decrypt=lambda f: _decrypt(f, items.get(f.vault_item_id or ""), lookup=False),
        )
        fields.setdefault(finding.field, []).append(rendered)
    # Build the whole answer before committing: the commit expires every loaded row.
    view = {
        "ticket": {
            "vendor": ticket.vendor,
            "id": ticket.external_id,
            "status": ticket.status,
            "closed_at": ticket.closed_at.isoformat() if ticket.closed_at else None,
        },
        "role": actor.role,
        "restricted": restricted,
        "fields": [{"name": name, "findings": items} for name, items in fields.items()],
        **ticket_context(ticket, findings, purpose=purpose, consent=consent),
    }
    record(
        actions.VIEW,
        actor=actor,
        subject_id=ticket.subject_id,
        ticket_ref=f"{ticket.vendor}:{ticket.external_id}",
        details={"findings": [f.id for f in findings], "levels": dict(levels)},
    )
    db.session.commit()
    return view


def _vault_items(findings: list[Finding]) -> tuple[dict[str, VaultItem], list[SubjectKey]]:
    """Every vault item of the findings and their data keys, in one query.

    The caller keeps both alive while decrypting: the session's identity map holds rows
    weakly, and the vault then finds each item's key by primary key without a query.
    """
    ids = [f.vault_item_id for f in findings if f.vault_item_id]
    if not ids:
        return {}, []
    rows = db.session.execute(_VAULT_ITEMS, {"ids": ids}).all()
    return {item.id: item for item, _ in rows}, [key for _, key in rows if key is not None]


def reveal(
    actor: Actor, vendor: str, external_id: str, *, field: str, finding_id: int, reason: str
) -> dict[str, Any]:
    """The clear value where policy allows; a denial is audited and answered with 403."""
    ticket = find_ticket(vendor, external_id, actor)
    finding = db.session.get(Finding, finding_id)
    if finding is None or finding.ticket_id != ticket.id or finding.field != field:
        raise ApiError(404, "not_found", "Finding not found on this ticket")
    restricted = is_restricted(ticket.subject_id, ticket.purpose)
    level = _level(actor, ticket, finding, restricted)
    reason = reason.strip()
    ref = f"{ticket.vendor}:{ticket.external_id}"
    details: dict[str, Any] = {"finding": finding.id, "category": finding.category, "level": level}
    if not level_allows_reveal(level):
        details["restricted"] = restricted
        record(
            actions.REVEAL_DENIED,
            actor=actor,
            subject_id=ticket.subject_id,
            ticket_ref=ref,
            field=finding.field,
            reason=reason or None,
            details=details,
        )
        db.session.commit()
        code = "processing_restricted" if restricted else "reveal_denied"
        raise ApiError(403, code, "Your role may not reveal this value")
    minimum = get_policy().reason_min_length
    if level == REVEAL_WITH_REASON and len(reason) < minimum:
        raise ApiError(
            422,
            "reason_required",
            f"A reason of at least {minimum} characters is required",
            {"fields": {"reason": [f"at least {minimum} characters"]}},
        )
    value = _decrypt(finding)
    if value is None:
        raise ApiError(410, "erased", "The value was erased and cannot be revealed")
    record(
        actions.REVEAL,
        actor=actor,
        subject_id=ticket.subject_id,
        ticket_ref=ref,
        field=finding.field,
        reason=reason or None,
        details=details,
    )
    db.session.commit()
    return {"finding": finding.id, "field": finding.field, "type": finding.type, "value": value}
