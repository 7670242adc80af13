"""Alert texts in Danish and English: what happened, in words an on-call DPO acts on."""

from __future__ import annotations

from typing import Any

LANGUAGES = ("da", "en")

TITLES: dict[str, dict[str, str]] = {
    "en": {
        "bulk_reveal": "{agent} ({role}) revealed {count} values within {window} (limit {limit})",
        "mass_export": "{agent} ({role}) made {count} exports within {window} (limit {limit})",
        "failed_signins": "{count} refused sign-ins on {surface_name} within {window} "
        "(limit {limit})",
        "audit_verification": "The audit trail failed verification: {problem}",
        "breach_deadline": "Incident {breach}: {mark_text} to notify the Datatilsynet",
        "request_due": "Request {request} ({kind_text}) is due on {due}: {days} days left",
        "request_overdue": "Request {request} ({kind_text}) is overdue: it was due on {due}",
    },
    "da": {
        "bulk_reveal": "{agent} ({role}) viste {count} værdier inden for {window} (grænse {limit})",
        "mass_export": "{agent} ({role}) lavede {count} udtræk inden for {window} (grænse {limit})",
        "failed_signins": "{count} afviste logins på {surface_name} inden for {window} "
        "(grænse {limit})",
        "audit_verification": "Revisionsloggen bestod ikke kontrollen: {problem}",
        "breach_deadline": "Sikkerhedsbrud {breach}: {mark_text} til at anmelde til Datatilsynet",
        "request_due": "Anmodning {request} ({kind_text}) skal besvares senest {due}: "
        "{days} dage tilbage",
        "request_overdue": "Anmodning {request} ({kind_text}) er over fristen: "
        "den skulle besvares senest {due}",
    },
}
SURFACES = {
    "en": {
        "admin_console": "the admin console",
        "agent_exchange": "the CRM sign-in",
        "portal": "My pages",
    },
    "da": {
        "admin_console": "administrationskonsollen",
        "agent_exchange": "CRM-login",
        "portal": "Mine sider",
    },
}
PAGE: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Alerts",
        "none": "No alerts.",
        "rule": "Alert",
        "when": "Last seen",
        "times": "Times",
        "status": "Status",
        "open": "open",
        "acknowledged": "acknowledged",
        "ack": "Acknowledge",
        "acked": "Alert acknowledged",
        "incident": "Suspected incident",
        "delivered": "Delivered",
        "console": "console",
        "email": "e-mail",
        "webhook": "webhook",
        "failed": "failed",
        "subject": "Datavagt alert",
    },
    "da": {
        "heading": "Alarmer",
        "none": "Ingen alarmer.",
        "rule": "Alarm",
        "when": "Senest set",
        "times": "Gange",
        "status": "Status",
        "open": "åben",
        "acknowledged": "kvitteret",
        "ack": "Kvittér",
        "acked": "Alarmen er kvitteret",
        "incident": "Formodet sikkerhedsbrud",
        "delivered": "Leveret",
        "console": "konsol",
        "email": "e-mail",
        "webhook": "webhook",
        "failed": "fejlede",
        "subject": "Datavagt-alarm",
    },
}


MARKS = {
    "en": {
        "48h": "48 hours left",
        "24h": "24 hours left",
        "6h": "6 hours left",
        "overdue": "the 72 hours have run out",
    },
    "da": {
        "48h": "48 timer tilbage",
        "24h": "24 timer tilbage",
        "6h": "6 timer tilbage",
        "overdue": "de 72 timer er gået",
    },
}
REQUEST_KINDS = {
    "en": {
        "access": "access",
        "rectification": "rectification",
        "erasure": "erasure",
        "restriction": "restriction",
        "objection": "objection",
        "portability": "data portability",
    },
    "da": {
        "access": "indsigt",
        "rectification": "berigtigelse",
        "erasure": "sletning",
        "restriction": "begrænsning",
        "objection": "indsigelse",
        "portability": "dataportabilitet",
    },
}
# Danish names of the shipped roles; other roles show the manifest's name.
ROLE_NAMES_DA = {
    "agent": "Medarbejder",
    "senior_agent": "Senior medarbejder",
    "team_lead": "Teamleder",
    "dpo": "Databeskyttelsesrådgiver",
    "admin": "Administrator",
}
UNITS = {
    "en": ((3600, "hour", "hours"), (60, "minute", "minutes"), (1, "second", "seconds")),
    "da": ((3600, "time", "timer"), (60, "minut", "minutter"), (1, "sekund", "sekunder")),
}


def _window(seconds: int | None, lang: str) -> str:
    if not seconds:
        return ""
    for size, one, many in UNITS[lang]:
        if seconds % size == 0:
            n = seconds // size
            return f"{n} {one if n == 1 else many}"
    return ""


def role_name(role: str | None, lang: str) -> str:
    """A role in words (the manifest's name in English)."""
    from flask import current_app

    if lang == "da" and role in ROLE_NAMES_DA:
        return ROLE_NAMES_DA[role]
    roles = current_app.extensions["datavagt.manifest"].data["roles"]
    return str((roles.get(role or "") or {}).get("name", role or ""))


def title(rule: str, params: dict[str, Any], lang: str) -> str:
    """One line naming the rule, who or where, how many and the limit."""
    values = {
        "agent": "",
        "count": "",
        "limit": "",
        "problem": "",
        **params,
        "window": _window(params.get("window_seconds"), lang),
        "role": role_name(params.get("role"), lang),
        "mark_text": MARKS[lang].get(params.get("mark", ""), ""),
        "breach": str(params.get("breach", ""))[:8],
        "surface_name": SURFACES[lang].get(params.get("surface", ""), params.get("surface", "")),
        "kind_text": REQUEST_KINDS[lang].get(params.get("kind", ""), params.get("kind", "")),
    }
    return TITLES[lang][rule].format(**values)
