"""Detached proofs: compact JWS signing with the keyring, and verification of signed files."""

from __future__ import annotations

from plugin.signing.jws import SignatureError, sign_payload, verify_compact

__all__ = ["SignatureError", "sign_payload", "verify_compact"]
