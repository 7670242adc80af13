"""People in words: a person by their masked e-mail or phone, an agent by system and user.

The console lists people; a bare UUID tells a DPO nothing. A person is shown by the first
e-mail (else phone) we hold, masked as the widget masks contact data (first letter and the
domain of an e-mail, the last two digits of a phone); the clear value needs a reveal."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import request

from plugin.access.render import partial
from plugin.admin.i18n import word
from plugin.admin.lang import page_lang
from plugin.extensions import db
from plugin.models import SubjectIdentifier, VaultItem
from plugin.vault import VaultError, get_vault

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_WORDS = {
    "en": {"person": "Person {short}", "user": "{vendor} user {id}", "system": "Datavagt"},
    "da": {"person": "Person {short}", "user": "{vendor}-bruger {id}", "system": "Datavagt"},
}
_SYSTEM = {"scheduler", "system", "worker", "retention", "datavagt"}


def mask(kind: str, value: str) -> str:
    """A contact value masked for display: ``a•••@example.com``, ``•• •• •• 12``."""
    if kind == "email" and "@" in value:
        local, domain = value.rsplit("@", 1)
        return f"{local[:1]}{'•' * 3}@{domain}"
    return partial(value, 2)


def _held(row: SubjectIdentifier) -> str | None:
    if row.vault_item_id is None:
        return None
    item = db.session.get(VaultItem, row.vault_item_id)
    if item is None:
        return None
    try:
        return get_vault().decrypt(item)
    except VaultError:
        return None


def subject_label(subject_id: str | None) -> str:
    """A person as the console shows them: masked e-mail, else phone, else a short id."""
    if not subject_id:
        return ""
    cache: dict[str, str] = request.environ.setdefault("datavagt.console_people", {})
    if subject_id in cache:
        return cache[subject_id]
    rows = db.session.scalars(
        sa.select(SubjectIdentifier)
        .where(
            SubjectIdentifier.subject_id == subject_id,
            SubjectIdentifier.kind.in_(("email", "phone")),
        )
        .order_by(SubjectIdentifier.kind, SubjectIdentifier.id)  # e-mail before phone
    )
    label = ""
    for row in rows:
        value = _held(row)
        if value:
            label = mask(row.kind, value)
            break
    if not label:
        label = _WORDS[page_lang()]["person"].format(short=subject_id[:8])
    cache[subject_id] = label
    return label


def display_name(actor_id: Any) -> str:
    """Who did something: a person, an agent of a helpdesk/CRM, a console user or Datavagt."""
    raw = str(actor_id or "")
    lang = page_lang()
    if _UUID.match(raw):
        return subject_label(raw)
    if raw in _SYSTEM:
        return _WORDS[lang]["system"]
    vendor, sep, user = raw.partition(":")
    if sep and vendor in ("freshdesk", "hubspot", "dynamics"):
        return _WORDS[lang]["user"].format(vendor=word(vendor, lang), id=user)
    return raw
