"""HubSpot CRM v3/v4 as data: endpoints, auth, pagination, limits, writable fields."""

from __future__ import annotations

from adapters.http import RateLimitHeaders

NAME = "hubspot"
AUTH = "bearer:token"
DEFAULT_BASE_URL = "https://api.hubapi.com"
# Days HubSpot keeps an archived (deleted) ticket restorable in its recycling bin:
# https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/tickets/batch/delete-tickets
RECYCLE_BIN_DAYS = 90

ENDPOINTS = {
    "ticket": "crm/v3/objects/tickets/{id}",
    "tickets": "crm/v3/objects/tickets",
    "contacts": "crm/v3/objects/contacts",
    "ticket_search": "crm/v3/objects/tickets/search",
    "contact": "crm/v3/objects/contacts/{id}",
    "gdpr_delete": "crm/v3/objects/contacts/gdpr-delete",
    "ticket_contacts": "crm/v4/objects/tickets/{id}/associations/contacts",
    "ticket_associations": "crm/v4/objects/tickets/{id}/associations/{to}",
    "engagement": "crm/v3/objects/{type}/{id}",
    "engagement_batch_read": "crm/v3/objects/{type}/batch/read",
    # GDPR-delete file: the file and its related data, for good (plain DELETE leaves "related
    # data and thumbnails"): developers.hubspot.com/docs/api-reference/files-files-v3/files/
    # delete-files-v3-files-fileId-gdpr-delete. E-mails and notes name their files in
    # hs_attachment_ids (";"-separated ids).
    "file_gdpr_delete": "files/v3/files/{id}/gdpr-delete",
    # Conversations inbox: threads by associatedContactId; DELETE "Archives a thread".
    "threads": "conversations/v3/conversations/threads",
    "thread": "conversations/v3/conversations/threads/{id}",
}
# Days an archived inbox thread is kept: not stated in the API reference; assumed as long as
# HubSpot's inbox trash (30 days) and reported as such.
THREAD_TRASH_DAYS = 30
PAGINATION = {
    "style": "cursor",
    "limit": 100,
    "search_max_results": 10_000,
    "associations_limit": 500,  # v4 "Retrieve all associations ...: Limit 500 per call"
    "batch_read": 100,  # inputs per batch read
}
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
# Requests per 10 s rolling, per private app: 100 on Free and Starter, 190 on Professional
# and Enterprise, 200 with the API limit increase (developers.hubspot.com/docs/apps/
# legacy-apps/private-apps/overview); every answer names the app's limit, what is left and
# the interval in X-HubSpot-RateLimit-Max/-Remaining/-Interval-Milliseconds, and a 429 body
# names the policy (TEN_SECONDLY_ROLLING or DAILY) but HubSpot sends no Retry-After
# (developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines). Until the first
# answer the pacing assumes the lowest tier's 100.
RATE_LIMIT = RateLimitHeaders(
    default_limit=100,
    remaining="X-HubSpot-RateLimit-Remaining",
    limit="X-HubSpot-RateLimit-Max",
    window_ms="X-HubSpot-RateLimit-Interval-Milliseconds",
    default_window=10.0,
)
REQUEST_ID_HEADERS = ("X-HubSpot-Correlation-Id",)
SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000
# Legacy v1/v2 (off unless DATAVAGT_HUBSPOT_LEGACY_SIGNATURES is true): events older than
# HubSpot's 24-hour retry span (plus an hour's slack) or dated in the future are refused.
LEGACY_MAX_AGE_MS = 25 * 60 * 60 * 1000
LEGACY_MAX_SKEW_MS = 5 * 60 * 1000
LEGACY_REPLAY_MEMORY = 100_000
OBJECT_TYPES = {"ticket": "ticket", "contact": "contact"}

