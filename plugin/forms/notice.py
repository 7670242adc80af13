"""The Art. 13 notice shown on every form, generated from the manifest, in Danish and English.

What Art. 13 asks for at collection: who the controller is and how to reach them (13(1)(a)),
the DPO (13(1)(b)), each purpose with its legal basis (13(1)(c)), recipients (13(1)(e)) and
transfers outside the EEA (13(1)(f)), how long data is kept (13(2)(a)), the rights (13(2)(b)),
withdrawing consent (13(2)(c)), complaining to the Datatilsynet (13(2)(d)), whether the data is
required (13(2)(e)) and automated decisions (13(2)(f)). Every line is words; a manifest code
(legal basis, retention start or action, purpose code) never reaches the page.
"""

from __future__ import annotations

from typing import Any

import phonenumbers
from phonenumbers import geocoder

from plugin.forms.definition import FormDefinition
from plugin.manifest import Manifest

# EU member states plus Iceland, Liechtenstein and Norway: no third-country transfer.
EEA = frozenset(
    {
        *"AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE".split(),
        *"IS IT LI LT LU LV MT NL NO PL PT RO SE SI SK".split(),
    }
)

WORDS: dict[str, dict[str, str]] = {
    "da": {
        "heading": "Sådan behandler vi dine oplysninger",
        "controller": "Dataansvarlig: {name}, {address}, CVR-nr. {cvr}. Kontakt: {contact}.",
        "dpo": "Databeskyttelsesrådgiver: {name}, {email}{phone}.",
        "purposes": "Formål, retsgrundlag og opbevaring",
        "purpose": "{name}. Retsgrundlag: {basis}. Opbevaring: {retention}",
        "explicit": "Følsomme oplysninger (fx om helbred), som du selv skriver, behandler vi "
        "kun med dit udtrykkelige samtykke (art. 9, stk. 2, litra a, GDPR).",
        "recipients": "Modtagere",
        "recipient": "{name} ({service}) behandler oplysningerne for os som databehandler{where}.",
        "where": " i {country}",
        "transfer": "; overførsel uden for EU/EØS sker på grundlag af: {mechanism}",
        "required": "Felter markeret «skal udfyldes» er nødvendige, for at vi kan besvare "
        "dig; uden dem kan vi ikke behandle henvendelsen. Alt andet er frivilligt.",
        "rights": "Du har ret til indsigt i dine oplysninger, til at få dem rettet eller "
        "slettet, til at få behandlingen begrænset, til at gøre indsigelse og til at få "
        "de oplysninger, du selv har givet, udleveret (dataportabilitet). Det gør du på Mine "
        "sider eller ved at skrive til os.",
        "withdraw": "Et samtykke kan du til enhver tid trække tilbage på Mine sider; det "
        "ændrer ikke ved, at behandlingen indtil da var lovlig.",
        "complaint": "Du kan klage til Datatilsynet, Carl Jacobsens Vej 35, 2500 Valby, "
        "www.datatilsynet.dk.",
        "automated": "Vi træffer ingen automatiske afgørelser om dig, og vi profilerer dig ikke.",
        "policy": "Læs hele privatlivspolitikken",
        "days": "{days} dage efter, at {start}; derefter {action}",
        "special_days": " (følsomme oplysninger dog højst {days} dage, derefter {action})",
        "now": "indtil {start}; derefter {action}",
    },
    "en": {
        "heading": "How we process your information",
        "controller": "Controller: {name}, {address}, CVR no. {cvr}. Contact: {contact}.",
        "dpo": "Data protection officer: {name}, {email}{phone}.",
        "purposes": "Purposes, legal basis and retention",
        "purpose": "{name}. Legal basis: {basis}. Retention: {retention}",
        "explicit": "Sensitive information (such as about health) that you write yourself is "
        "processed only with your explicit consent (Art. 9(2)(a) GDPR).",
        "recipients": "Recipients",
        "recipient": "{name} ({service}) processes the data for us as our processor{where}.",
        "where": " in {country}",
        "transfer": "; transfers outside the EU/EEA rely on: {mechanism}",
        "required": "Fields marked “required” are needed for us to answer you; without them "
        "we cannot handle the request. Everything else is optional.",
        "rights": "You have the right to access your data, to have it corrected or erased, "
        "to have its processing restricted, to object, and to receive the data you gave us "
        "(data portability). Use My pages or write to us.",
        "withdraw": "You can withdraw a consent at any time on My pages; this does not affect "
        "the lawfulness of the processing before the withdrawal.",
        "complaint": "You can complain to the Danish Data Protection Agency (Datatilsynet), "
        "Carl Jacobsens Vej 35, 2500 Valby, Denmark, www.datatilsynet.dk.",
        "automated": "We make no automated decisions about you and do not profile you.",
        "policy": "Read the full privacy policy",
        "days": "{days} days after {start}; then {action}",
        "special_days": " (sensitive information at most {days} days, then {action})",
        "now": "until {start}; then {action}",
    },
}

