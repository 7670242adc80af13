"""Tokens written into the CRM in place of personal data; they are the finding's masked form.

A token never reveals more than the "masked" access level shows (it *is* what that level
shows), and it is built so the classifier finds nothing in it: re-processing a tokenised
ticket yields no new findings, so there is no rewrite loop.
"""

from __future__ import annotations

from collections.abc import Callable

DOT = "•"


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _tail(value: str, keep: int) -> str:
    """The last ``keep`` digits (nothing when the value is too short to hide the rest)."""
    digits = _digits(value)
    return digits[-keep:] if len(digits) > keep * 2 else ""


def cpr(value: str) -> str:
    """CPR number: only the last two digits."""
    return f"[CPR {DOT * 6}-{DOT * 2}{_tail(value, 2) or DOT * 2}]"


def cvr(value: str) -> str:
    """CVR number: only the last two digits."""
    return f"[CVR {DOT * 6}{_tail(value, 2) or DOT * 2}]"


def email(value: str) -> str:
    """E-mail: first character of the local part and the domain."""
    local, _, domain = value.strip().partition("@")
    first = local[:1] if local else DOT
    return f"[e-mail {first}{DOT * 3}@{domain}]" if domain else "[e-mail]"


def phone(value: str) -> str:
    """Phone: last two digits, fixed-width mask (the length is not disclosed)."""
    return f"[phone {DOT * 4} {DOT * 2}{_tail(value, 2) or DOT * 2}]"


def iban(value: str) -> str:
    """IBAN: country code and the last two characters, fixed-width mask."""
    compact = "".join(ch for ch in value if ch.isalnum()).upper()
    country = compact[:2] if compact[:2].isalpha() else DOT * 2
    tail = compact[-2:] if len(compact) > 8 else DOT * 2
    return f"[IBAN {country}{DOT * 2} {DOT * 4} {DOT * 4} {DOT * 2}{tail}]"


def payment_card(value: str) -> str:
    """Payment card: last four digits (what PCI DSS allows to display)."""
    return f"[card {DOT * 4} {_tail(value, 4) or DOT * 4}]"


def person_name(value: str) -> str:
    """Name: the initial of each part (at most three parts)."""
    parts = [p for p in value.replace("-", " ").split() if p[:1].isalpha()][:3]
    return (
        "[name " + " ".join(f"{p[0].upper()}{DOT * 3}" for p in parts) + "]" if parts else "[name]"
    )


def postal_address(value: str) -> str:
    """Address: nothing of it."""
    return f"[address {DOT * 3}]"


def date_of_birth(value: str) -> str:
    """Date of birth: nothing of it."""
    return f"[date of birth {DOT * 2}-{DOT * 2}-{DOT * 4}]"


def ip_address(value: str) -> str:
    """IP address: nothing of it."""
    return f"[IP address {DOT * 3}]"


def bank_account(value: str) -> str:
    """Bank account (reg. + konto nr.): the last two digits, fixed-width mask."""
    return f"[account {DOT * 4} {DOT * 2}{_tail(value, 2) or DOT * 2}]"


def passport(value: str) -> str:
    """Passport number: the last two digits, fixed-width mask."""
    return f"[passport {DOT * 7}{_tail(value, 2) or DOT * 2}]"


def national_id(value: str) -> str:
    """Foreign national id (SSN, NINO, personnummer, ...): nothing of it."""
    return f"[national ID {DOT * 6}]"


def _special(label: str) -> Callable[[str], str]:
    def token(value: str) -> str:
        return f"[{label}]"

    token.__doc__ = f"Special category ({label}): the kind only, never the words."
    return token


TOKENS: dict[str, Callable[[str], str]] = {
    "cpr": cpr,
    "cvr": cvr,
    "email": email,
    "phone": phone,
    "iban": iban,
    "payment_card": payment_card,
    "bank_account": bank_account,
    "person_name": person_name,
    "postal_address": postal_address,
    "date_of_birth": date_of_birth,
    "ip_address": ip_address,
    "passport": passport,
    **{
        kind: national_id
        for kind in ("us_ssn", "uk_nino", "se_personnummer", "no_fodselsnummer", "de_steuer_id")
    },
    "health": _special("health"),
    # The other Art. 9 words are themselves in the classifier's lexicon ("religion", "trade
    # union", ...): a token naming them would be found again, so they share one neutral label.
    **{
        kind: _special("special category")
        for kind in (
            "religion",
            "trade_union",
            "ethnicity",
            "politics",
            "sexual_orientation",
            "biometric",
            "genetic",
        )
    },
}


def token_for(finding_type: str, value: str) -> str:
    """The token for a finding of ``finding_type`` covering ``value``."""
    maker = TOKENS.get(finding_type)
    return maker(value) if maker else "[personal data]"
