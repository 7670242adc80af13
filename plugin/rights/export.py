"""Access (Art. 15) and portability (Art. 20): the signed export and its readable page."""

from __future__ import annotations

import csv
import io
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
from plugin.rights.answers import summarise
from plugin.rights.i18n import LANGUAGES, labels
from plugin.rights.page import Shown, view
from plugin.rights.signature import PAGE_TAG, sign_document, sign_page

EXPORT_TYPE = "datavagt.access_export"
PORTABILITY_TYPE = "datavagt.portability"
PORTABILITY_COLUMNS = ("kind", "at", "field", "type", "value", "case")
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


def render_answers(document: dict[str, Any], lang: str = "en", shown: Shown | None = None) -> str:
    """Only the answers section of a document (for the admin subject page, which passes
    ``shown`` to mask values until revealed with a reason)."""
    lang = lang if lang in LANGUAGES else "en"
    manifest = current_app.extensions["datavagt.manifest"]
    return _TEMPLATES.get_template("answers.html").render(
        v=view(document, manifest, lang, shown), t=labels(lang)
    )


def render_html(envelope: dict[str, Any], lang: str = "en") -> str:
    """The readable page (Danish or English) of a signed export, itself signed.

    The page carries the export's JWS and a ``datavagt-signature`` tag over its own bytes
    (plugin.rights.signature.sign_page), so ``datavagt verify page.html`` checks it as saved.
    """
    if lang not in LANGUAGES:
        lang = "en"
    manifest = current_app.extensions["datavagt.manifest"]
    document = envelope["export"]
    html = _TEMPLATES.get_template("export.html").render(
        v=view(document, manifest, lang),
        jws=envelope["jws"],
        t=labels(lang),
        lang=lang,
        signature_tag=PAGE_TAG.format(""),
    )
    return sign_page(current_app.extensions["datavagt.keyring"], html, document, lang)


def _provided(document: dict[str, Any]) -> list[dict[str, Any]]:
    """What the person gave us (Art. 20): identifiers, form fields, messages, consents."""
    rows: list[dict[str, Any]] = []
    for i in document["identifiers"]:
        if i["state"] == "held" and i["kind"] in ("email", "phone"):
            rows.append(
                {
                    "kind": "identifier",
                    "at": i["source"]["at"],
                    "field": i["kind"],
                    "type": i["kind"],
                    "value": i["value"],
                    "case": None,
                }
            )
    for t in document["tickets"]:
        for f in t["findings"]:
            if f["source"]["kind"] == "form" and f["state"] == "held":
                rows.append(
                    {
                        "kind": "form",
                        "at": t["created_at"],
                        "field": f["field"].removeprefix("form."),
                        "type": f["type"],
                        "value": f["value"],
                        "case": f"{t['vendor']}:{t['external_id']}",
                    }
                )
    for m in document.get("messages", []):
        if m["direction"] == "in" and m["state"] == "held":
            case = f"{m['ticket']['vendor']}:{m['ticket']['id']}" if m.get("ticket") else None
            rows.append(
                {
                    "kind": "message",
                    "at": m["at"],
                    "field": "message",
                    "type": "text",
                    "value": m["body"],
                    "case": case,
                }
            )
    for c in document["consents"]:
        rows.append(
            {
                "kind": "consent",
                "at": c["given_at"],
                "field": c["purpose"],
                "type": "consent_withdrawn" if c.get("withdrawn_at") else "consent_given",
                "value": (c.get("text") or {}).get("text"),
                "case": None,
            }
        )
    return rows


def portability(subject_id: str, actor: Actor, fmt: str = "json") -> tuple[str, str]:
    """Art. 20: the data the person provided, as JSON or CSV (audited); (body, mimetype)."""
    document = build(subject_id)
    rows = _provided(document)
    audit.record(
        audit.actions.EXPORT,
        actor=actor,
        subject_id=document["subject_id"],
        reason="Art. 20 portability export",
        details={"format": fmt, "portability": True, "rows": len(rows)},
    )
    db.session.commit()
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=PORTABILITY_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue(), "text/csv"
    body = {
        "type": PORTABILITY_TYPE,
        "version": 1,
        "generated_at": document["generated_at"],
        "controller": document["controller"]["name"],
        "columns": list(PORTABILITY_COLUMNS),
        "items": rows,
    }
    return json.dumps(body, indent=2, ensure_ascii=False), "application/json"
