"""The DPO's subject page: values masked until revealed with a reason, as in the widget.

The same rule as ``POST /api/tickets/<vendor>/<id>/reveal`` (plugin/agents/tickets.py): the
role's level per category comes from the access policy (plugin/access), ``reveal_with_reason``
needs a reason of ``policy.reason_min_length`` characters, every reveal is audited as
``reveal`` and every refusal as ``reveal_denied``. A revealed value is shown on the page that
answers the reveal only (never stored in the session or a URL)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from plugin import audit
from plugin.access.levels import CLEAR, HIDDEN, PARTIAL, REVEAL_WITH_REASON
from plugin.access.policy import get_policy
from plugin.access.render import HIDDEN_TEXT, level_allows_reveal, partial
from plugin.admin import i18n
from plugin.admin.people import mask
from plugin.auth.guard import Actor
from plugin.extensions import db

CONTACT = "contact"  # the category of a person's e-mail and phone


class RevealRefused(Exception):
    """Why a reveal was refused; ``key`` names the console text."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass
class Shown:
    """What the page shows of each value for the signed-in role."""

    actor: Actor
    lang: str
    csrf: str
    subject_id: str
    revealed: dict[tuple[str, int], str] = field(default_factory=dict)

    def level(self, kind: str, item: dict[str, Any]) -> str:
        """The role's level for a finding (its category) or an identifier (contact)."""
        policy = get_policy()
        role = self.actor.role or ""
        if kind == "identifier":
            return policy.level(role, CONTACT)
        return policy.level(role, item.get("category", ""), field=item.get("field"))

    def __call__(self, kind: str, item: dict[str, Any]) -> Markup:
        value = str(item.get("value") or "")
        key = (kind, int(item["id"]))
        if key in self.revealed:
            return Markup('<span class="revealed">{}</span>').format(self.revealed[key])
        level = self.level(kind, item)
        if level == CLEAR:
            return Markup("{}").format(value)
        if level == HIDDEN:
            return Markup("<em>{}</em>").format(HIDDEN_TEXT)
        if level == PARTIAL:
            return Markup("{}").format(partial(value, get_policy().partial_chars))
        masked = (
            mask(item.get("kind", ""), value)
            if kind == "identifier"
            else (item.get("masked") or mask("", value))
        )
        if level != REVEAL_WITH_REASON:
            return Markup('<span class="masked">{}</span>').format(masked)
        return Markup('<span class="masked">{}</span> {}').format(masked, self._form(kind, item))

    def _form(self, kind: str, item: dict[str, Any]) -> Markup:
        from flask import url_for

        t = i18n.text(self.lang)
        minimum = get_policy().reason_min_length
        return Markup(
            '<form method="post" class="inline reveal" action="{action}">'
            '<input type="hidden" name="csrf_token" value="{csrf}">'
            '<input type="hidden" name="kind" value="{kind}">'
            '<input type="hidden" name="item_id" value="{item}">'
            '<input name="reason" required minlength="{n}" maxlength="500" '
            'placeholder="{placeholder}" aria-label="{placeholder}">'
            '<button type="submit">{label}</button></form>'
        ).format(
            action=url_for("admin.subject_reveal", subject_id=self.subject_id),
            csrf=self.csrf,
            kind=kind,
            item=item["id"],
            n=minimum,
            placeholder=t["reveal_reason"].format(n=minimum),
            label=t["reveal"],
        )


def _find(document: dict[str, Any], kind: str, item_id: int) -> tuple[dict[str, Any], str | None]:
    """The value on this person's page, and the ticket reference of a finding."""
    if kind == "identifier":
        for row in document["identifiers"]:
            if row["id"] == item_id:
                return row, None
    elif kind == "finding":
        for ticket in document["tickets"]:
            for row in ticket["findings"]:
                if row["id"] == item_id:
                    return row, f"{ticket['vendor']}:{ticket['external_id']}"
    raise RevealRefused("reveal_missing")


def reveal(shown: Shown, document: dict[str, Any], kind: str, item_id: int, reason: str) -> None:
    """Reveal one value of the page with a reason (audited) or raise ``RevealRefused``."""
    row, ref = _find(document, kind, item_id)
    level = shown.level(kind, row)
    reason = reason.strip()
    details: dict[str, Any] = {
        "page": "admin_subject",
        kind: item_id,
        "category": CONTACT if kind == "identifier" else row.get("category"),
        "level": level,
    }
    fieldname = row.get("kind") if kind == "identifier" else row.get("field")
    if not level_allows_reveal(level):
        audit.record(
            audit.actions.REVEAL_DENIED,
            actor=shown.actor,
            subject_id=shown.subject_id,
            ticket_ref=ref,
            field=fieldname,
            reason=reason or None,
            details=details,
        )
        db.session.commit()
        raise RevealRefused("reveal_denied")
    if level == REVEAL_WITH_REASON and len(reason) < get_policy().reason_min_length:
        raise RevealRefused("reveal_short")
    if row.get("state") != "held" or row.get("value") is None:
        raise RevealRefused("reveal_erased")
    audit.record(
        audit.actions.REVEAL,
        actor=shown.actor,
        subject_id=shown.subject_id,
        ticket_ref=ref,
        field=fieldname,
        reason=reason,
        details=details,
    )
    db.session.commit()
    shown.revealed[(kind, item_id)] = str(row["value"])
