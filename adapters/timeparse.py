"""Parse the date formats vendors send: ISO 8601, epoch milliseconds, WCF `/Date(...)/`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

_WCF = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")
MAX_DIGITS = 16  # epoch milliseconds of year 9999 have 15 digits; more is not a date


def _instant(millis: int) -> datetime | None:
    """The UTC instant of epoch milliseconds; None outside the years datetime holds."""
    try:
        return datetime.fromtimestamp(millis / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_iso(value: object) -> datetime | None:
    """Parse ISO 8601 (with `Z`); naive values are taken as UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        parsed.astimezone(UTC)  # year 9999 with a negative offset overflows
    except (ValueError, OverflowError):
        return None
    return parsed


def parse_epoch_ms(value: object) -> datetime | None:
    """Parse milliseconds since the epoch (int or digit string)."""
    if isinstance(value, bool):
        return None
    text = str(value)
    if not text.lstrip("-").isdigit() or len(text) > MAX_DIGITS:
        return None
    return _instant(int(text))


def parse_wcf(value: object) -> datetime | None:
    """Parse `/Date(1506384247000)/` or `/Date(1506409448000-0700)/` (UTC instant + offset)."""
    if not isinstance(value, str):
        return None
    match = _WCF.match(value)
    if not match:
        return None
    if len(match.group(1)) > MAX_DIGITS:
        return None
    instant = _instant(int(match.group(1)))
    if instant is None:
        return None
    offset = match.group(2)
    if offset:
        sign = -1 if offset[0] == "-" else 1
        delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
        instant = instant.astimezone(timezone(sign * delta))
    return instant


def to_iso(value: datetime) -> str:
    """Format as UTC ISO 8601 with `Z`, as the vendors expect in queries."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
