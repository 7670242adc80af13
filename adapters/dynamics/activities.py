"""E-mails and notes regarding a case, as its conversations (see config for the facts)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from adapters.dynamics import config
from adapters.timeparse import parse_iso
from plugin.vendors.contract import Conversation, FieldValue
from plugin.vendors.errors import AdapterError

Pages = Callable[[str, dict[str, str]], Iterator[dict[str, Any]]]

# A rich-text note holds HTML; a note written through the API may be plain text.
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


def read(pages: Pages, case_id: str) -> list[Conversation]:
    """The case's e-mails and notes with text, oldest first (each list read to its end)."""
    if not config.GUID_RE.fullmatch(case_id):
        raise AdapterError(config.NAME, "a case id must be a GUID")
    emails = pages(
        config.ENDPOINTS["emails"],
        {"$select": config.EMAIL_SELECT, "$filter": config.EMAIL_FILTER.format(id=case_id)},
    )
    notes = pages(
        config.ENDPOINTS["annotations"],
        {"$select": config.NOTE_SELECT, "$filter": config.NOTE_FILTER.format(id=case_id)},
    )
    found = [email(item) for item in emails]
    found += [note(item) for item in notes if item.get("notetext")]  # not attachment-only
    return sorted(found, key=lambda c: c.created_at.timestamp() if c.created_at else 0.0)


def email(item: dict[str, Any]) -> Conversation:
    """An e-mail: HTML body, never writable (sent and received e-mails are read-only)."""
    state = item.get("statecode")
    sender = item.get("_emailsender_value")
    return Conversation(
        external_id=f"email:{item['activityid']}",
        body=FieldValue(item.get("description") or "", is_html=True),
        incoming=item.get("directioncode") is False,
        # Only completed e-mails were mailed; a draft or a canceled one never left.
        private=state != config.EMAIL_COMPLETED,
        author_id=str(sender) if sender else None,
        created_at=parse_iso(item.get("senton")) or parse_iso(item.get("createdon")),
        writable=False,
    )


def note(item: dict[str, Any]) -> Conversation:
    """A note: internal, and its text can be updated."""
    text = str(item.get("notetext") or "")
    author = item.get("_createdby_value")
    return Conversation(
        external_id=f"note:{item['annotationid']}",
        body=FieldValue(text, is_html=_TAG.search(text) is not None),
        incoming=False,
        private=True,
        author_id=str(author) if author else None,
        created_at=parse_iso(item.get("createdon")),
        writable=True,
    )


def target(conversation_id: str) -> tuple[str, str]:
    """The record path and body column of `email:<guid>` or `note:<guid>`."""
    kind, _, record_id = conversation_id.partition(":")
    found = config.CONVERSATION_KINDS.get(kind)
    if found is None or not config.GUID_RE.fullmatch(record_id):
        raise AdapterError(config.NAME, "not a Dynamics e-mail or note id")
    endpoint, column = found
    return config.ENDPOINTS[endpoint].format(id=record_id), column