# E-mails and notes associated with a ticket are read as its conversations, with ids
# "email:<id>" / "note:<id>" (HubSpot numbers each object type on its own).
# Facts relied on (developers.hubspot.com: CRM "Activities | Email" and "Activities | Notes"
# guides; HubSpot-public-api-spec-collection PublicApiSpecs/CRM/Emails|Notes/Rollouts/424/
# v3/*.json and CRM/Associations/Rollouts/130902/v4/associations.json):
# - GET /crm/v4/objects/tickets/{id}/associations/{emails|notes} lists `toObjectId`s,
#   at most 500 per call, more through `paging.next.after`.
# - POST /crm/v3/objects/{emails|notes}/batch/read takes `inputs` [{id}], `properties` and
#   `propertiesWithHistory` (all three required by the spec); ids that don't exist give a
#   207 with the found `results` and `errors` (HubSpot/hubspot-api-php#619). We send 100
#   ids a call, HubSpot's usual batch size (not stated in the pages we could check).
# - Email bodies: `hs_email_html` (sent from the CRM) and `hs_email_text`;
#   `hs_email_direction` EMAIL (sent from the CRM, or logged by BCC), INCOMING_EMAIL (a reply
#   to a logged e-mail), FORWARDED_EMAIL (forwarded to the CRM). Notes: `hs_note_body`.
#   `hs_timestamp` places both on the timeline. The e-mails guide lists the scope
#   `sales-email-read`; without it HubSpot redacts e-mail bodies (announced for the
#   engagements API on community.hubspot.com).
# - PATCH /crm/v3/objects/{emails|notes}/{id} with {"properties": {...}} overwrites the
#   given properties; "Read-only and non-existent properties will result in an error". The
#   body properties are not read-only (only the hs_email_from_*/to_* ones, filled from
#   hs_email_headers, are), and the docs name no e-mail that can't be updated.
ENGAGEMENT_TYPES = {"email": "emails", "note": "notes"}  # conversation prefix -> object type
ENGAGEMENT_PROPERTIES = {
    "email": (
        "hs_email_html",
        "hs_email_text",
        "hs_email_direction",
        "hs_email_status",
        "hs_timestamp",
        "hubspot_owner_id",
    ),
    "note": ("hs_note_body", "hs_timestamp", "hubspot_owner_id"),
}
OUTGOING_DIRECTIONS = frozenset({"EMAIL"})  # INCOMING_EMAIL and FORWARDED_EMAIL came in
# `hs_email_status` BOUNCED, FAILED, SCHEDULED, SENDING or SENT (logged e-mails may have none).
# Never left HubSpot: for agents only, like a note, so not reported as a plain reply.
UNSENT_STATUSES = frozenset({"SCHEDULED", "SENDING", "FAILED"})
# Still to be sent: not rewritten, as that could change what HubSpot mails (our caution).
PENDING_STATUSES = frozenset({"SCHEDULED", "SENDING"})
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

# A new e-mail or note on an existing ticket need not change any ticket property, so no
# ticket.* event is sent for it. What HubSpot documents (developers.hubspot.com):
# - Changelog "New subscription types for Webhooks": legacy `<object>.associationChange`
#   fires when an association is added or removed between the object and "one of the other
#   supported webhooks objects (contact, company, deal, ticket, line_item, product)", with
#   `associationType`, `fromObjectId`, `toObjectId`, `associationRemoved`,
#   `isPrimaryAssociation`. E-mails and notes are not among those objects, so
#   `ticket.associationChange` does not cover them.
# - "Create generic webhook subscriptions" (BETA; changelog "Public Beta: Generic Webhook
#   Subscriptions", 2024-08-06): `object.associationChange` for object types that include
#   EMAIL, NOTE and TICKET, with the object types as raw ids (0-5 ticket). The page has an
#   "Association events" payload section we could not read in full; the fields we rely on
#   (`fromObjectTypeId`, `fromObjectId`, `toObjectTypeId`, `toObjectId`) are those of the
#   v4 association records, and the e-mail/note type ids 0-49/0-46 are HubSpot's
#   object-type ids for them: both unconfirmed for this payload.
# - Not documented anywhere we found: that a ticket property (`hs_lastmodifieddate`,
#   `last_engagement_date`, `num_notes`, ...) changes when an e-mail/note is associated, so
#   no ticket.propertyChange subscription is relied on for it. Backfill catches up.
TICKET_TYPE_ID = "0-5"
ACTIVITY_TYPE_IDS = {"0-49": "email", "0-46": "note"}
