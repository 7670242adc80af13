"""HubSpot request signatures v1, v2 and v3."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

from adapters.hubspot.config import SIGNATURE_MAX_AGE_MS
from plugin.vendors.contract import WebhookRequest
from plugin.vendors.errors import WebhookAuthError


def sign_v1(secret: str, body: bytes) -> str:
    """Hex SHA-256 of secret + body."""
    return hashlib.sha256(secret.encode() + body).hexdigest()


def sign_v2(secret: str, method: str, uri: str, body: bytes) -> str:
    """Hex SHA-256 of secret + method + uri + body."""
    return hashlib.sha256(secret.encode() + method.encode() + uri.encode() + body).hexdigest()


def sign_v3(secret: str, method: str, uri: str, body: bytes, timestamp: str) -> str:
    """Base64 HMAC-SHA256 over method + uri + body + timestamp."""
    message = method.encode() + uri.encode() + body + timestamp.encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def verify(request: WebhookRequest, secret: str, now_ms: int | None = None) -> None:
    """Check the signature the version header names; v3 must be under 5 minutes old."""
    version = (request.header("X-HubSpot-Signature-Version") or "").lower()
    if request.header("X-HubSpot-Signature-v3") and version in ("", "v3"):
        _verify_v3(request, secret, now_ms)
        return
    given = request.header("X-HubSpot-Signature")
    if not given:
        raise WebhookAuthError("no HubSpot signature")
    if version == "v1":
        expected = sign_v1(secret, request.body)
    elif version == "v2":
        expected = sign_v2(secret, request.method.upper(), request.url, request.body)
    else:
        raise WebhookAuthError("unknown signature version")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise WebhookAuthError("signature does not match")


def _verify_v3(request: WebhookRequest, secret: str, now_ms: int | None) -> None:
    timestamp = request.header("X-HubSpot-Request-Timestamp") or ""
    if not timestamp.isdigit():
        raise WebhookAuthError("missing request timestamp")
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    if abs(now - int(timestamp)) > SIGNATURE_MAX_AGE_MS:
        raise WebhookAuthError("stale request timestamp")
    expected = sign_v3(secret, request.method.upper(), request.url, request.body, timestamp)
    given = request.header("X-HubSpot-Signature-v3") or ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise WebhookAuthError("signature does not match")
