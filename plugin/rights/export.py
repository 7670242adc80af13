"""Access (Art. 15) and portability (Art. 20): the signed export and its readable page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import current_app
from jinja2 import Environment, FileSystemLoader, select_autoescape

from plugin import audit
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models.types import utcnow
from plugin.rights import holdings
from plugin.rights.answers import ANSWER_KEYS, summarise
from plugin.rights.i18n import LANGUAGES, labels
from plugin.rights.signature import sign_document

EXPORT_TYPE = "datavagt.access_export"
_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)


def build(subject_id: str) -> dict[str, Any]:
    """The export document (unsigned): everything held, with the seven answers."""
    manifest = current_app.extensions["datavagt.manifest"]
    held = holdings.gather(subject_id)
    return {
        "type": EXPORT_TYPE,
        "version": 1,
        "generated_at": utcnow().isoformat(),
        "controller": dict(manifest.data["controller"]),
        **held,
        **summarise(held, manifest),
    }


def export(subject_id: str, actor: Actor, fmt: str = "json", lang: str = "en") -> dict[str, Any]:
    """Build, sign and audit an export; ``fmt`` json gives the envelope, html adds the page."""
    document = build(subject_id)
    keyring = current_app.extensions["datavagt.keyring"]
    envelope = sign_document(keyring, document)
    audit.record(
        audit.actions.EXPORT,
        actor=actor,
        subject_id=document["subject_id"],
        reason="Art. 15/20 access export",
        details={
            "format": fmt,
            "lang": lang,
            "tickets": len(document["tickets"]),
            "kid": keyring.active_signing_key.kid,
        },
    )
    db.session.commit()
    return envelope


def to_json(envelope: dict[str, Any]) -> str:
    """The envelope as the JSON file people download."""
    return json.dumps(envelope, indent=2, ensure_ascii=False)


def _plain(value: Any, *_: Any) -> str:
    return "" if value is None else str(value)


def _status(vendor: Any, status: Any) -> str:
    return _plain(status)


# What the answers template calls to put codes, dates, people and values in words. The
# console passes its own (plugin/admin/i18n.py); the defaults print the stored value.
PLAIN_HELPERS: dict[str, Any] = {
    "w": _plain,
    "when": _plain,
    "person": _plain,
    "role_of": _plain,
    "purpose_of": lambda code, name=None: _plain(name or code),
    "status_of": _status,
    "case_no": _plain,
    "shown": None,
}


def render_answers(
    document: dict[str, Any], lang: str = "en", helpers: dict[str, Any] | None = None
) -> str:
    """Only the seven-answers section of a document (for the admin subject page).

    ``helpers`` (see ``PLAIN_HELPERS``) render codes and dates in words and may mask values
    (``shown``)."""
    return _TEMPLATES.get_template("answers.html").render(
        doc=document,
        t=labels(lang if lang in LANGUAGES else "en"),
        **(PLAIN_HELPERS | (helpers or {})),
    )


def render_html(
    envelope: dict[str, Any], lang: str = "en", helpers: dict[str, Any] | None = None
) -> str:
    """The readable page (Danish or English) of a signed export, signature included."""
    if lang not in LANGUAGES:
        lang = "en"
    return _TEMPLATES.get_template("export.html").render(
        doc=envelope["export"],
        jws=envelope["jws"],
        t=labels(lang),
        lang=lang,
        keys=ANSWER_KEYS,
        **(PLAIN_HELPERS | (helpers or {})),
    )
