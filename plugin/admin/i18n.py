"""The console's words in Danish and English, and every internal code as words.

One table for the console: page texts (``T``) and codes (``CODES``). Request kinds and
statuses, data categories and legal bases come from the portal's table (plugin/portal/i18n.py)
so the DPO and the customer read the same word; role names from plugin/alerts/i18n.py."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from plugin.portal.i18n import labels as portal_labels
from plugin.rights.page import case_no

LANGUAGES = ("da", "en")

T: dict[str, dict[str, str]] = {
    "en": {
        "product": "Datavagt",
        "console": "Datavagt console",
        "nav_requests": "Requests",
        "nav_subjects": "People",
        "nav_erasure": "Erasure",
        "nav_audit": "Audit trail",
        "nav_compliance": "Compliance",
        "nav_consents": "Consent texts",
        "nav_retention": "Retention",
        "nav_ropa": "Records of processing",
        "nav_breaches": "Breaches",
        "nav_processors": "Processors",
        "nav_dpia": "Impact assessments",
        "nav_alerts": "Alerts",
        "sign_out": "Sign out",
        "language": "Language",
        "signed_in_as": "Signed in as {who} ({role})",
        "landing_title": "Datavagt",
        "landing_intro": "Datavagt guards the personal data in your helpdesk: it finds it, "
        "keeps it encrypted, masks it for agents, answers data-protection requests and "
        "records who saw what.",
        "landing_console": "Open the console (data-protection officer, administrator)",
        "landing_portal": "My pages (customers)",
        "landing_health": "Service status",
        "login_title": "Sign in",
        "login_intro": "Paste a Datavagt token for a data-protection officer or an "
        "administrator. Your administrator mints one with",
        "token": "Token",
        "sign_in": "Sign in",
        "error_404": "The page does not exist.",
        "error_403": "You may not open this page.",
        "error_400": "The request could not be read. Go back and try again.",
        "error_405": "That is not how this page is used.",
        "error_other": "Something went wrong. Try again shortly.",
        "error_title": "Error {code}",
        "back": "Back to the console",
        "find_title": "Find a person",
        "email": "E-mail",
        "phone": "Phone",
        "vendor_contact": "Helpdesk or CRM contact",
        "find": "Find",
        "results": "Results",
        "person": "Person",
        "identifiers": "Known by",
        "tickets_per_vendor": "Cases per system",
        "nobody": "Nobody holds that identifier.",
        "subject_title": "Person: {who}",
        "export_json": "Download signed export (JSON)",
        "export_en": "Readable export (English)",
        "export_da": "Læsbart udtræk (dansk)",
        "restricted": "Processing restricted",
        "all_purposes": "all purposes",
        "masked_note": "Values are masked. To see one, give a reason; the reveal is recorded "
        "in the audit trail.",
        "reveal": "Show",
        "reveal_reason": "Reason (at least {n} characters)",
        "revealed": "Shown to you once; recorded in the audit trail.",
        "reveal_short": "Give a reason of at least {n} characters to see the value.",
        "reveal_denied": "Your role may not see this value.",
        "reveal_erased": "The value was erased and cannot be shown.",
        "reveal_missing": "That value does not belong to this person.",
        "rectify": "Correct (Art. 16)",
        "value": "Value",
        "identifier_below": "(a contact detail below)",
        "or_identifier": "or contact detail",
        "new_value": "New value",
        "reason": "Reason",
        "correct": "Correct",
        "restrict": "Restrict (Art. 18) or object (Art. 21)",
        "set_flag": "Set",
        "why_lift": "why lift it",
        "lift": "Lift",
        "erase": "Erase (Art. 17)",
        "erase_scope": "What the erasure deletes and keeps (scope, Art. 17(3))",
        "erase_reason_default": "Art. 17 request",
        "erase_everywhere": "Erase everywhere",
        "erase_unavailable": "Erasure is not available in this installation.",
        "case": "{vendor} case {id}",
        "audit_title": "Audit trail",
        "audit_subject": "Person (id)",
        "audit_actor": "Who",
        "audit_action": "What",
        "audit_since": "Since",
        "search": "Search",
        "when": "When",
        "who": "Who",
        "role": "Role",
        "what": "What",
        "ticket": "Case",
        "field": "Field",
        "no_events": "No events.",
        "any": "any",
        "consents_title": "Consent texts",
        "published": "Published",
        "no_consents": "No consent texts are published.",
        "purpose": "Purpose",
        "language_name_da": "Danish",
        "language_name_en": "English",
        "erasure_title": "Erasure queue",
        "pending_jobs": "Waiting",
        "dead_jobs": "Failed, needs attention",
        "job": "Job",
        "job_kind": "What",
        "system": "System",
        "target": "Case or contact",
        "job_status": "Status",
        "attempts": "Attempts",
        "next_try": "Next try",
        "last_error": "Last error",
        "none": "None.",
    },
    "da": {
        "product": "Datavagt",
        "console": "Datavagt-konsol",
        "nav_requests": "Anmodninger",
        "nav_subjects": "Personer",
        "nav_erasure": "Sletning",
        "nav_audit": "Revisionslog",
        "nav_compliance": "Overholdelse",
        "nav_consents": "Samtykketekster",
        "nav_retention": "Opbevaring",
        "nav_ropa": "Fortegnelse",
        "nav_breaches": "Sikkerhedsbrud",
        "nav_processors": "Databehandlere",
        "nav_dpia": "Konsekvensanalyser",
        "nav_alerts": "Alarmer",
        "sign_out": "Log ud",
        "language": "Sprog",
        "signed_in_as": "Logget ind som {who} ({role})",
        "landing_title": "Datavagt",
        "landing_intro": "Datavagt beskytter personoplysningerne i jeres helpdesk: finder dem, "
        "holder dem krypteret, maskerer dem for medarbejdere, besvarer anmodninger efter "
        "databeskyttelsesforordningen og logger, hvem der så hvad.",
        "landing_console": "Åbn konsollen (databeskyttelsesrådgiver, administrator)",
        "landing_portal": "Mine sider (kunder)",
        "landing_health": "Driftsstatus",
        "login_title": "Log ind",
        "login_intro": "Indsæt et Datavagt-token til en databeskyttelsesrådgiver eller en "
        "administrator. Jeres administrator laver et med",
        "token": "Token",
        "sign_in": "Log ind",
        "error_404": "Siden findes ikke.",
        "error_403": "Du må ikke åbne denne side.",
        "error_400": "Forespørgslen kunne ikke læses. Gå tilbage og prøv igen.",
        "error_405": "Siden bruges ikke på den måde.",
        "error_other": "Noget gik galt. Prøv igen om lidt.",
        "error_title": "Fejl {code}",
        "back": "Tilbage til konsollen",
        "find_title": "Find en person",
        "email": "E-mail",
        "phone": "Telefon",
        "vendor_contact": "Kontakt i helpdesk eller CRM",
        "find": "Find",
        "results": "Resultater",
        "person": "Person",
        "identifiers": "Kendt som",
        "tickets_per_vendor": "Sager pr. system",
        "nobody": "Ingen har den oplysning.",
        "subject_title": "Person: {who}",
        "export_json": "Hent signeret udtræk (JSON)",
        "export_en": "Readable export (English)",
        "export_da": "Læsbart udtræk (dansk)",
        "restricted": "Behandlingen er begrænset",
        "all_purposes": "alle formål",
        "masked_note": "Værdierne er maskeret. Angiv en begrundelse for at se en; visningen "
        "logges i revisionsloggen.",
        "reveal": "Vis",
        "reveal_reason": "Begrundelse (mindst {n} tegn)",
        "revealed": "Vist for dig denne ene gang; logget i revisionsloggen.",
        "reveal_short": "Angiv en begrundelse på mindst {n} tegn for at se værdien.",
        "reveal_denied": "Din rolle må ikke se denne værdi.",
        "reveal_erased": "Værdien er slettet og kan ikke vises.",
        "reveal_missing": "Værdien hører ikke til denne person.",
        "rectify": "Ret (art. 16)",
        "value": "Værdi",
        "identifier_below": "(en kontaktoplysning nedenfor)",
        "or_identifier": "eller kontaktoplysning",
        "new_value": "Ny værdi",
        "reason": "Begrundelse",
        "correct": "Ret",
        "restrict": "Begræns (art. 18) eller gør indsigelse (art. 21)",
        "set_flag": "Sæt",
        "why_lift": "hvorfor ophæve",
        "lift": "Ophæv",
        "erase": "Slet (art. 17)",
        "erase_scope": "Hvad sletningen sletter og opbevarer (omfang, art. 17, stk. 3)",
        "erase_reason_default": "Anmodning efter art. 17",
        "erase_everywhere": "Slet overalt",
        "erase_unavailable": "Sletning findes ikke i denne installation.",
        "case": "{vendor}-sag {id}",
        "audit_title": "Revisionslog",
        "audit_subject": "Person (id)",
        "audit_actor": "Hvem",
        "audit_action": "Hvad",
        "audit_since": "Siden",
        "search": "Søg",
        "when": "Hvornår",
        "who": "Hvem",
        "role": "Rolle",
        "what": "Hvad",
        "ticket": "Sag",
        "field": "Felt",
        "no_events": "Ingen hændelser.",
        "any": "alle",
        "consents_title": "Samtykketekster",
        "published": "Offentliggjort",
        "no_consents": "Ingen samtykketekster er offentliggjort.",
        "purpose": "Formål",
        "language_name_da": "Dansk",
        "language_name_en": "Engelsk",
        "erasure_title": "Sletningskø",
        "pending_jobs": "Venter",
        "dead_jobs": "Fejlet, kræver handling",
        "job": "Job",
        "job_kind": "Hvad",
        "system": "System",
        "target": "Sag eller kontakt",
        "job_status": "Status",
        "attempts": "Forsøg",
        "next_try": "Næste forsøg",
        "last_error": "Seneste fejl",
        "none": "Ingen.",
    },
}

# Codes the console shows, by code; portal_labels() supplies request kinds (k_), statuses
# (s_), categories (c_) and legal bases (lb_).
CODES: dict[str, dict[str, str]] = {
    "en": {
        # systems
        "freshdesk": "Freshdesk",
        "hubspot": "HubSpot",
        "dynamics": "Dynamics 365",
        # identifier kinds
        "email": "E-mail",
        "phone": "Phone",
        "vendor_contact": "Contact in {vendor}",
        # what was found
        "cpr": "CPR number",
        "us_ssn": "US social security number",
        "uk_nino": "UK national insurance number",
        "se_personnummer": "Swedish personal number",
        "no_fodselsnummer": "Norwegian national number",
        "de_steuer_id": "German tax id",
        "iban": "IBAN",
        "payment_card": "Payment card",
        "cvr": "CVR number",
        "bank_account": "Bank account",
        "passport": "Passport number",
        "ip_address": "IP address",
        "date_of_birth": "Date of birth",
        "postal_address": "Postal address",
        "person_name": "Name",
        "health": "Health",
        "religion": "Religion",
        "ethnicity": "Ethnic origin",
        "politics": "Political opinion",
        "trade_union": "Trade union membership",
        "sex_life": "Sex life or orientation",
        "biometric": "Biometric data",
        "genetic": "Genetic data",
        # fields of a case
        "description": "Case text",
        "subject": "Case subject",
        "name": "Name",
        "conversation": "Message {n}",
        "attachment": "Attachment {n}",
        # ticket states (Freshdesk 2-5, HubSpot's default pipeline 1-4, Dynamics statecode)
        "status_open": "Open",
        "status_pending": "Pending",
        "status_resolved": "Resolved",
        "status_closed": "Closed",
        "status_new": "New",
        "status_waiting_contact": "Waiting on the customer",
        "status_waiting_us": "Waiting on us",
        "status_active": "Active",
        "status_cancelled": "Cancelled",
        # audit actions
        "view": "Viewed",
        "reveal": "Revealed a value",
        "reveal_denied": "Reveal refused",
        "export": "Exported",
        "rectify": "Corrected",
        "erase": "Erased",
        "restrict": "Restricted",
        "object": "Objection",
        "consent_given": "Consent given",
        "consent_withdrawn": "Consent withdrawn",
        "retention_delete": "Deleted (retention)",
        "retention_anonymise": "Anonymised (retention)",
        "legal_hold_set": "Legal hold set",
        "legal_hold_lifted": "Legal hold lifted",
        "policy_change": "Access policy changed",
        "role_change": "Role changed",
        "key_rotation": "Key rotated",
        "admin_action": "Administrator action",
        "login": "Signed in",
        "message_sent": "Secure message sent",
        "subject_merge": "People merged",
        "subject_split": "Person split",
        "request_created": "Request received",
        "request_updated": "Request updated",
        "pseudonymise": "Pseudonymised",
        "webhook_rejected": "Webhook refused",
        "ropa_saved": "Records of processing saved",
        "breach_recorded": "Breach recorded",
        "breach_updated": "Breach updated",
        "breach_reminder": "Breach reminder",
        "confirm": "Confirmed",
        "outbound_confirmed": "Outgoing message confirmed",
        # vendor jobs
        "delete_ticket": "Delete the case",
        "anonymise_ticket": "Anonymise the case",
        "anonymise_contact": "Anonymise the contact",
        "erase_contact": "Erase the contact",
        "redact_ticket": "Redact the case",
        "dead": "failed, needs attention",
        "pending": "waiting",
        "running": "running",
        "done": "done",
        # restrictions
        "restriction": "Restriction",
        "objection": "Objection",
        # retention rule starts and actions
        "closed": "the case was closed",
        "created": "the case was opened",
        "last_activity": "the last activity",
        "delete": "delete",
        "anonymise": "anonymise",
        # states of a value
        "held": "held",
        "erased": "erased",
        "not_stored": "not stored",
        "unreadable": "unreadable",
        "controller": "Controller",
        "purpose_support": "Customer support",
        "purpose_complaint": "Complaint handling",
        "purpose_warranty": "Warranty claims",
        "purpose_marketing": "Newsletter and offers",
        "processor": "Processor",
        "sub_processor": "Sub-processor",
    },
    "da": {
        "freshdesk": "Freshdesk",
        "hubspot": "HubSpot",
        "dynamics": "Dynamics 365",
        "email": "E-mail",
        "phone": "Telefon",
        "vendor_contact": "Kontakt i {vendor}",
        "cpr": "CPR-nummer",
        "us_ssn": "Amerikansk personnummer (SSN)",
        "uk_nino": "Britisk National Insurance-nummer",
        "se_personnummer": "Svensk personnummer",
        "no_fodselsnummer": "Norsk fødselsnummer",
        "de_steuer_id": "Tysk skatte-id",
        "iban": "IBAN",
        "payment_card": "Betalingskort",
        "cvr": "CVR-nummer",
        "bank_account": "Bankkonto",
        "passport": "Pasnummer",
        "ip_address": "IP-adresse",
        "date_of_birth": "Fødselsdato",
        "postal_address": "Postadresse",
        "person_name": "Navn",
        "health": "Helbred",
        "religion": "Religion",
        "ethnicity": "Etnisk oprindelse",
        "politics": "Politisk holdning",
        "trade_union": "Fagforeningsmedlemskab",
        "sex_life": "Seksuelle forhold eller orientering",
        "biometric": "Biometriske data",
        "genetic": "Genetiske data",
        "description": "Sagens tekst",
        "subject": "Sagens emne",
        "name": "Navn",
        "conversation": "Besked {n}",
        "attachment": "Vedhæftet fil {n}",
        "status_open": "Åben",
        "status_pending": "Afventer",
        "status_resolved": "Løst",
        "status_closed": "Lukket",
        "status_new": "Ny",
        "status_waiting_contact": "Venter på kunden",
        "status_waiting_us": "Venter på os",
        "status_active": "Aktiv",
        "status_cancelled": "Annulleret",
        "view": "Så data",
        "reveal": "Viste en værdi",
        "reveal_denied": "Visning afvist",
        "export": "Udtræk",
        "rectify": "Rettet",
        "erase": "Slettet",
        "restrict": "Begrænset",
        "object": "Indsigelse",
        "consent_given": "Samtykke givet",
        "consent_withdrawn": "Samtykke trukket tilbage",
        "retention_delete": "Slettet (opbevaringsregel)",
        "retention_anonymise": "Anonymiseret (opbevaringsregel)",
        "legal_hold_set": "Retslig tilbageholdelse sat",
        "legal_hold_lifted": "Retslig tilbageholdelse ophævet",
        "policy_change": "Adgangspolitik ændret",
        "role_change": "Rolle ændret",
        "key_rotation": "Nøgle skiftet",
        "admin_action": "Administratorhandling",
        "login": "Loggede ind",
        "message_sent": "Sikker besked sendt",
        "subject_merge": "Personer lagt sammen",
        "subject_split": "Person delt",
        "request_created": "Anmodning modtaget",
        "request_updated": "Anmodning opdateret",
        "pseudonymise": "Pseudonymiseret",
        "webhook_rejected": "Webhook afvist",
        "ropa_saved": "Fortegnelse gemt",
        "breach_recorded": "Sikkerhedsbrud registreret",
        "breach_updated": "Sikkerhedsbrud opdateret",
        "breach_reminder": "Påmindelse om sikkerhedsbrud",
        "confirm": "Bekræftet",
        "outbound_confirmed": "Udgående besked bekræftet",
        "delete_ticket": "Slet sagen",
        "anonymise_ticket": "Anonymisér sagen",
        "anonymise_contact": "Anonymisér kontakten",
        "erase_contact": "Slet kontakten",
        "redact_ticket": "Overstreg i sagen",
        "dead": "fejlet, kræver handling",
        "pending": "venter",
        "running": "i gang",
        "done": "udført",
        "restriction": "Begrænsning",
        "objection": "Indsigelse",
        "closed": "sagen blev lukket",
        "created": "sagen blev oprettet",
        "last_activity": "seneste aktivitet",
        "delete": "slet",
        "anonymise": "anonymisér",
        "held": "opbevaret",
        "erased": "slettet",
        "not_stored": "ikke gemt",
        "unreadable": "kan ikke læses",
        "controller": "Dataansvarlig",
        "purpose_support": "Kundeservice",
        "purpose_complaint": "Klagebehandling",
        "purpose_warranty": "Reklamationer",
        "purpose_marketing": "Nyhedsbrev og tilbud",
        "processor": "Databehandler",
        "sub_processor": "Underdatabehandler",
    },
}

# Ticket states by system: the number or code each vendor sends.
_STATUS = {
    "freshdesk": {"2": "open", "3": "pending", "4": "resolved", "5": "closed"},
    "hubspot": {"1": "new", "2": "waiting_contact", "3": "waiting_us", "4": "closed"},
    "dynamics": {"0": "active", "1": "resolved", "2": "cancelled"},
}
_NUMBERED = re.compile(r"^(conversation|attachment)s?[.:_](\d+)$")
_PORTAL_PREFIXES = ("k_", "s_", "c_", "lb_")
MONTHS = {
    "da": "jan feb mar apr maj jun jul aug sep okt nov dec".split(),
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(),
}


def text(lang: str) -> dict[str, str]:
    """The console's page texts in ``lang`` (English when unknown)."""
    return T.get(lang, T["en"])


