"""E-mails and notes associated with a ticket: read as its conversations, bodies rewritten.

Conversation ids are ``email:<id>`` and ``note:<id>`` (HubSpot numbers each object type on
its own). The documented facts these calls rely on are listed in ``config.py``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from adapters.http import HttpClient
from adapters.hubspot import config
from adapters.timeparse import parse_epoch_ms, parse_iso
from plugin.classify.html import html_to_text
from plugin.ingest.rewrite import as_html
from plugin.vendors.contract import Conversation, FieldValue
from plugin.vendors.errors import AdapterError, NotFound

_EPOCH = datetime.fromtimestamp(0, tz=UTC)


def read_conversations(http: HttpClient, ticket_id: str) -> list[Conversation]:
    """Per type one association listing (paged) and one batch read per 100; oldest first."""
    found: list[Conversation] = []
    for kind, object_type in config.ENGAGEMENT_TYPES.items():
        ids = associated_ids(http, ticket_id, object_type)
        for record in batch_read(http, object_type, ids, config.ENGAGEMENT_PROPERTIES[kind]):
            found.append(email(record) if kind == "email" else note(record))
    found.sort(key=lambda c: (c.created_at or _EPOCH, c.external_id))
    return found


def associated_ids(http: HttpClient, ticket_id: str, to_object_type: str) -> list[str]:
    """Ids of the ticket's associated records of one type, following `paging.next.after`."""
    path = config.ENDPOINTS["ticket_associations"].format(id=ticket_id, to=to_object_type)
    params: dict[str, Any] = {"limit": config.PAGINATION["associations_limit"]}
    ids: dict[str, None] = {}  # ordered, without repeats
    while True:
        page = http.get(path, params=params).json()
        ids.update((str(r["toObjectId"]), None) for r in page.get("results") or [])
        after = ((page.get("paging") or {}).get("next") or {}).get("after")
        if not after:
            return list(ids)
        params = {**params, "after": after}


def batch_read(
    http: HttpClient, object_type: str, ids: Sequence[str], properties: Sequence[str]
) -> Iterator[dict[str, Any]]:
    """Records by id, 100 per call; ids deleted since they were listed are skipped."""
    path = config.ENDPOINTS["engagement_batch_read"].format(type=object_type)
    size = int(config.PAGINATION["batch_read"])
    for start in range(0, len(ids), size):
        body = {
            "inputs": [{"id": i} for i in ids[start : start + size]],
            "properties": list(properties),
            "propertiesWithHistory": [],
        }
        try:
            answer = http.post(path, json=body).json()
        except NotFound:
            continue  # none of this chunk exists any more
        # A 207 (some ids gone) carries the ones found in `results`, as a 200 does.
        yield from answer.get("results") or []


def email(record: dict[str, Any]) -> Conversation:
    """An e-mail as HTML (a text-only one converted); writable unless still to be sent."""
    props = record.get("properties") or {}
    body = props.get("hs_email_html") or ""
    if not body.strip():
        # The same HTML ingestion writes back, whose text form is the text again.
        body = as_html(props.get("hs_email_text") or "")
    status = props.get("hs_email_status")
    return Conversation(
        external_id=f"email:{record['id']}",
        body=FieldValue(body, is_html=True),
        incoming=props.get("hs_email_direction") not in config.OUTGOING_DIRECTIONS,
        private=status in config.UNSENT_STATUSES,  # never mailed: agents saw it only
        author_id=props.get("hubspot_owner_id") or None,
        created_at=_when(props.get("hs_timestamp"), record.get("createdAt")),
        writable=status not in config.PENDING_STATUSES,
    )


def note(record: dict[str, Any]) -> Conversation:
    """A note: for agents only, HTML as HubSpot's editor stores it, always writable."""
    props = record.get("properties") or {}
    return Conversation(
        external_id=f"note:{record['id']}",
        body=FieldValue(props.get("hs_note_body") or "", is_html=True),
        incoming=False,
        private=True,
        author_id=props.get("hubspot_owner_id") or None,
        created_at=_when(props.get("hs_timestamp"), record.get("createdAt")),
        writable=True,
    )


def body_update(vendor: str, conversation_id: str, body: str) -> tuple[str, dict[str, Any]]:
    """The PATCH path and JSON that rewrite a conversation's body.

    An e-mail gets the (HTML) body and its text form, so neither keeps the original.
    """
    kind, _, object_id = conversation_id.partition(":")
    object_type = config.ENGAGEMENT_TYPES.get(kind)
    if object_type is None or not object_id.isdigit():
        raise AdapterError(vendor, "not an e-mail or note id (email:<id>, note:<id>)")
    if kind == "note":
        properties = {"hs_note_body": body}
    else:
        properties = {"hs_email_html": body, "hs_email_text": html_to_text(body)}
    path = config.ENDPOINTS["engagement"].format(type=object_type, id=object_id)
    return path, {"properties": properties}


def _when(timestamp: Any, created_at: Any) -> datetime | None:
    """`hs_timestamp` is ISO 8601 or epoch milliseconds; else the record's createdAt."""
    if isinstance(timestamp, str) and timestamp.isdigit():
        return parse_epoch_ms(timestamp)
    return parse_iso(timestamp) or parse_iso(created_at)
