"""Internal identifiers that must never reach a reader of the console (issue #22).

Each is matched as a whole token of the page's visible text (tags, attributes, scripts and
URLs are stripped first): a ``<option value="access">`` is fine, the word ``access`` on its
own in a cell is not."""

from __future__ import annotations

import html
import re

RAW_CODES = (
    # identifier kinds and jobs
    "vendor_contact",
    "vendor_contact@freshdesk",
    "vendor_contact@hubspot",
    "delete_ticket",
    "anonymise_ticket",
    "anonymise_contact",
    "erase_contact",
    # finding types and categories
    "person_name",
    "postal_address",
    "payment_card",
    "ip_address",
    "date_of_birth",
    "bank_account",
    "cpr",
    # fields
    "conversation.0",
    "conversation.1",
    # purposes, bases, request kinds and states
    "legal_obligation",
    "legitimate_interest",
    "in_progress",
    "not_stored",
    "last_activity",
    "consent_withdrawn",
    # audit actions
    "reveal_denied",
    "request_created",
    "consent_given",
    "retention_delete",
    "admin_console",
    # vendors in lower case, as stored
    "freshdesk",
    "hubspot",
    "dynamics",
    # Werkzeug's default English error text
    "The requested URL was not found on the server",
)
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_MICROSECONDS = re.compile(r"\d{2}:\d{2}:\d{2}\.\d{3,6}")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def visible_text(page: str) -> str:
    """What a reader sees: no tags, attributes, scripts, styles, code samples or form fields."""
    page = re.sub(r"<(script|style|code|textarea|select)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r"<input\b[^>]*>", " ", page, flags=re.I)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def raw_codes_in(page: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """The internal identifiers, UUIDs and machine timestamps visible on ``page``."""
    text = visible_text(page)
    found = [
        code
        for code in RAW_CODES
        if code not in allowed and re.search(rf"(?<![\w@.-]){re.escape(code)}(?![\w@-]|\.\w)", text)
    ]
    found += [f"uuid {m}" for m in _UUID.findall(text)]
    found += [f"microseconds {m}" for m in _MICROSECONDS.findall(text)]
    found += [f"iso timestamp {m}" for m in _ISO.findall(text)]
    return found