def word(code: Any, lang: str) -> str:
    """An internal code in words: ``access``, ``person_name``, ``vendor_contact@freshdesk``,
    ``conversation.4`` ... Unknown codes are shown with underscores as spaces."""
    if code is None or code == "":
        return ""
    raw = str(code)
    lang = lang if lang in LANGUAGES else "en"
    table = CODES[lang]
    if "@" in raw:  # kind@vendor, as identifiers are listed
        kind, vendor = raw.split("@", 1)
        if kind == "vendor_contact":
            return table["vendor_contact"].format(vendor=word(vendor, lang))
        return f"{word(kind, lang)} ({word(vendor, lang)})"
    numbered = _NUMBERED.match(raw)
    if numbered:
        # conversation.0 is the first message after the description.
        return table[numbered.group(1)].format(n=int(numbered.group(2)) + 1)
    portal = portal_labels(lang)
    for prefix in _PORTAL_PREFIXES:
        if prefix + raw in portal:
            return portal[prefix + raw]
    if raw in table:
        return table[raw].format(vendor="", n="").strip()
    return raw.replace("_", " ")


def status(vendor: str | None, value: Any, lang: str) -> str:
    """A ticket's state in words, whatever number or code its system uses."""
    raw = str(value if value is not None else "")
    key = _STATUS.get(vendor or "", {}).get(raw, raw.lower())
    table = CODES[lang if lang in LANGUAGES else "en"]
    return table.get(f"status_{key}", word(raw, lang))