BASIS: dict[str, dict[str, str]] = {
    "da": {
        "consent": "dit samtykke (art. 6, stk. 1, litra a, GDPR)",
        "contract": "det er nødvendigt for at besvare din henvendelse og opfylde vores aftale "
        "med dig (art. 6, stk. 1, litra b, GDPR)",
        "legal_obligation": "en retlig forpligtelse, vi har (art. 6, stk. 1, litra c, GDPR)",
        "vital_interests": "at beskytte vitale interesser (art. 6, stk. 1, litra d, GDPR)",
        "public_task": "en opgave i samfundets interesse (art. 6, stk. 1, litra e, GDPR)",
        "legitimate_interests": "vores legitime interesse (art. 6, stk. 1, litra f, GDPR); du "
        "kan gøre indsigelse",
    },
    "en": {
        "consent": "your consent (Art. 6(1)(a) GDPR)",
        "contract": "it is necessary to answer your request and perform our agreement with "
        "you (Art. 6(1)(b) GDPR)",
        "legal_obligation": "a legal obligation we have (Art. 6(1)(c) GDPR)",
        "vital_interests": "protecting vital interests (Art. 6(1)(d) GDPR)",
        "public_task": "a task in the public interest (Art. 6(1)(e) GDPR)",
        "legitimate_interests": "our legitimate interests (Art. 6(1)(f) GDPR); you may object",
    },
}

START: dict[str, dict[str, str]] = {
    "da": {
        "closed": "sagen er afsluttet",
        "last_activity": "der sidst skete noget i sagen",
        "consent_withdrawn": "du har trukket samtykket tilbage",
        "created": "du skrev til os",
    },
    "en": {
        "closed": "the case is closed",
        "last_activity": "the last activity on the case",
        "consent_withdrawn": "you withdraw the consent",
        "created": "you wrote to us",
    },
}

ACTION: dict[str, dict[str, str]] = {
    "da": {
        "delete_ticket": "slettes sagen",
        "anonymise_ticket": "anonymiseres sagen",
        "delete_contact": "slettes dine kontaktoplysninger",
        "anonymise_contact": "anonymiseres dine kontaktoplysninger",
    },
    "en": {
        "delete_ticket": "the case is deleted",
        "anonymise_ticket": "the case is anonymised",
        "delete_contact": "your contact details are deleted",
        "anonymise_contact": "your contact details are anonymised",
    },
}


def _country(code: str | None, lang: str) -> str | None:
    """The country's name in ``lang`` (phonenumbers' geocoder data), or None."""
    if not code:
        return None
    example = phonenumbers.example_number(code.upper())
    if example is None:
        return None
    return geocoder.country_name_for_number(example, lang) or None


def _purpose_name(manifest: Manifest, purpose: str, lang: str) -> str:
    names = manifest.data.get("ropa", {}).get("names", {}).get(lang, {})
    return str(names.get(purpose) or manifest.purposes[purpose]["name"])


def _retention(rule: dict[str, Any], lang: str) -> str:
    words = WORDS[lang]
    start, action = START[lang][rule["start"]], ACTION[lang][rule["action"]]
    days = int(rule["days"])
    text = (
        words["days"].format(days=days, start=start, action=action)
        if days
        else words["now"].format(start=start, action=action)
    )
    special = (rule.get("categories") or {}).get("special")
    if special:
        text += words["special_days"].format(
            days=special["days"], action=ACTION[lang][special["action"]]
        )
    return text + "."


def build_notice(manifest: Manifest, form: FormDefinition, vendor: str | None, lang: str) -> dict:
    """The notice for one form in ``lang`` (da or en): headed lines, all in words."""
    lang = lang if lang in WORDS else "en"
    words = WORDS[lang]
    data = manifest.data
    controller = data["controller"]
    dpo = data.get("ropa", {}).get("dpo") or {}
    purposes = [form.purpose] + [b.purpose for b in form.consents if b.purpose != form.purpose]
    lines = []
    for code in dict.fromkeys(purposes):
        spec = manifest.purposes[code]
        lines.append(
            words["purpose"].format(
                name=_purpose_name(manifest, code, lang),
                basis=BASIS[lang][spec["legal_basis"]],
                retention=_retention(spec["retention"], lang),
            )
        )
    if any(box.explicit for box in form.consents):
        lines.append(words["explicit"])
    recipients = []
    spec = data.get("recipients", {}).get(vendor or "")
    if spec:
        country = _country(spec.get("country"), lang)
        text = words["recipient"].format(
            name=spec["name"],
            service=spec.get("service") or spec["name"],
            where=words["where"].format(country=country) if country else "",
        )
        if spec.get("country", "").upper() not in EEA and spec.get("transfer_mechanism"):
            text = text[:-1] + words["transfer"].format(mechanism=spec["transfer_mechanism"]) + "."
        recipients.append(text)
    phone = f", {dpo['phone']}" if dpo.get("phone") else ""
    return {
        "heading": words["heading"],
        "controller": words["controller"].format(
            name=controller["name"],
            address=controller.get("address", ""),
            cvr=controller.get("cvr", ""),
            contact=controller["contact"],
        ),
        "dpo": (
            words["dpo"].format(name=dpo["name"], email=dpo.get("email", ""), phone=phone)
            if dpo
            else None
        ),
        "purposes_heading": words["purposes"],
        "purposes": lines,
        "recipients_heading": words["recipients"],
        "recipients": recipients,
        "more": [
            words["required"],
            words["rights"],
            words["withdraw"],
            words["complaint"],
            words["automated"],
        ],
        "policy_label": words["policy"],
        "policy_url": data.get("compliance", {}).get("policy_url"),
    }
