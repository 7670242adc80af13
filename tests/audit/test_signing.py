"""Canonical encoding, JWS signing/verification and the ``verify FILE`` dispatcher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import jwt
import pytest

from plugin.audit.canonical import GENESIS_HASH, canonical_json, event_hash, format_time
from plugin.keys import Keyring
from plugin.signing import SignatureError, sign_payload, verify_compact
from plugin.signing.verify import VERIFIERS, VerificationError, verify_document


@pytest.fixture
def keyring(tmp_path: Path) -> Keyring:
    return Keyring(tmp_path / "keys")


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": {"d": "ø", "c": [1, 2]}}) == (
        '{"a":{"c":[1,2],"d":"ø"},"b":1}'.encode()
    )
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_time_has_one_encoding() -> None:
    cet = timezone(timedelta(hours=1))
    moment = datetime(2025, 1, 2, 4, 5, 6, 7, tzinfo=cet)
    assert format_time(moment) == "2025-01-02T03:05:06.000007Z"
    assert format_time(moment.astimezone(UTC)) == format_time(moment)


def test_event_hash_covers_content_and_link() -> None:
    content = {"seq": 1, "occurred_at": datetime(2025, 1, 1, tzinfo=UTC), "actor_id": "a"}
    base = event_hash(content, GENESIS_HASH)
    assert len(base) == 64
    assert event_hash({**content, "actor_id": "b"}, GENESIS_HASH) != base
    assert event_hash({**content, "seq": 2}, GENESIS_HASH) != base
    assert event_hash(content, "1" * 64) != base
    assert event_hash({**content, "details": {}}, GENESIS_HASH) == base  # None == {}


def test_sign_and_verify_with_keyring_and_jwks(keyring: Keyring) -> None:
    token = sign_payload(keyring, {"x": 1}, "datavagt-test")
    assert jwt.get_unverified_header(token)["kid"] == keyring.active_signing_key.kid
    assert verify_compact(keyring, token) == {"x": 1}
    assert verify_compact(keyring.jwks(), token, typ="datavagt-test") == {"x": 1}
    with pytest.raises(SignatureError, match="expected a other"):
        verify_compact(keyring, token, typ="other")


def test_old_signatures_verify_after_rotation(keyring: Keyring) -> None:
    token = sign_payload(keyring, {"x": 1}, "t")
    keyring.rotate_signing()
    assert verify_compact(keyring, token) == {"x": 1}


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-4] + ("AAAA" if not t.endswith("AAAA") else "BBBB"),
        lambda t: t.split(".")[0] + ".eyJ4IjoyfQ." + t.split(".")[2],
        lambda t: "garbage",
    ],
)
def test_tampered_tokens_refused(keyring: Keyring, mangle) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SignatureError):
        verify_compact(keyring, mangle(sign_payload(keyring, {"x": 1}, "t")))


def test_hs256_and_unknown_kid_refused(keyring: Keyring, tmp_path: Path) -> None:
    forged = jwt.encode({"x": 1}, "s" * 64, algorithm="HS256", headers={"kid": "k"})
    with pytest.raises(SignatureError, match="algorithm"):
        verify_compact(keyring, forged)
    other = Keyring(tmp_path / "other")
    with pytest.raises(SignatureError, match="unknown signing key"):
        verify_compact(keyring, sign_payload(other, {"x": 1}, "t"))


def test_dispatcher_uses_registry(keyring: Keyring) -> None:
    VERIFIERS["datavagt.test"] = lambda document, keys: f"checked {document['n']}"
    try:
        assert verify_document({"type": "datavagt.test", "n": 3}, keyring) == "checked 3"
    finally:
        del VERIFIERS["datavagt.test"]
    with pytest.raises(VerificationError, match='no "type" field'):
        verify_document([], keyring)
