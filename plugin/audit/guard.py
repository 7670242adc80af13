"""Keep personal data values out of audit ``details``: a simple check, not a classifier."""

from __future__ import annotations

import re
from typing import Any

# Deliberately coarse: false positives are cheap (the caller drops the value), leaks are not.
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Stand-alone only: the same digits inside an identifier (a UUID such as
# "1a123456-7890-...") are not a CPR number, and 1 in 85 random UUIDs holds that shape.
_CPR = re.compile(r"(?<![0-9A-Za-z-])\d{6}-?\d{4}(?![0-9A-Za-z-])")


def check_details(details: Any, path: str = "details") -> None:
    """Raise ValueError when a key or value in ``details`` looks like an e-mail or CPR number."""
    if isinstance(details, dict):
        for key, value in details.items():
            check_details(str(key), f"{path} key")
            check_details(value, f"{path}.{key}" if _is_safe(str(key)) else path)
    elif isinstance(details, list | tuple):
        for index, value in enumerate(details):
            check_details(value, f"{path}[{index}]")
    elif (
        isinstance(details, str | int)
        and not isinstance(details, bool)
        and _is_personal(str(details))
    ):
        # The message names only where, never the value.
        raise ValueError(f"audit {path} looks like personal data (e-mail or CPR number)")
    elif details is not None and not isinstance(details, str | int | float | bool):
        raise ValueError(f"audit {path} must be JSON: str, number, bool, None, list or dict")


def _is_personal(text: str) -> bool:
    return bool(_EMAIL.search(text) or _CPR.search(text))


def _is_safe(key: str) -> bool:
    return not _is_personal(key)
