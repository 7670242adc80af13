"""HubSpot webhook batches: arrays of up to 100 id-only events."""

from __future__ import annotations

from typing import Any

from adapters.hubspot import config
from adapters.timeparse import parse_epoch_ms
from plugin.json_input import JsonInputError, loads
from plugin.vendors.contract import WebhookEvent
from plugin.vendors.errors import WebhookPayloadError

MAX_EVENTS = 100


def parse(body: bytes) -> list[WebhookEvent]:
    """Normalise ticket/contact events; other object types are ignored."""
    try:
        data = loads(body)
    except JsonInputError as exc:
        raise WebhookPayloadError(str(exc)) from exc
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data:
        raise WebhookPayloadError("body must be a non-empty JSON array of events")
    if len(data) > MAX_EVENTS:
        raise WebhookPayloadError("more than 100 events in one batch")
    events = [_event(item) for item in data]
    return [event for event in events if event is not None]


def _event(item: Any) -> WebhookEvent | None:
    if not isinstance(item, dict):
        raise WebhookPayloadError("each event must be an object")
    kind_name = item.get("subscriptionType") or item.get("eventType")
    if not isinstance(kind_name, str) or "." not in kind_name:
        raise WebhookPayloadError("event lacks subscriptionType")
    object_name, _, action = kind_name.partition(".")
    if kind_name == "object.associationChange":
        object_type, object_id = "ticket", _activity_ticket(item)
        if object_id is None:
            return None
    else:
        object_type = config.OBJECT_TYPES.get(object_name)
        if object_type is None:
            return None
        object_id = _ident(_object_id(item, action), "objectId")
    event_id = _ident(item.get("eventId"), "eventId")
    subscription = _ident(item.get("subscriptionId"), "subscriptionId")
    occurred = item.get("occurredAt")
    occurred_at = parse_epoch_ms(occurred)
    if occurred_at is None:
        raise WebhookPayloadError("occurredAt must be epoch milliseconds")
    attempt = item.get("attemptNumber")
    source = item.get("sourceId")
    return WebhookEvent(
        vendor=config.NAME,
        event_key=f"{subscription}:{event_id}:{int(str(occurred))}:{object_id}",
        kind=config.EVENT_KINDS.get(action, "updated"),
        object_type=object_type,
        object_id=object_id,
        occurred_at=occurred_at,
        change_source=item.get("changeSource")
        if isinstance(item.get("changeSource"), str)
        else None,
        attempt=attempt if isinstance(attempt, int) and not isinstance(attempt, bool) else None,
        actor=str(source) if source is not None else None,
    )


def _object_id(item: dict[str, Any], action: str) -> Any:
    """The record the event is about. ``<object>.associationChange`` events name it
    ``fromObjectId`` (HubSpot changelog "New subscription types for Webhooks"); refusing
    them for a missing ``objectId`` would fail the whole batch they arrive in."""
    if item.get("objectId") is None and action == "associationChange":
        return item.get("fromObjectId")
    return item.get("objectId")


def _activity_ticket(item: dict[str, Any]) -> str | None:
    """The ticket id of a generic association change between a ticket and an e-mail or
    note (either direction); None for any other pair. Removals count too: the worker
    re-reads the ticket, which is harmless."""
    from_type = _ident(item.get("fromObjectTypeId"), "fromObjectTypeId")
    to_type = _ident(item.get("toObjectTypeId"), "toObjectTypeId")
    from_id = _ident(item.get("fromObjectId"), "fromObjectId")
    to_id = _ident(item.get("toObjectId"), "toObjectId")
    ticket, activities = config.TICKET_TYPE_ID, config.ACTIVITY_TYPE_IDS
    if from_type == ticket and to_type in activities:
        return from_id
    if to_type == ticket and from_type in activities:
        return to_id
    return None


def _ident(value: Any, name: str) -> str:
    """Ids arrive as numbers or strings; both become digit strings."""
    if isinstance(value, bool) or value is None:
        raise WebhookPayloadError(f"{name} is missing")
    text = str(value).strip()
    if not text or len(text) > 64:
        raise WebhookPayloadError(f"{name} is invalid")
    return text
