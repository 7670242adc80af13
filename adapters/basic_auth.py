"""Check HTTP Basic credentials in constant time."""

from __future__ import annotations

import base64
import binascii
import hmac


def basic_auth_matches(header: str | None, user: str, password: str) -> bool:
    """Return whether an Authorization header carries exactly these credentials."""
    if not header or not header.lower().startswith("basic "):
        return False
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    given_user, sep, given_password = decoded.partition(":")
    user_ok = hmac.compare_digest(given_user.encode(), user.encode())
    password_ok = hmac.compare_digest(given_password.encode(), password.encode())
    return bool(sep) and user_ok and password_ok


def basic_auth_header(user: str, password: str) -> str:
    """Build an Authorization header value."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
