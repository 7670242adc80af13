"""HubSpot CRM v3/v4 as data: endpoints, auth, pagination, limits, writable fields."""

from __future__ import annotations

from adapters.http import RateLimitHeaders

NAME = "hubspot"
AUTH = "bearer:token"
DEFAULT_BASE_URL = "https://api.hubapi.com"
ENDPOINTS = {
    "ticket": "crm/v3/objects/tickets/{id}",
    "tickets": "crm/v3/objects/tickets",
    "contacts": "crm/v3/objects/contacts",
    "ticket_search": "crm/v3/objects/tickets/search",
    "contact": "crm/v3/objects/contacts/{id}",
    "gdpr_delete": "crm/v3/objects/contacts/gdpr-delete",
    "ticket_contacts": "crm/v4/objects/tickets/{id}/associations/contacts",
}
PAGINATION = {"style": "cursor", "limit": 100, "search_max_results": 10_000}
TICKET_PROPERTIES = (
    "subject",
    "content",
    "hs_pipeline",
    "hs_pipeline_stage",
    "hs_ticket_priority",
    "hs_ticket_category",
    "createdate",
    "hs_lastmodifieddate",
    "closed_date",
)
CONTACT_PROPERTIES = ("email", "firstname", "lastname", "phone", "address", "city", "zip")
TEXT_FIELDS = {"subject": False, "content": False}  # property -> is_html
WRITABLE_FIELDS = frozenset(TEXT_FIELDS)
RATE_LIMIT = RateLimitHeaders(
    remaining="X-HubSpot-RateLimit-Remaining",
    limit="X-HubSpot-RateLimit-Max",
    window_ms="X-HubSpot-RateLimit-Interval-Milliseconds",
    default_window=10.0,
)
REQUEST_ID_HEADERS = ("X-HubSpot-Correlation-Id",)
SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000
OBJECT_TYPES = {"ticket": "ticket", "contact": "contact"}
EVENT_KINDS = {
    "creation": "created",
    "propertyChange": "updated",
    "deletion": "deleted",
    "privacyDeletion": "privacy_deletion",
    "restore": "updated",
    "merge": "updated",
    "associationChange": "updated",
}
OWN_CHANGE_SOURCES = frozenset({"INTEGRATION", "API"})
