"""Free text bound for the audit trail (reasons, notes) must not carry personal data.

Audit events are kept for years and are out of erasure's reach, so an e-mail address or a
CPR number typed into a reveal or legal-hold reason would outlive the person's erasure.
Each such field is classified on the way in; a finding refuses the request with a message
in Danish and English (naming the kinds found, never the value).
"""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, validate

MESSAGE = (
    "Skriv ikke personoplysninger i begrundelsen (fundet: {kinds}); "
    "henvis til sagen i stedet. / Do not write personal data in the reason "
    "(found: {kinds}); refer to the case instead."
)


def personal_kinds(text: str | None) -> list[str]:
    """The kinds of personal data the classifier finds in ``text`` (sorted, no values)."""
    if not text or not text.strip():
        return []
    from plugin.ingest.pipeline import get_classifier  # the app's configured detectors

    return sorted({finding.type for finding in get_classifier().classify(text)})


def refusal(text: str | None) -> str | None:
    """The bilingual refusal for ``text``, or None when it holds no personal data."""
    kinds = personal_kinds(text)
    return MESSAGE.format(kinds=", ".join(kinds)) if kinds else None


class PersonalDataInText(ValueError):
    """A free-text field bound for the database holds personal data; nothing was stored."""


def check_free_text(text: str | None) -> None:
    """Raise PersonalDataInText (bilingual, kinds only) when ``text`` holds personal data.

    The last line of defence behind the API schemas: the CLI and internal callers hand
    reasons straight to the audit trail, which outlives every erasure.
    """
    message = refusal(text)
    if message:
        raise PersonalDataInText(message)


class NoPersonalData(validate.Validator):
    """Marshmallow validator: refuse a free-text field holding personal data."""

    error = MESSAGE

    def __call__(self, value: Any) -> Any:
        message = refusal(value) if isinstance(value, str) else None
        if message:
            raise ValidationError(message)
        return value
