"""The words of the console's request queue, Danish and English (no internal codes)."""

from __future__ import annotations

from datetime import date

PAGE: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Requests",
        "overdue_n": "Overdue",
        "soon_n": "due within 7 days",
        "kind": "Request",
        "subject": "Person",
        "received": "Received",
        "due": "Deadline",
        "left": "Days left",
        "status": "Status",
        "actions": "Actions",
        "none": "No requests.",
        "overdue": "Overdue",
        "overdue_by": "{n} days overdue",
        "days_left": "{n} days left",
        "due_today": "due today",
        "extended": "Extended by {months} month(s) on {on}: {reason}",
        "extendable": "Can be extended until {day}",
        "not_extendable": "Can no longer be extended (the first month has passed)",
        "reminded": "DPO reminded {day}",
        "escalated": "Escalated {day}",
        "closed_by_system": "closed automatically",
        "start": "Start work",
        "complete": "Complete",
        "extend": "Extend deadline",
        "reject": "Reject",
        "months": "Months",
        "reason": "Reason / note",
        "apply": "Apply",
        "register": "Register a request",
        "subject_id": "Person id",
        "channel": "Channel",
        "submit": "Register",
        "done": "Request updated",
        "bad_input": "Invalid date or number",
    },
    "da": {
        "heading": "Anmodninger",
        "overdue_n": "Over fristen",
        "soon_n": "frist inden for 7 dage",
        "kind": "Anmodning",
        "subject": "Person",
        "received": "Modtaget",
        "due": "Frist",
        "left": "Dage tilbage",
        "status": "Status",
        "actions": "Handlinger",
        "none": "Ingen anmodninger.",
        "overdue": "Over fristen",
        "overdue_by": "{n} dage over fristen",
        "days_left": "{n} dage tilbage",
        "due_today": "frist i dag",
        "extended": "Forlænget med {months} måned(er) den {on}: {reason}",
        "extendable": "Kan forlænges indtil {day}",
        "not_extendable": "Kan ikke længere forlænges (første måned er gået)",
        "reminded": "DPO påmindet {day}",
        "escalated": "Eskaleret {day}",
        "closed_by_system": "lukket automatisk",
        "start": "Påbegynd",
        "complete": "Afslut",
        "extend": "Forlæng fristen",
        "reject": "Afvis",
        "months": "Måneder",
        "reason": "Begrundelse / note",
        "apply": "Udfør",
        "register": "Registrér en anmodning",
        "subject_id": "Person-id",
        "channel": "Kanal",
        "submit": "Registrér",
        "done": "Anmodningen er opdateret",
        "bad_input": "Ugyldig dato eller tal",
    },
}
# Danish for the refusals a DPO meets in the queue (the API's English message otherwise).
ERRORS_DA = {
    "extension_too_late": "Fristen kan kun forlænges inden for en måned efter modtagelsen "
    "(art. 12, stk. 3); det er for sent at forlænge",
    "conflict": "Anmodningen kan ikke ændres i sin nuværende tilstand",
    "validation_failed": "Udfyld felterne korrekt (en forlængelse og en afvisning kræver en "
    "begrundelse)",
    "not_found": "Anmodningen findes ikke",
}
KINDS = {
    "en": {
        "access": "Access (Art. 15)",
        "rectification": "Rectification (Art. 16)",
        "erasure": "Erasure (Art. 17)",
        "restriction": "Restriction (Art. 18)",
        "portability": "Data portability (Art. 20)",
        "objection": "Objection (Art. 21)",
    },
    "da": {
        "access": "Indsigt (art. 15)",
        "rectification": "Berigtigelse (art. 16)",
        "erasure": "Sletning (art. 17)",
        "restriction": "Begrænsning (art. 18)",
        "portability": "Dataportabilitet (art. 20)",
        "objection": "Indsigelse (art. 21)",
    },
}
STATUSES = {
    "en": {
        "received": "Received",
        "in_progress": "In progress",
        "completed": "Completed",
        "rejected": "Rejected",
    },
    "da": {
        "received": "Modtaget",
        "in_progress": "Under behandling",
        "completed": "Afsluttet",
        "rejected": "Afvist",
    },
}
CHANNELS = {
    "en": {
        "email": "E-mail",
        "letter": "Letter",
        "phone": "Phone",
        "portal": "My pages",
        "form": "Web form",
    },
    "da": {
        "email": "E-mail",
        "letter": "Brev",
        "phone": "Telefon",
        "portal": "Mine sider",
        "form": "Webformular",
    },
}
MONTHS_DA = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day(iso: str | None, lang: str) -> str:
    """A date in words: "8. december 2026" / "8 December 2026"."""
    if not iso:
        return ""
    d = date.fromisoformat(iso)
    if lang == "da":
        return f"{d.day}. {MONTHS_DA[d.month - 1]} {d.year}"
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def error_text(code: str, message: str, lang: str) -> str:
    """The refusal in the page's language."""
    return ERRORS_DA.get(code, message) if lang == "da" else message


def describe(row: dict, lang: str, today: date) -> dict:
    """A serialised request with its words for the queue."""
    words = PAGE[lang]
    open_ = row["status"] in ("received", "in_progress")
    left = row["days_left"]
    if not open_:
        left_text = ""
    elif left < 0:
        left_text = words["overdue_by"].format(n=-left)
    elif left == 0:
        left_text = words["due_today"]
    else:
        left_text = words["days_left"].format(n=left)
    if row["extended_on"]:
        extension = words["extended"].format(
            months=row["extension_months"] or "?",
            on=day(row["extended_on"], lang),
            reason=row["extension_reason"] or "",
        )
    elif not open_:
        extension = ""
    elif today <= date.fromisoformat(row["extendable_until"]):
        extension = words["extendable"].format(day=day(row["extendable_until"], lang))
    else:
        extension = words["not_extendable"]
    status = STATUSES[lang].get(row["status"], row["status"])
    if row.get("closed_by") == "system:request_watch":
        status = f"{status} ({words['closed_by_system']})"
    return row | {
        "kind_text": KINDS[lang].get(row["kind"], row["kind"]),
        "status_text": status,
        "received_text": day(row["received_on"], lang),
        "due_text": day(row["due_on"], lang),
        "left_text": left_text,
        "extension_text": extension,
        "can_extend": open_
        and not row["extended_on"]
        and today <= date.fromisoformat(row["extendable_until"]),
    }