def when(value: Any, lang: str) -> str:
    """One date format for the whole console, in the reader's language, to the minute.

    ``8. dec. 2026 14:05`` in Danish, ``8 Dec 2026 14:05`` in English (UTC, as stored)."""
    if value is None or value == "":
        return ""
    moment = value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
    lang = lang if lang in LANGUAGES else "en"
    month = MONTHS[lang][moment.month - 1]
    day = (
        f"{moment.day}. {month}. {moment.year}"
        if lang == "da"
        else f"{moment.day} {month} {moment.year}"
    )
    if isinstance(moment, datetime):
        return f"{day} {moment:%H:%M}"
    if isinstance(moment, date):
        return day
    return str(value)


def purpose_name(code: str | None, manifest_name: str | None, lang: str) -> str:
    """A purpose's name: the Danish word when we have one, else the manifest's name."""
    if not code:
        return ""
    table = CODES[lang if lang in LANGUAGES else "en"]
    if lang == "da" and f"purpose_{code}" in table:
        return table[f"purpose_{code}"]
    return manifest_name or table.get(f"purpose_{code}", code.replace("_", " "))


def case_ref(ref: str | None, lang: str) -> str:
    """``freshdesk:4711`` as ``Freshdesk case 4711``."""
    if not ref:
        return ""
    vendor, sep, external = str(ref).partition(":")
    if not sep:
        return str(ref)
    return text(lang)["case"].format(vendor=word(vendor, lang), id=case_no(external))
