"""Numbering-plan checks of a single phone number without phonenumbers' (slow) parser."""

from __future__ import annotations

import re
from functools import cache

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata

# The number types phonenumbers' is_valid_number accepts (anything but UNKNOWN).
_TYPES = (
    "fixed_line",
    "mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "personal_number",
    "voip",
    "pager",
    "uan",
    "voicemail",
)


@cache
def numbering_plan(code: int) -> re.Pattern[str] | None:
    """One compiled pattern for every valid national number of a country calling code.

    It unites phonenumbers' own metadata patterns (general description and number types)
    over the regions sharing the code, so a check is one regex match instead of a walk
    through the metadata.
    """
    alternatives = []
    for region in COUNTRY_CODE_TO_REGION_CODE.get(code, ()):
        if region == "001":
            metadata = PhoneMetadata.metadata_for_nongeo_region(code)
        else:
            metadata = PhoneMetadata.metadata_for_region(region)
        if metadata is None or metadata.general_desc is None:
            continue
        general = metadata.general_desc.national_number_pattern
        types = [
            desc.national_number_pattern
            for desc in (getattr(metadata, name) for name in _TYPES)
            if desc is not None and desc.national_number_pattern
        ]
        if general and types:
            alternatives.append(f"(?=(?:{general})\\Z)(?:{'|'.join(types)})")
    if not alternatives:
        return None
    return re.compile("|".join(f"(?:{a})\\Z" for a in alternatives))


_SEPARATORS = str.maketrans("", "", " -().\u00a0/")


def _national(digits: str, region: str) -> tuple[int, str] | None:
    """Split a nationally written number into (country code, national number)."""
    if region == "DK":
        return (45, digits) if len(digits) == 8 else None
    if region == "GB":
        # British numbers are written with the trunk prefix 0, which is not dialled abroad.
        return (44, digits[1:]) if len(digits) in (10, 11) and digits[0] == "0" else None
    if region == "US":
        if len(digits) == 11 and digits[0] == "1":
            digits = digits[1:]
        return (1, digits) if len(digits) == 10 else None
    return None


def _international(digits: str) -> tuple[int, str] | None:
    """Split digits after "+" or "00" into (country code, national number)."""
    # Country calling codes are a prefix code, so the first known prefix is the code.
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            return code, digits[size:]
    return None


def quick_validity(window: str, region: str) -> bool | None:
    """Settle whether ``window`` is one valid number; None when only a full parse can tell."""
    raw = window.translate(_SEPARATORS)
    international = raw.startswith(("+", "00"))
    digits = raw[1:] if raw.startswith("+") else raw[2:] if international else raw
    if not digits.isdigit():
        return None
    parts = _international(digits) if international else _national(digits, region)
    if parts is None:
        return None if international else False
    code, national = parts
    if not national or national[0] == "0":
        return None  # leading zeros and "+44 (0)20" need the parser's national-prefix rules
    plan = numbering_plan(code)
    if plan is None:
        number = phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
        return bool(phonenumbers.is_valid_number(number))
    return plan.match(national) is not None
