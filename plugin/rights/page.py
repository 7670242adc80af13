"""The readable export (Danish or English): every line in words, never an internal code.

``view`` turns the signed document into what the HTML template prints. Purpose names, legal
bases, retention rules and the complaint address reuse the Art. 13 notice's words
(plugin.forms.notice), so the form and the export say the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from plugin.forms import notice
from plugin.manifest import Manifest
from plugin.rights.i18n import WORDS, labels

try:
    LOCAL = ZoneInfo("Europe/Copenhagen")  # the controller's (Danish) time for dates shown
except ZoneInfoNotFoundError:  # pragma: no cover - no tz database: stay in UTC
    LOCAL = None

# Country names in Danish for the recipients' countries (phonenumbers knows them in English).
COUNTRIES_DA = {
    "DK": "Danmark",
    "US": "USA",
    "IE": "Irland",
    "DE": "Tyskland",
    "SE": "Sverige",
    "NO": "Norge",
    "NL": "Nederlandene",
    "FI": "Finland",
    "FR": "Frankrig",
    "GB": "Storbritannien",
    "IN": "Indien",
}


_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def case_no(external_id: Any) -> str:
    """A case number as people quote it: a Dynamics GUID by its first eight characters."""
    raw = str(external_id or "")
    return f"{raw[:8]}…" if _GUID.match(raw) else raw


def _parse(moment: str | None) -> datetime | None:
    if not moment:
        return None
    try:
        when = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.astimezone(LOCAL) if LOCAL is not None and when.tzinfo else when


def _date(moment: str | None, lang: str) -> str:
    """``3. december 2026`` / ``3 December 2026`` (Danish time)."""
    when = _parse(moment)
    if when is None:
        return "-"
    month = WORDS[lang]["months"][when.month - 1]
    return f"{when.day}. {month} {when.year}" if lang == "da" else f"{when.day} {month} {when.year}"


def _stamp(moment: str | None, lang: str) -> str:
    when = _parse(moment)
    return "-" if when is None else f"{_date(moment, lang)} {when:%H:%M}"


def _word(table: str, code: str | None, lang: str, fallback: str = "other") -> str:
    words = WORDS[lang][table]
    return words.get(code or "", words[fallback])


def _purpose(manifest: Manifest, code: str | None, lang: str) -> str:
    if code and code in manifest.purposes:
        return notice._purpose_name(manifest, code, lang)
    return WORDS[lang]["no_purpose"]


def _service(manifest: Manifest, vendor: str | None) -> str:
    spec = manifest.data.get("recipients", {}).get(vendor or "", {})
    return str(spec.get("service") or spec.get("name") or WORDS["en"]["helpdesk"])


def _field(field: str, lang: str) -> str:
    head = field.split(".", 1)[0].split("[", 1)[0]
    return _word("fields", head, lang)


def _source(source: dict[str, Any], manifest: Manifest, lang: str) -> str:
    phrases = WORDS[lang]["sources"]
    return phrases[source["kind"]].format(
        date=_date(source.get("at"), lang),
        ticket=case_no(source.get("ticket")),
        service=_service(manifest, source.get("vendor")),
    )


def _role(role: str | None, by: str, lang: str) -> str:
    if by != "employee":
        return WORDS[lang]["by"][by]
    return _word("roles", role, lang, "employee")


def _retention(manifest: Manifest, code: str, lang: str) -> str:
    return notice._retention(manifest.purposes[code]["retention"], lang)


def _recipient(spec: dict[str, Any], lang: str) -> dict[str, str]:
    code = (spec.get("country") or "").upper()
    country = (COUNTRIES_DA.get(code) if lang == "da" else None) or notice._country(code, lang)
    country = country or "-"
    outside = (spec.get("country") or "").upper() not in notice.EEA
    return {
        "name": spec.get("name") or "-",
        "service": spec.get("service") or "-",
        "role": _word("recipient_roles", spec.get("role"), lang),
        "country": country,
        "transfer": (spec.get("transfer_mechanism") or "-") if outside else WORDS[lang]["in_eea"],
    }


Shown = Callable[[str, dict[str, Any]], Any]


def view(
    doc: dict[str, Any], manifest: Manifest, lang: str, shown: Shown | None = None
) -> dict[str, Any]:
    """Everything the page prints, in ``lang`` (da or en).

    ``shown(kind, item)`` renders a held value (the console masks it until revealed with a
    reason, plugin.admin.subject_view); without it the value is printed as held."""
    lang = lang if lang in WORDS else "en"
    w = WORDS[lang]

    def value(kind: str, item: dict[str, Any]) -> Any:
        if item["state"] != "held":
            return w["states"].get(item["state"], "-")
        return shown(kind, item) if shown is not None else item["value"]

    identifiers = [
        {
            "id": i["id"],
            "kind": _word("identifier_kinds", i["kind"], lang),
            "value": value("identifier", i),
            "source": _source(i["source"], manifest, lang),
        }
        for i in doc["identifiers"]
    ]
    cases = [
        {
            "ref": w["case_ref"].format(
                ticket=case_no(t["external_id"]), service=_service(manifest, t["vendor"])
            ),
            "purpose": _purpose(manifest, t.get("purpose"), lang),
            "opened": _date(t.get("created_at"), lang),
            "due": _date(t.get("retention_due_at"), lang),
            "findings": [
                {
                    "id": f["id"],
                    "field": _field(f["field"], lang),
                    "category": _word("categories", f["category"], lang),
                    "type": _word("types", f["type"], lang, "other"),
                    "value": value("finding", f),
                    "source": _source(f["source"], manifest, lang),
                }
                for f in t["findings"]
            ],
        }
        for t in doc["tickets"]
    ]
    messages = [
        {
            "id": m["id"],
            "at": _stamp(m["at"], lang),
            "direction": w["direction"][m["direction"]],
            "case": w["case_ref"].format(
                ticket=case_no(m["ticket"]["id"]), service=_service(manifest, m["ticket"]["vendor"])
            )
            if m.get("ticket")
            else "-",
            "body": m["body"] if m["state"] == "held" else w["states"]["erased"],
        }
        for m in doc.get("messages", [])
    ]
    codes = [p["code"] for p in doc["purposes"]]
    purposes = [
        {
            "name": _purpose(manifest, code, lang),
            "basis": notice.BASIS[lang].get(manifest.purposes[code]["legal_basis"], "-"),
            "retention": _retention(manifest, code, lang),
        }
        for code in codes
    ]
    categories = [
        {"name": _word("categories", code, lang), "count": n}
        for code, n in doc["categories"].items()
    ]
    recipients = [_recipient(r, lang) for r in doc["recipients"]]
    sources = sorted({_source(s, manifest, lang) for s in doc.get("art15", {}).get("g", [])})
    accessed = [
        {
            "who": _role(a.get("role"), a.get("by", "employee"), lang)
            + (f" ({a['agent']})" if a.get("agent") else ""),
            "action": _word("actions", a["action"], lang),
            "what": _field(a["field"], lang) if a.get("field") else "-",
            "when": _stamp(a["at"], lang),
        }
        for a in doc["accessed_by"]
    ]
    consents = [
        {
            "purpose": _purpose(manifest, c.get("purpose"), lang),
            "given": _stamp(c.get("given_at"), lang),
            "withdrawn": _stamp(c["withdrawn_at"], lang) if c.get("withdrawn_at") else None,
            "text": (c.get("text") or {}).get("text") or "-",
        }
        for c in doc["consents"]
    ]
    restrictions = [
        {
            "kind": _word("restriction_kinds", r["kind"], lang),
            "purpose": _purpose(manifest, r["purpose"], lang) if r["purpose"] else w["all"],
            "since": _date(r["since"], lang),
            "lifted": _date(r["lifted_at"], lang) if r["lifted_at"] else None,
        }
        for r in doc["restrictions"]
    ]
    controller = doc["controller"]
    return {
        "t": labels(lang),
        "w": w,
        "intro": labels(lang)["intro"].format(controller=controller["name"]),
        "generated": _stamp(doc["generated_at"], lang),
        "identifiers": identifiers,
        "cases": cases,
        "messages": messages,
        "purposes": purposes,
        "categories": categories,
        "recipients": recipients,
        "sources": sources,
        "accessed": accessed,
        "consents": consents,
        "restrictions": restrictions,
        "rights": w["rights_text"].format(contact=controller["contact"]),
        "complaint": notice.WORDS[lang]["complaint"],
        "automated": notice.WORDS[lang]["automated"],
        "how_processed": labels(lang)["how_processed_text"].format(controller=controller["name"]),
    }
