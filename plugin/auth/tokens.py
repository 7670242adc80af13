"""Short-lived Datavagt JWTs: EdDSA only, with kid, iss, aud and expiry always checked."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from plugin.keys import Keyring, KeyringError

ISSUER = "datavagt"
AUDIENCE = "datavagt-api"
ALGORITHMS = ["EdDSA"]  # pinned: never taken from the token header
DEFAULT_TTL = timedelta(minutes=15)
MAX_TTL = timedelta(hours=12)


class TokenError(Exception):
    """A token that must be refused; the message is safe to return."""


def issue_token(
    keyring: Keyring,
    *,
    agent: str,
    role: str,
    vendor: str | None = None,
    vendor_user: str | None = None,
    ttl: timedelta = DEFAULT_TTL,
    extra: dict[str, Any] | None = None,
) -> str:
    """Sign a token for ``agent`` acting as ``role`` with the active signing key."""
    if ttl <= timedelta(0) or ttl > MAX_TTL:
        raise TokenError(f"token lifetime must be between 1 second and {MAX_TTL}")
    now = datetime.now(UTC)
    key = keyring.active_signing_key
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": agent,
        "role": role,
        "iat": now,
        "nbf": now,
        "exp": now + ttl,
        "jti": secrets.token_hex(8),
    }
    if vendor:
        claims["vendor"] = vendor
    if vendor_user:
        claims["vendor_user"] = vendor_user
    claims.update(extra or {})
    return jwt.encode(claims, key.private, algorithm="EdDSA", headers={"kid": key.kid})


def verify_token(keyring: Keyring, token: str) -> dict[str, Any]:
    """Return the claims of a valid token or raise TokenError."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise TokenError("malformed token") from exc
    if header.get("alg") not in ALGORITHMS:
        raise TokenError("token algorithm not allowed")
    try:
        key = keyring.signing_key(str(header.get("kid", "")))
    except KeyringError as exc:
        raise TokenError("unknown signing key") from exc
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key.public,
            algorithms=ALGORITHMS,
            audience=AUDIENCE,
            issuer=ISSUER,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenError("token expired") from exc
    except jwt.PyJWTError as exc:
        raise TokenError("invalid token") from exc
    _check_types(claims)
    return claims


# Claims we read, and whether they may be null; each is a short string when present.
_STRING_CLAIMS = {"sub": False, "role": False, "vendor": True, "vendor_user": True, "ticket": True}
MAX_CLAIM = 256


def _check_types(claims: dict[str, Any]) -> None:
    """A signed token with a list where a string belongs is refused, not a 500."""
    for name, nullable in _STRING_CLAIMS.items():
        if name not in claims:
            if not nullable:
                raise TokenError(f"token lacks {name}")
            continue
        value = claims[name]
        if value is None and nullable:
            continue
        if not isinstance(value, str) or not value or len(value) > MAX_CLAIM:
            raise TokenError(f"token claim {name} is not a string")
