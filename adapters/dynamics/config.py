"""Dataverse Web API (Dynamics 365 Customer Service) as data."""

from __future__ import annotations

import re

from adapters.http import RateLimitHeaders

NAME = "dynamics"
AUTH = "oauth2:client_credentials"
API_PATH = "api/data/v9.2/"
DEFAULT_AUTHORITY = "https://login.microsoftonline.com"
TOKEN_PATH = "{tenant}/oauth2/v2.0/token"  # noqa: S105 - a URL path
HEADERS = {
    "Accept": "application/json",
    "OData-MaxVersion": "4.0",
    "OData-Version": "4.0",
    "If-None-Match": "null",
}
ENDPOINTS = {
    "incident": "incidents({id})",
    "incidents": "incidents",
    "contact": "contacts({id})",
    "contacts": "contacts",
    "whoami": "WhoAmI",
    "emails": "emails",
    "email": "emails({id})",
    "annotations": "annotations",
    "annotation": "annotations({id})",
    # Audit history: "You can't directly delete records in the Auditing (Audit) table";
    # DeleteRecordChangeHistory "Deletes all the audit change history records for a
    # particular record" (learn.microsoft.com/power-apps/developer/data-platform/auditing/
    # delete-audit-data). Needs prvDeleteRecordChangeHistory.
    "change_history": "DeleteRecordChangeHistory",
    "audits": "audits",
    "contact_attributes": "EntityDefinitions(LogicalName='contact')/Attributes",
}
# The key column of each table a DeleteRecordChangeHistory Target names.
RECORD_KEYS = {
    "incident": "incidentid",
    "contact": "contactid",
    "email": "activityid",
    "annotation": "annotationid",
}
# Deleting a contact: incident_customer_contacts is documented "Delete: Cascade" (incident.md,
# relationships) but is customisable to Restrict, so the contact's cases are deleted first.
CASE_FILTER = "_customerid_value eq {id}"
INCIDENT_SELECT = (
    "incidentid,title,description,ticketnumber,statecode,statuscode,casetypecode,"
    "createdon,modifiedon,_customerid_value"
)
CONTACT_SELECT = "contactid,fullname,emailaddress1,telephone1,address1_composite"
PAGINATION = {"style": "odata-nextlink", "maxpagesize": 500}

# Activities regarding a case, read as its conversations. Documented facts relied on
# (Microsoft Learn table references: email.md and annotation.md in MicrosoftDocs/
# powerapps-docs .../reference/entities/, incident.md in MicrosoftDocs/
# dynamics-365-customer-engagement; webapi/query/page-results):
# - The case's relationships Incident_Emails (`regardingobjectid`) and Incident_Annotation
#   (`objectid`): lists filter on `_regardingobjectid_value` / `_objectid_value`.
# - E-mails: entity set `emails`, key `activityid`; `description` is the body (Memo,
#   format Email, i.e. HTML); `directioncode` true = Outgoing, false = Incoming.
# - `statecode` 0 Open (statuscode 1 Draft, 8 Failed), 1 Completed (2 Completed, 3 Sent,
#   4 Received, 6 Pending Send, 7 Sending), 2 Canceled (5). "Completed and canceled email
#   is read-only and can't be edited." So sent and received e-mails are never writable.
#   Open ones (drafts) could be updated, but are left alone too: rewriting them would
#   change what an agent is writing and mail the tokens to the customer.
# - Notes: entity set `annotations`, key `annotationid`; `notetext` (Memo, RichText, so
#   HTML or plain text) is writable (Update: PATCH /annotations(id)); `objectid` links the
#   case (`_objectid_value`). Notes are internal: never mailed.
# - Lists follow `@odata.nextLink` as given; page size via `Prefer: odata.maxpagesize`.
EMAIL_SELECT = (
    "activityid,description,directioncode,statecode,statuscode,createdon,senton,_emailsender_value"
)
NOTE_SELECT = "annotationid,notetext,createdon,_createdby_value"
EMAIL_FILTER = "_regardingobjectid_value eq {id}"
NOTE_FILTER = "_objectid_value eq {id}"
EMAIL_COMPLETED = 1  # statecode: sent or received; 0 open (draft), 2 canceled
# Conversation ids are "<kind>:<guid>"; kind -> (entity endpoint, body column).
CONVERSATION_KINDS = {"email": ("email", "description"), "note": ("annotation", "notetext")}
STATES = {0: "active", 1: "resolved", 2: "cancelled"}
TEXT_FIELDS = {"title": False, "description": False}
WRITABLE_FIELDS = frozenset(TEXT_FIELDS)
# Anonymising a contact blanks every column the environment's own metadata lists
# (GET EntityDefinitions(LogicalName='contact')/Attributes: LogicalName, AttributeType,
# IsValidForUpdate; learn.microsoft.com/power-apps/developer/data-platform/webapi/
# query-metadata-web-api) whose type holds what a person wrote or is: text, dates, choices
# and numbers, custom columns included. Lookups, state, owner and flags are kept.
ANONYMISE_TYPES = frozenset(
    {
        "String",
        "Memo",
        "DateTime",
        "Picklist",
        "MultiSelectPicklist",
        "Integer",
        "BigInt",
        "Decimal",
        "Double",
        "Money",
    }
)
# Required name columns get a placeholder instead of null.
ANONYMISED_NAMES = {"firstname": "Anonymised", "lastname": "Contact"}
# Service protection limits: 6000 requests per user in a 5-minute sliding window; over it
# the Web API answers 429 with Retry-After (learn.microsoft.com/power-apps/developer/
# data-platform/api-limits). The x-ms-ratelimit-* headers are not relied on: pacing is our
# own log against the documented limit, and every thread waits out a 429's Retry-After.
RATE_LIMIT = RateLimitHeaders(default_limit=6000, default_window=300.0)
REQUEST_ID_HEADERS = ("REQ_ID", "x-ms-service-request-id")
OBJECT_TYPES = {"incident": "ticket", "contact": "contact"}
# Activity webhooks (a step on email/annotation Create or Update): the case an activity
# belongs to is the EntityReference in its lookup - an e-mail's `regardingobjectid`, a
# note's `objectid` - as an attribute of `InputParameters` Target (always on Create, on
# Update only when the lookup changed) or of a `PostEntityImages` image registered with that
# column. Only references to a case (LogicalName `incident`) count.
ACTIVITY_LINKS = {"email": "regardingobjectid", "annotation": "objectid"}
CASE_ENTITY = "incident"
EVENT_KINDS = {"Create": "created", "Update": "updated", "Delete": "deleted"}
WEBHOOK_KEY_PARAM = "code"

# A Dataverse record id (bare: how it appears in URLs, lookups and our conversation ids).
GUID = r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}"
GUID_RE = re.compile(GUID)
