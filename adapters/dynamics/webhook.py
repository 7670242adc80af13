"""Dynamics webhooks: key/header check and the RemoteExecutionContext body."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

from adapters.dynamics import config
from adapters.timeparse import parse_wcf
from plugin.vendors.contract import WebhookEvent, WebhookRequest
from plugin.vendors.errors import WebhookAuthError, WebhookPayloadError


def verify(request: WebhookRequest, key: str, header: str | None = None) -> None:
    """`WebhookKey` puts the key in `?code=`; `HttpHeader` in a configured header."""
    if header:
        given = request.header(header)
    else:
        values = parse_qs(urlsplit(request.url).query).get(config.WEBHOOK_KEY_PARAM) or [None]
        given = values[0]
    if not given or not hmac.compare_digest(given.encode(), key.encode()):
        raise WebhookAuthError("missing or wrong webhook key")


def parse(body: bytes) -> list[WebhookEvent]:
    """One event per context; entities other than incident/contact are ignored."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookPayloadError("body is not JSON") from exc
    if not isinstance(data, dict):
        raise WebhookPayloadError("body must be a RemoteExecutionContext object")
    message = _text(data, "MessageName")
    entity = _text(data, "PrimaryEntityName").lower()
    entity_id = _text(data, "PrimaryEntityId").strip("{}").lower()
    object_type = config.OBJECT_TYPES.get(entity)
    if object_type is None:
        return []
    operation = data.get("OperationId") or data.get("RequestId") or data.get("CorrelationId")
    if not operation:
        operation = hashlib.sha256(body).hexdigest()[:32]
    return [
        WebhookEvent(
            vendor=config.NAME,
            event_key=f"{entity}:{entity_id}:{message}:{operation}:{data.get('Stage', '')}",
            kind=config.EVENT_KINDS.get(message, "updated"),
            object_type=object_type,
            object_id=entity_id,
            occurred_at=parse_wcf(data.get("OperationCreatedOn")),
            change_source=_mode(data.get("Mode")),
            attempt=None,
            actor=_guid(data.get("InitiatingUserId")),
        )
    ]


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value or len(value) > 128:
        raise WebhookPayloadError(f"{key} is missing or invalid")
    return value


def _guid(value: Any) -> str | None:
    return value.strip("{}").lower() if isinstance(value, str) and value else None


def _mode(value: Any) -> str | None:
    return {0: "sync", 1: "async"}.get(value) if isinstance(value, int) else None
