"""Dynamics webhooks: key/header check and the RemoteExecutionContext body."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from adapters.dynamics import config
from adapters.timeparse import parse_wcf
from plugin.json_input import JsonInputError, loads
from plugin.vendors.contract import WebhookEvent, WebhookRequest
from plugin.vendors.errors import WebhookAuthError, WebhookPayloadError

# Webhook bodies may wrap ids in braces.
_GUID = re.compile(rf"\{{?({config.GUID})\}}?")


def verify(request: WebhookRequest, key: str | tuple[str, ...], header: str | None = None) -> None:
    """`WebhookKey` puts the key in `?code=`; `HttpHeader` in a configured header. During a
    rotation the previous key is accepted too (each compared in constant time)."""
    if header:
        given = request.header(header)
    else:
        values = parse_qs(urlsplit(request.url).query).get(config.WEBHOOK_KEY_PARAM) or [None]
        given = values[0]
    keys = (key,) if isinstance(key, str) else key
    matches = [bool(given) and hmac.compare_digest(given.encode(), k.encode()) for k in keys]
    if not given or not any(matches):
        raise WebhookAuthError("missing or wrong webhook key")


def parse(body: bytes) -> list[WebhookEvent]:
    """One event per context for a case or contact; an e-mail or note regarding a case is an
    "updated" event for that case (its conversations changed). Other entities are ignored."""
    try:
        data = loads(body)
    except JsonInputError as exc:
        raise WebhookPayloadError(str(exc)) from exc
    if not isinstance(data, dict):
        raise WebhookPayloadError("body must be a RemoteExecutionContext object")
    message = _text(data, "MessageName")
    entity = _text(data, "PrimaryEntityName").lower()
    entity_id = _text(data, "PrimaryEntityId").strip("{}").lower()
    object_type = config.OBJECT_TYPES.get(entity)
    link = config.ACTIVITY_LINKS.get(entity)
    if object_type is None and link is None:
        return []
    object_id, kind = entity_id, config.EVENT_KINDS.get(message, "updated")
    if link is not None:
        if not _GUID.fullmatch(entity_id):
            raise WebhookPayloadError("PrimaryEntityId is not a GUID")
        case_id = _activity_case(data, entity, link)
        if case_id is None:
            # Regarding something else, or a cut-down body (over 256 KB: no Target, no
            # images): the case's next event or a backfill reads the activity.
            return []
        object_type, object_id, kind = "ticket", case_id, "updated"
    operation = data.get("OperationId") or data.get("RequestId") or data.get("CorrelationId")
    if not operation:
        operation = hashlib.sha256(body).hexdigest()[:32]
    return [
        WebhookEvent(
            vendor=config.NAME,
            # The primary entity and id: one key per case operation and per activity one.
            event_key=f"{entity}:{entity_id}:{message}:{operation}:{data.get('Stage', '')}",
            kind=kind,
            object_type=object_type,
            object_id=object_id,
            occurred_at=parse_wcf(data.get("OperationCreatedOn")),
            change_source=_mode(data.get("Mode")),
            attempt=None,
            actor=_guid(data.get("InitiatingUserId")),
        )
    ]


def _activity_case(data: dict[str, Any], entity: str, link: str) -> str | None:
    """The case id an e-mail's `regardingobjectid` / a note's `objectid` names, or None.

    The Target's attributes (the values written) come first, then post-images (the record
    after the operation). A lookup set to another table, or cleared, is not a case."""
    sources = [value for key, value in _pairs(data, "InputParameters") if key == "Target"]
    sources += [value for _key, value in _pairs(data, "PostEntityImages")]
    for source in sources:
        attributes = _attributes(source, entity)
        if link in attributes:
            return _case_reference(attributes[link])
    return None


def _pairs(data: dict[str, Any], key: str) -> list[tuple[str, Any]]:
    """A DataContract collection: a list of `{"key", "value"}` (absent or null: empty)."""
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise WebhookPayloadError(f"{key} must be a list")
    pairs: list[tuple[str, Any]] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise WebhookPayloadError(f"{key} entries must be key/value objects")
        pairs.append((item["key"], item.get("value")))
    return pairs


def _attributes(value: Any, entity: str) -> dict[str, Any]:
    """An Entity's attributes by name; an EntityReference Target (Delete) has none."""
    if not isinstance(value, dict):
        raise WebhookPayloadError("Target and images must be entity objects")
    logical = value.get("LogicalName")
    if logical is not None and (not isinstance(logical, str) or logical.lower() != entity):
        raise WebhookPayloadError("Target or image is not the primary entity")
    if str(value.get("__type", "")).startswith("EntityReference:"):
        return {}
    return dict(_pairs(value, "Attributes"))


def _case_reference(value: Any) -> str | None:
    """The incident guid of an EntityReference value; None for other tables or a cleared lookup."""
    if value is None:
        return None
    if not isinstance(value, dict) or not str(value.get("__type", "")).startswith(
        "EntityReference:"
    ):
        raise WebhookPayloadError("an activity's case lookup must be an EntityReference")
    logical, ref = value.get("LogicalName"), value.get("Id")
    match = _GUID.fullmatch(ref) if isinstance(ref, str) else None
    if not isinstance(logical, str) or not logical or match is None:
        raise WebhookPayloadError("an EntityReference needs a LogicalName and a GUID Id")
    return match.group(1).lower() if logical.lower() == config.CASE_ENTITY else None


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value or len(value) > 128:
        raise WebhookPayloadError(f"{key} is missing or invalid")
    return value


def _guid(value: Any) -> str | None:
    return value.strip("{}").lower() if isinstance(value, str) and value else None


def _mode(value: Any) -> str | None:
    return {0: "sync", 1: "async"}.get(value) if isinstance(value, int) else None
