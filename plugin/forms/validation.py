"""Check a submission against its form: declared fields only, each valid and within limits."""

from __future__ import annotations

from collections.abc import Mapping

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from plugin.forms.definition import RESERVED, FormDefinition, FormField

PHONE_REGION = "DK"


class FormInvalid(Exception):
    """Field problems: field name -> code (unknown_field, required, too_long, invalid)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(", ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def _clean(item: FormField, raw: str) -> tuple[str | None, str | None]:
    """(normalised value, problem code)."""
    value = raw.strip()
    if not value:
        return None, "required" if item.required else None
    if len(value) > item.limit:
        return None, "too_long"
    if item.type == "email":
        try:
            return validate_email(value, check_deliverability=False).normalized, None
        except EmailNotValidError:
            return None, "invalid"
    if item.type == "phone":
        try:
            number = phonenumbers.parse(value, PHONE_REGION)
        except phonenumbers.NumberParseException:
            return None, "invalid"
        if not phonenumbers.is_valid_number(number):
            return None, "invalid"
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None
    if item.type == "choice" and value not in item.choices:
        return None, "invalid"
    if item.type == "text" and ("\n" in value or "\r" in value):
        return None, "invalid"
    return value, None


def validate_submission(form: FormDefinition, values: Mapping[str, list[str]]) -> dict[str, str]:
    """The declared, normalised values; FormInvalid naming every bad or undeclared field."""
    problems: dict[str, str] = {}
    for name in values:
        if name not in RESERVED and form.field(name) is None:
            # Data minimisation: what the form does not declare is never accepted.
            problems[name[:64]] = "unknown_field"
    clean: dict[str, str] = {}
    for item in form.fields:
        given = values.get(item.name, [])
        if len(given) > 1:
            problems[item.name] = "invalid"
            continue
        value, problem = _clean(item, given[0] if given else "")
        if problem:
            problems[item.name] = problem
        elif value is not None:
            clean[item.name] = value
    if problems:
        raise FormInvalid(problems)
    return clean
