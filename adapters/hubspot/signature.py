"""HubSpot request signatures v1, v2 and v3: the strongest one present is checked.

Facts (developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests and
/docs/apps/developer-platform/build-apps/authentication/request-validation):
- Webhook requests carry ``X-HubSpot-Signature-v3`` with ``X-HubSpot-Request-Timestamp``
  (HMAC-SHA256, base64) and, "for backwards compatibility", the older
  ``X-HubSpot-Signature`` whose version ``X-HubSpot-Signature-Version`` names (``v1`` for
  webhooks API subscriptions, v2 for workflow and CRM card calls).
- v3: reject a timestamp older than 5 minutes; the string signed is method + URI + body +
  timestamp, where the URI has the percent-encoded characters of HubSpot's table decoded
  (``%3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B``).
- Webhooks are retried up to 10 times over 24 hours (developers.hubspot.com/docs/api/webhooks,
  "Retries"), so an event's ``occurredAt`` is at most a day old when HubSpot sends it.

The version header is set by whoever sends the request, so it never picks the check: v3 is
verified whenever its headers are there; v1/v2 only when the admin enabled them and the
request carries no v3 at all, and then only for fresh events never seen before.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections import OrderedDict

from adapters.hubspot.config import (
    LEGACY_MAX_AGE_MS,
    LEGACY_MAX_SKEW_MS,
    LEGACY_REPLAY_MEMORY,
    SIGNATURE_MAX_AGE_MS,
)
from plugin.json_input import JsonInputError, loads
from plugin.vendors.contract import WebhookRequest
from plugin.vendors.errors import WebhookAuthError

# The characters HubSpot decodes in the request URI before signing with v3 (its table).
_V3_DECODED = {
    "%3A": ":",
    "%2F": "/",
    "%3F": "?",
    "%40": "@",
    "%21": "!",
    "%24": "$",
    "%27": "'",
    "%28": "(",
    "%29": ")",
    "%2A": "*",
    "%2C": ",",
    "%3B": ";",
}


def v3_uri(uri: str) -> str:
    """The URI as HubSpot signs it with v3: its table's escapes decoded, nothing else."""
    out: list[str] = []
    i = 0
    while i < len(uri):
        chunk = uri[i : i + 3].upper()
        if uri[i] == "%" and chunk in _V3_DECODED:
            out.append(_V3_DECODED[chunk])
            i += 3
        else:
            out.append(uri[i])
            i += 1
    return "".join(out)


def sign_v1(secret: str, body: bytes) -> str:
    """Hex SHA-256 of secret + body."""
    return hashlib.sha256(secret.encode() + body).hexdigest()


def sign_v2(secret: str, method: str, uri: str, body: bytes) -> str:
    """Hex SHA-256 of secret + method + uri + body."""
    return hashlib.sha256(secret.encode() + method.encode() + uri.encode() + body).hexdigest()


def sign_v3(secret: str, method: str, uri: str, body: bytes, timestamp: str) -> str:
    """Base64 HMAC-SHA256 over method + decoded uri + body + timestamp."""
    message = method.encode() + v3_uri(uri).encode() + body + timestamp.encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class ReplayGuard:
    """Legacy signatures seen recently (v1/v2 sign no timestamp, so a copy verifies again).

    Bounded and per process; across replicas the inbox's unique event key still makes a
    replayed event a no-op.
    """

    def __init__(self, size: int = LEGACY_REPLAY_MEMORY) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def first_time(self, signature: str, now: float) -> bool:
        """Record a signature; False when it was already seen inside the freshness window."""
        with self._lock:
            horizon = now - LEGACY_MAX_AGE_MS / 1000
            while self._seen and next(iter(self._seen.values())) < horizon:
                self._seen.popitem(last=False)
            if signature in self._seen:
                return False
            self._seen[signature] = now
            if len(self._seen) > self._size:
                self._seen.popitem(last=False)
            return True


def verify(
    request: WebhookRequest,
    secret: str,
    now_ms: int | None = None,
    *,
    legacy: bool = False,
    replays: ReplayGuard | None = None,
) -> None:
    """Check the strongest signature present; raise WebhookAuthError unless it holds."""
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    if request.header("X-HubSpot-Signature-v3") is not None:
        _verify_v3(request, secret, now)  # whatever X-HubSpot-Signature-Version says
        return
    if request.header("X-HubSpot-Request-Timestamp") is not None:
        raise WebhookAuthError("v3 timestamp without a v3 signature")
    if not legacy:
        raise WebhookAuthError("no v3 HubSpot signature (v1/v2 are not enabled)")
    _verify_legacy(request, secret, now, replays)


def _verify_v3(request: WebhookRequest, secret: str, now: int) -> None:
    timestamp = request.header("X-HubSpot-Request-Timestamp") or ""
    if not timestamp.isdigit() or len(timestamp) > 15:
        raise WebhookAuthError("missing request timestamp")
    if abs(now - int(timestamp)) > SIGNATURE_MAX_AGE_MS:
        raise WebhookAuthError("stale request timestamp")
    expected = sign_v3(secret, request.method.upper(), request.url, request.body, timestamp)
    given = request.header("X-HubSpot-Signature-v3") or ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise WebhookAuthError("signature does not match")


def _verify_legacy(
    request: WebhookRequest, secret: str, now: int, replays: ReplayGuard | None
) -> None:
    given = request.header("X-HubSpot-Signature")
    if not given:
        raise WebhookAuthError("no HubSpot signature")
    version = (request.header("X-HubSpot-Signature-Version") or "").lower()
    if version == "v1":
        expected = sign_v1(secret, request.body)
    elif version == "v2":
        expected = sign_v2(secret, request.method.upper(), request.url, request.body)
    else:
        raise WebhookAuthError("unknown signature version")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise WebhookAuthError("signature does not match")
    _fresh(request.body, now)
    if replays is not None and not replays.first_time(expected, now / 1000):
        raise WebhookAuthError("replayed delivery")


def _fresh(body: bytes, now: int) -> None:
    """Every event's occurredAt inside HubSpot's 24-hour retry span (the only clock v1/v2
    deliveries carry); bodies that are not an event batch are left to the parser."""
    try:
        data = loads(body)
    except JsonInputError:
        return
    events = data if isinstance(data, list) else [data]
    for event in events:
        occurred = event.get("occurredAt") if isinstance(event, dict) else None
        if isinstance(occurred, bool) or not isinstance(occurred, int):
            raise WebhookAuthError("a legacy-signed event needs an occurredAt")
        if occurred < now - LEGACY_MAX_AGE_MS or occurred > now + LEGACY_MAX_SKEW_MS:
            raise WebhookAuthError("stale event (older than HubSpot's retry span)")
