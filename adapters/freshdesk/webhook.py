"""Freshdesk webhooks: Basic-auth check and the payload shapes admins write."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from adapters.basic_auth import basic_auth_matches
from adapters.freshdesk import config
from adapters.timeparse import parse_iso
from plugin.json_input import JsonInputError, loads
from plugin.vendors.contract import WebhookEvent, WebhookRequest
from plugin.vendors.errors import WebhookAuthError, WebhookPayloadError

_ACTION = re.compile(r"(?:ticket_action|action)\s*:\s*(\w+)", re.IGNORECASE)


def verify(request: WebhookRequest, user: str, passwords: str | tuple[str, ...]) -> None:
    """Freshdesk is not signed: require the rule's Basic credentials (current or previous
    password during a rotation; each is compared, in constant time)."""
    header = request.header("Authorization")
    candidates = (passwords,) if isinstance(passwords, str) else passwords
    matches = [basic_auth_matches(header, user, password) for password in candidates]
    if not any(matches):
        raise WebhookAuthError("missing or wrong Basic credentials")


def parse(body: bytes, received_at: datetime | None = None) -> list[WebhookEvent]:
    """Accept `{"ticket_id": ..}` and `{"freshdesk_webhook": {..}}` with string or int ids."""
    try:
        data = loads(body)
    except JsonInputError as exc:
        raise WebhookPayloadError(str(exc)) from exc
    if not isinstance(data, dict):
        raise WebhookPayloadError("body must be a JSON object")
    inner = data.get("freshdesk_webhook", data)
    if not isinstance(inner, dict):
        raise WebhookPayloadError("freshdesk_webhook must be an object")
    object_type, object_id = _object(inner)
    kind = _kind(inner.get("triggered_event"))
    occurred_at = _timestamp(inner)
    return [
        WebhookEvent(
            vendor=config.NAME,
            event_key=_event_key(object_type, object_id, kind, occurred_at, body, received_at),
            kind=kind,
            object_type=object_type,
            object_id=object_id,
            occurred_at=occurred_at,
        )
    ]


def _object(inner: Mapping[str, Any]) -> tuple[str, str]:
    """The ticket (or contact) id, as a digit string."""
    for key, object_type in (("ticket_id", "ticket"), ("contact_id", "contact")):
        value = inner.get(key)
        if value is None:
            continue
        text = str(value).strip()
        if isinstance(value, bool) or not text.isdigit():
            raise WebhookPayloadError(f"{key} must be a number")
        return object_type, text
    raise WebhookPayloadError("no ticket_id in the payload")


def _kind(triggered: object) -> str:
    """Map `{ticket_action:created}` and similar to created/updated/deleted."""
    if isinstance(triggered, str):
        match = _ACTION.search(triggered)
        word = (match.group(1) if match else triggered).lower()
        for key, kind in config.EVENT_KINDS.items():
            if key in word:
                return kind
    return "updated"


def _timestamp(inner: Mapping[str, Any]) -> datetime | None:
    for key in config.TIMESTAMP_KEYS:
        parsed = parse_iso(inner.get(key))
        if parsed:
            return parsed
    return None


def _event_key(
    object_type: str,
    object_id: str,
    kind: str,
    occurred_at: datetime | None,
    body: bytes,
    received_at: datetime | None,
) -> str:
    """No event id exists: use the timestamp when the rule sends one, else body hash + minute."""
    if occurred_at is not None:
        return f"{object_type}:{object_id}:{kind}:{occurred_at.astimezone(UTC).isoformat()}"
    digest = hashlib.sha256(body).hexdigest()[:24]
    moment = (received_at or datetime.now(UTC)).timestamp()
    bucket = int(moment // config.DEDUPE_BUCKET_SECONDS)
    return f"{object_type}:{object_id}:{kind}:{digest}:{bucket}"
