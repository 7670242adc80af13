"""Freshdesk API v2 as data: endpoints, auth, pagination, limits, writable fields."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from adapters.http import RateLimitHeaders

NAME = "freshdesk"
AUTH = "basic:api_key:X"
# Days a deleted ticket stays in Freshdesk's Trash before Freshdesk removes it for good:
# https://partnersupport.freshworks.com/en/support/solutions/articles/228016-how-do-i-view-deleted-tickets-
TRASH_DAYS = 30
# What a ticket's subject and description become before it goes to Trash, so the copy
# Freshdesk keeps there for TRASH_DAYS holds none of the person's words.
ERASED_TEXT = "[erased by Datavagt]"
# "Each include will consume an additional 2 credits. For example if you embed the stats
# information you will be charged a total of 3 API credits for the call."
# (developers.freshdesk.com/api/#list_all_tickets; View a Ticket's embeds cost extra too.)
INCLUDE_CREDITS = 2

ENDPOINTS = {
    "ticket": "api/v2/tickets/{id}",
    "tickets": "api/v2/tickets",
    "conversations": "api/v2/tickets/{id}/conversations",
    "conversation": "api/v2/conversations/{id}",
    "contact": "api/v2/contacts/{id}",
    "contacts": "api/v2/contacts",
    "contact_hard_delete": "api/v2/contacts/{id}/hard_delete",
    "agent": "api/v2/agents/{id}",
    "agent_me": "api/v2/agents/me",
    # Archived tickets (closed and idle for 120 days) answer 404 on "ticket"; they are read
    # and deleted for good here: developers.freshdesk.com/api/#archive_tickets
    "archived_ticket": "api/v2/tickets/archived/{id}",
    "archived_conversations": "api/v2/tickets/archived/{id}/conversations",
    # Permanent deletes: "Delete a conversation", "Delete an attachment".
    "attachment": "api/v2/attachments/{id}",
}


# Where a ticket names addresses other than its requester's (the ticket object of
# developers.freshdesk.com/api/#tickets: cc_emails "Email address added in the 'cc' field of
# the incoming ticket email", fwd_emails, reply_cc_emails). "Update a ticket" takes none of
# them (its parameters are requester, subject, type, status, priority, description,
# responder, attachments, custom fields, dates, group, product, source, tags, company), and
# Filter Tickets' query fields include none: the person's address on someone else's ticket
# can be found only by listing tickets, and cannot be removed through the API.
CC_FIELDS = ("cc_emails", "fwd_emails", "reply_cc_emails", "to_emails")
# List All Tickets returns only the last 30 days "by default"; updated_since reaches older
# ones (developers.freshdesk.com/api/#list_all_tickets).
CC_SCAN_SINCE = "2000-01-01T00:00:00Z"


def request_credits(method: str, path: str, params: object) -> int:
    """API credits a call uses: 1, plus INCLUDE_CREDITS per embed on a ticket GET (asked in
    ``params`` or in the URL's query, as a list's next-page link carries it)."""
    url = urlsplit(path)
    if method != "GET" or "tickets" not in url.path:
        return 1
    asked = [v for k, v in parse_qsl(url.query) if k == "include"]
    if isinstance(params, dict) and params.get("include"):
        asked.append(str(params["include"]))
    include = {i.strip() for value in asked for i in value.split(",") if i.strip()}
    return 1 + INCLUDE_CREDITS * len(include)


PAGINATION = {"style": "link-header", "per_page": 100, "max_pages": 300}
# Per-minute limit per account, by plan: trial 50, Growth 200, Pro 400, Enterprise 700
# (support.freshdesk.com/support/solutions/articles/225439), every app and agent of the
# account sharing it; every answer names it in X-RateLimit-Total and the credits left in
# X-RateLimit-Remaining, the call's own charge in X-RateLimit-Used-CurrentRequest, and a 429
# says when to retry in Retry-After (developers.freshdesk.com/api/#ratelimit). Until the
# first answer the pacing assumes the lowest plan's limit.
RATE_LIMIT = RateLimitHeaders(
    remaining="X-RateLimit-Remaining",
    limit="X-RateLimit-Total",
    cost="X-RateLimit-Used-CurrentRequest",
    default_limit=50,
    default_window=60.0,
)
REQUEST_ID_HEADERS = ("X-Request-Id",)
STATUSES = {2: "open", 3: "pending", 4: "resolved", 5: "closed"}
CLOSED_STATUSES = frozenset({4, 5})
WRITABLE_FIELDS = frozenset({"subject", "description"})
# Conversation "source" of a public or private note: the only kind the API lets us edit.
NOTE_SOURCE = 2
CUSTOM_FIELD_PREFIX = "custom_fields."
EVENT_KINDS = {"created": "created", "updated": "updated", "deleted": "deleted"}
TIMESTAMP_KEYS = ("ticket_updated_at", "updated_at", "triggered_at", "ticket_created_at")
DEDUPE_BUCKET_SECONDS = 60
