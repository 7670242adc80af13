"""Numbering-plan checks of a single phone number, from phonenumbers' own metadata.

Nothing here is a numbering table of ours: the national prefix, the possible lengths and
the valid-number patterns of every region come from phonenumbers' metadata, compiled once
per country calling code so that a check is one regex match instead of a full parse.
"""

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
_SEPARATORS = str.maketrans("", "", " -().\u00a0/")


@cache
def numbering_plan(code: int) -> re.Pattern[str] | None:
    """One compiled pattern for every valid national number of a country calling code.

    It unites phonenumbers' metadata patterns (general description and number types) over
    the regions sharing the code.
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


@cache
def national_rules(region: str) -> tuple[int, str, frozenset[int]] | None:
    """(country code, national prefix, possible national lengths) of a region."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.general_desc is None:
        return None
    lengths = frozenset(metadata.general_desc.possible_length or ())
    return metadata.country_code, metadata.national_prefix or "", lengths


def _plan_valid(code: int, national: str) -> bool:
    plan = numbering_plan(code)
    if plan is None:
        number = phonenumbers.PhoneNumber(country_code=code, national_number=int(national))
        return bool(phonenumbers.is_valid_number(number))
    return plan.match(national) is not None


def valid_in(digits: str, region: str) -> bool:
    """Tell whether ``digits``, dialled nationally in ``region``, is a valid number there."""
    rules = national_rules(region)
    if rules is None:
        return False
    code, prefix, lengths = rules
    if prefix and digits.startswith(prefix):
        national = digits[len(prefix) :]
        if len(national) in lengths and national[:1] != "0" and _plan_valid(code, national):
            return True
    # Regions without a trunk prefix (DK, NO, IT) and US numbers written without the 1.
    return len(digits) in lengths and _plan_valid(code, digits)


@cache
def _length_fits(regions: tuple[str, ...], size: int, lead: str) -> tuple[str, ...]:
    """The regions whose number lengths (with or without trunk prefix) allow ``size`` digits
    starting with ``lead``: most regions are ruled out before any pattern runs."""
    fits = []
    for region in regions:
        rules = national_rules(region)
        if rules is None:
            continue
        _code, prefix, lengths = rules
        with_prefix = prefix and lead.startswith(prefix[:2]) and size - len(prefix) in lengths
        if with_prefix or size in lengths:
            fits.append(region)
    return tuple(fits)


def _international(digits: str) -> tuple[int, str] | None:
    """Split digits after "+" or "00" into (country code, national number)."""
    # Country calling codes are a prefix code, so the first known prefix is the code.
    for size in (1, 2, 3):
        code = int(digits[:size])
        if code in COUNTRY_CODE_TO_REGION_CODE:
            return code, digits[size:]
    return None


def quick_validity(window: str, regions: tuple[str, ...]) -> str | None:
    """The first region in which ``window`` is one valid number ("" if international), or None.

    A number written with "+" or "00" is checked against its own country code, whatever
    the list; "+44 (0)20 ..." (a trunk prefix in brackets) goes to the full parser.
    """
    raw = window.translate(_SEPARATORS)
    international = raw.startswith(("+", "00"))
    digits = raw[1:] if raw.startswith("+") else raw[2:] if international else raw
    if not digits.isdigit():
        return None
    if not international:
        candidates = _length_fits(regions, len(digits), digits[:2])
        return next((region for region in candidates if valid_in(digits, region)), None)
    parts = _international(digits)
    if parts is None:
        return None
    code, national = parts
    if national[:1] == "0":
        try:
            valid = phonenumbers.is_valid_number(phonenumbers.parse(window, "DK"))
        except phonenumbers.NumberParseException:
            valid = False
        return "" if valid else None
    return "" if national and _plan_valid(code, national) else None
