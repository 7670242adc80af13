"""The page's own words in Danish and English (form texts come from the definitions)."""

from __future__ import annotations

from flask import Request

UI: dict[str, dict[str, str]] = {
    "da": {
        "submit": "Send",
        "required": "skal udfyldes",
        "optional_consents": "Samtykke (frivilligt)",
        "consents": "Samtykke",
        "required_consent": "påkrævet",
        "explicit": "Udtrykkeligt samtykke til følsomme oplysninger",
        "thanks": "Tak! Vi har modtaget din henvendelse.",
        "reference": "Reference",
        "error_required": "Feltet skal udfyldes.",
        "error_too_long": "Teksten er for lang.",
        "error_invalid": "Tjek venligst værdien.",
        "error_unknown_field": "Ukendt felt.",
        "error_generic": "Noget gik galt. Prøv igen om lidt.",
        "error_rate": "For mange forsøg. Vent et minut og prøv igen.",
        "error_csrf": "Siden er udløbet. Genindlæs siden og prøv igen.",
        "error_consent": "Sæt venligst kryds i det påkrævede samtykke.",
        "language": "English",
    },
    "en": {
        "submit": "Send",
        "required": "required",
        "optional_consents": "Consent (optional)",
        "consents": "Consent",
        "required_consent": "required",
        "explicit": "Explicit consent to sensitive information",
        "thanks": "Thank you! We have received your request.",
        "reference": "Reference",
        "error_required": "Please fill in this field.",
        "error_too_long": "The text is too long.",
        "error_invalid": "Please check the value.",
        "error_unknown_field": "Unknown field.",
        "error_generic": "Something went wrong. Please try again shortly.",
        "error_rate": "Too many attempts. Wait a minute and try again.",
        "error_csrf": "The page has expired. Reload it and try again.",
        "error_consent": "Please tick the required consent.",
        "language": "Dansk",
    },
}
LANGUAGES = tuple(UI)


def pick_language(request: Request) -> str:
    """``?lang=`` when valid, else the browser's preference, else Danish."""
    asked = request.args.get("lang", "")
    if asked in UI:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or "da"
