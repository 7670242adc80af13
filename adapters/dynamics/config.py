"""Dataverse Web API (Dynamics 365 Customer Service) as data."""

from __future__ import annotations

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
}
INCIDENT_SELECT = (
    "incidentid,title,description,ticketnumber,statecode,statuscode,casetypecode,"
    "createdon,modifiedon,_customerid_value"
)
CONTACT_SELECT = "contactid,fullname,emailaddress1,telephone1,address1_composite"
PAGINATION = {"style": "odata-nextlink", "maxpagesize": 500}
STATES = {0: "active", 1: "resolved", 2: "cancelled"}
TEXT_FIELDS = {"title": False, "description": False}
WRITABLE_FIELDS = frozenset(TEXT_FIELDS)
ANONYMISED_CONTACT = {
    "firstname": "Anonymised",
    "lastname": "Contact",
    "emailaddress1": None,
    "telephone1": None,
    "mobilephone": None,
    "address1_line1": None,
    "address1_city": None,
    "address1_postalcode": None,
    "birthdate": None,
}
RATE_LIMIT = RateLimitHeaders(
    remaining="x-ms-ratelimit-burst-remaining-xrm-requests",
    default_limit=6000,
    default_window=300.0,
)
REQUEST_ID_HEADERS = ("REQ_ID", "x-ms-service-request-id")
OBJECT_TYPES = {"incident": "ticket", "contact": "contact"}
EVENT_KINDS = {"Create": "created", "Update": "updated", "Delete": "deleted"}
WEBHOOK_KEY_PARAM = "code"
