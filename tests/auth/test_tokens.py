"""Datavagt JWTs: the attacks a token verifier must refuse."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from plugin.auth.tokens import AUDIENCE, ISSUER, TokenError, issue_token, verify_token
from plugin.keys import Keyring


@pytest.fixture
def keyring(tmp_path: Path) -> Keyring:
    return Keyring(tmp_path / "keys")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def test_round_trip(keyring: Keyring) -> None:
    token = issue_token(keyring, agent="a1", role="agent", vendor="hubspot", vendor_user="42")
    claims = verify_token(keyring, token)
    assert claims["sub"] == "a1" and claims["role"] == "agent" and claims["vendor_user"] == "42"
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert jwt.get_unverified_header(token)["kid"] == keyring.active_signing_key.kid


def test_alg_none_refused(keyring: Keyring) -> None:
    header = _b64(json.dumps({"alg": "none", "kid": keyring.active_signing_key.kid}).encode())
    now = int(datetime.now(UTC).timestamp())
    payload = _b64(
        json.dumps(
            {
                "sub": "x",
                "role": "admin",
                "iss": ISSUER,
                "aud": AUDIENCE,
                "iat": now,
                "exp": now + 60,
            }
        ).encode()
    )
    with pytest.raises(TokenError):
        verify_token(keyring, f"{header}.{payload}.")


def test_hs256_signed_with_public_key_refused(keyring: Keyring) -> None:
    public = keyring.active_signing_key.public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    now = datetime.now(UTC)
    forged = jwt.encode(
        {
            "sub": "x",
            "role": "admin",
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + timedelta(minutes=5),
        },
        public,
        algorithm="HS256",
        headers={"kid": keyring.active_signing_key.kid},
    )
    with pytest.raises(TokenError, match="algorithm"):
        verify_token(keyring, forged)


def test_expired_refused(keyring: Keyring) -> None:
    token = issue_token(keyring, agent="a", role="agent", ttl=timedelta(seconds=1))
    claims = jwt.decode(token, options={"verify_signature": False})
    key = keyring.active_signing_key
    claims["exp"] = claims["iat"] - 10
    stale = jwt.encode(claims, key.private, algorithm="EdDSA", headers={"kid": key.kid})
    with pytest.raises(TokenError, match="expired"):
        verify_token(keyring, stale)


def test_wrong_audience_refused(keyring: Keyring) -> None:
    key = keyring.active_signing_key
    now = datetime.now(UTC)
    token = jwt.encode(
        {
            "sub": "a",
            "role": "agent",
            "iss": ISSUER,
            "aud": "someone-else",
            "iat": now,
            "exp": now + timedelta(minutes=5),
        },
        key.private,
        algorithm="EdDSA",
        headers={"kid": key.kid},
    )
    with pytest.raises(TokenError, match="invalid"):
        verify_token(keyring, token)


def test_unknown_kid_refused(keyring: Keyring, tmp_path: Path) -> None:
    other = Keyring(tmp_path / "other-keys")
    token = issue_token(other, agent="a", role="admin")
    with pytest.raises(TokenError, match="unknown signing key"):
        verify_token(keyring, token)


def test_tampered_payload_refused(keyring: Keyring) -> None:
    token = issue_token(keyring, agent="a", role="agent")
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "admin"
    forged = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    with pytest.raises(TokenError, match="invalid"):
        verify_token(keyring, forged)


def test_rotated_key_still_verifies_old_tokens(keyring: Keyring) -> None:
    old = issue_token(keyring, agent="a", role="agent")
    keyring.rotate_signing()
    assert verify_token(keyring, old)["sub"] == "a"
    new = issue_token(keyring, agent="a", role="agent")
    assert jwt.get_unverified_header(new)["kid"] != jwt.get_unverified_header(old)["kid"]
    assert len(keyring.jwks()["keys"]) == 2


def test_ttl_bounds(keyring: Keyring) -> None:
    with pytest.raises(TokenError):
        issue_token(keyring, agent="a", role="agent", ttl=timedelta(days=2))
