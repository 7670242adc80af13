"""Labels of the readable export and answers page, in Danish and English."""

from __future__ import annotations

LANGUAGES = ("da", "en")

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Your personal data",
        "intro": "This is every piece of personal data {controller} holds about you, "
        "why, for how long, and who has seen it (GDPR Art. 15 and 20).",
        "generated": "Generated",
        "data_collected": "Which personal data we collected",
        "why": "Why (purpose and legal basis)",
        "how_long": "How long we keep it",
        "how_processed": "How it is processed",
        "how_processed_text": "{controller} keeps your cases in its helpdesk and customer "
        "systems. Personal data found in them is stored encrypted, staff see only what their "
        "role needs, every look at it is recorded, and it is deleted when its retention "
        "period ends.",
        "correct_or_delete": "How to get it corrected or deleted",
        "accessed_by": "Which employees accessed it",
        "shared_with": "Who it was shared with",
        "identifiers": "Identifiers",
        "tickets": "Cases",
        "consents": "Consents (exact wording)",
        "restrictions": "Restrictions and objections",
        "value": "Value",
        "category": "Category",
        "field": "Field",
        "purpose": "Purpose",
        "legal_basis": "Legal basis",
        "retention_due": "Deleted or anonymised by",
        "days_from": "{days} days from {start}, then {action}",
        "who": "Who",
        "role": "Role",
        "action": "What",
        "when": "When",
        "recipient": "Recipient",
        "country": "Country",
        "transfer": "Transfer safeguard",
        "given": "Given",
        "withdrawn": "Withdrawn",
        "erased": "erased",
        "none": "None",
        "contact": "Write to {contact} to have your data corrected, deleted or restricted.",
        "signature": "Signature",
        "signature_note": "This export is signed (JWS, EdDSA). Verify it against the "
        "controller's public keys at /.well-known/jwks.json.",
    },
    "da": {
        "title": "Dine personoplysninger",
        "intro": "Her er alle de personoplysninger, {controller} har om dig, hvorfor, "
        "hvor længe, og hvem der har set dem (databeskyttelsesforordningen art. 15 og 20).",
        "generated": "Dannet",
        "data_collected": "Hvilke personoplysninger vi har indsamlet",
        "why": "Hvorfor (formål og retsgrundlag)",
        "how_long": "Hvor længe vi opbevarer dem",
        "how_processed": "Hvordan de behandles",
        "how_processed_text": "{controller} har dine sager i sit helpdesk- og kundesystem. "
        "Personoplysninger i dem opbevares krypteret, medarbejdere ser kun det, deres rolle "
        "kræver, hvert opslag logges, og oplysningerne slettes, når opbevaringsperioden udløber.",
        "correct_or_delete": "Sådan får du dem rettet eller slettet",
        "accessed_by": "Hvilke medarbejdere har set dem",
        "shared_with": "Hvem de er delt med",
        "identifiers": "Identifikatorer",
        "tickets": "Sager",
        "consents": "Samtykker (præcis ordlyd)",
        "restrictions": "Begrænsninger og indsigelser",
        "value": "Værdi",
        "category": "Kategori",
        "field": "Felt",
        "purpose": "Formål",
        "legal_basis": "Retsgrundlag",
        "retention_due": "Slettes eller anonymiseres senest",
        "days_from": "{days} dage fra {start}, derefter {action}",
        "who": "Hvem",
        "role": "Rolle",
        "action": "Hvad",
        "when": "Hvornår",
        "recipient": "Modtager",
        "country": "Land",
        "transfer": "Overførselsgrundlag",
        "given": "Givet",
        "withdrawn": "Trukket tilbage",
        "erased": "slettet",
        "none": "Ingen",
        "contact": "Skriv til {contact} for at få dine oplysninger rettet, slettet eller "
        "begrænset.",
        "signature": "Signatur",
        "signature_note": "Udtrækket er signeret (JWS, EdDSA). Kontrollér det mod den "
        "dataansvarliges offentlige nøgler på /.well-known/jwks.json.",
    },
}


def labels(lang: str) -> dict[str, str]:
    """The label table for ``lang`` (English when unknown)."""
    return _LABELS.get(lang, _LABELS["en"])
