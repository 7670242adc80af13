"""Dynamics 365 Customer Service adapter over the Dataverse Web API."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import requests

from adapters.dynamics import activities, config, erasure, webhook
from adapters.dynamics.auth import ClientCredentialsSession
from adapters.http import HttpClient, RateLimiter, RetryPolicy
from adapters.timeparse import parse_iso, to_iso
from plugin.vendors.contract import (
    Adapter,
    FieldValue,
    VendorContact,
    VendorTicket,
    WebhookEvent,
    WebhookRequest,
    contact_values,
    first_last,
)
from plugin.vendors.errors import AdapterConfigError, AdapterError, NotFound

# update_contact keys -> contact columns ("name" is split into firstname and lastname).
CONTACT_COLUMNS = {"email": "emailaddress1", "phone": "telephone1"}


def error_code(response: requests.Response) -> str | None:
    """Dataverse's hexadecimal error code."""
    body = response.json()
    return (body.get("error") or {}).get("code") if isinstance(body, dict) else None


class DynamicsAdapter(Adapter):
    """Cases (incidents), their e-mails and notes, and contacts of one Dataverse environment."""

    name = config.NAME
    writable_fields = config.WRITABLE_FIELDS
    edits_conversations = True  # notes

    def __init__(
        self,
        org_url: str,
        tenant_id: str,
        client_id: str,
        client_secret: str,
        webhook_key: str,
        *,
        authority_url: str = config.DEFAULT_AUTHORITY,
        webhook_header: str | None = None,
        erase_mode: str = "delete",
        app_user_id: str | None = None,
        previous_webhook_key: str | None = None,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] = (3.05, 30.0),
        rate_limit: int | None = None,
        rate_window: float | None = None,
        page_size: int = config.PAGINATION["maxpagesize"],
        token_leeway: int = 60,
    ) -> None:
        if erase_mode not in ("delete", "anonymise"):
            raise AdapterConfigError("DATAVAGT_DYNAMICS_ERASE_MODE must be delete or anonymise")
        self._webhook_key = webhook_key
        self._previous_webhook_key = previous_webhook_key
        self._webhook_header = webhook_header
        self.erase_mode = erase_mode
        self.page_size = page_size
        self._app_user_id = app_user_id.lower() if app_user_id else None
        org = org_url.rstrip("/")
        token_url = f"{authority_url.rstrip('/')}/" + config.TOKEN_PATH.format(tenant=tenant_id)
        self.session = ClientCredentialsSession(
            client_id, client_secret, token_url, f"{org}/.default", token_leeway
        )
        self.http = HttpClient(
            self.name,
            f"{org}/{config.API_PATH}",
            session=self.session,
            headers=config.HEADERS,
            timeout=timeout,
            retry=retry,
            limiter=RateLimiter(config.RATE_LIMIT, limit=rate_limit, window=rate_window),
            error_code=error_code,
            request_id_headers=config.REQUEST_ID_HEADERS,
        )

    @classmethod
    def required_settings(cls) -> tuple[str, ...]:
        """Org URL, tenant, app registration and the webhook key."""
        return ("org_url", "tenant_id", "client_id", "client_secret", "webhook_key")

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> DynamicsAdapter:
        """Build from DATAVAGT_DYNAMICS_* settings."""
        for key in cls.required_settings():
            if not settings.get(key):
                raise AdapterConfigError(f"DATAVAGT_DYNAMICS_{key.upper()} is not set")
        return cls(
            settings["org_url"],
            settings["tenant_id"],
            settings["client_id"],
            settings["client_secret"],
            settings["webhook_key"],
            authority_url=settings.get("authority_url") or config.DEFAULT_AUTHORITY,
            webhook_header=settings.get("webhook_header") or None,
            erase_mode=settings.get("erase_mode") or "delete",
            app_user_id=settings.get("app_user_id") or None,
            previous_webhook_key=settings.get("webhook_key_previous") or None,
        )

    # -- webhooks ---------------------------------------------------------------------
    def verify_webhook(self, request: WebhookRequest) -> None:
        """`?code=` key, or the configured header."""
        keys = tuple(k for k in (self._webhook_key, self._previous_webhook_key) if k)
        webhook.verify(request, keys, self._webhook_header)

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], received_at: datetime | None = None
    ) -> list[WebhookEvent]:
        """RemoteExecutionContext (with or without InputParameters)."""
        return webhook.parse(body)

    def is_own_change(self, event: WebhookEvent) -> bool:
        """Ours when initiated by the application user our token maps to."""
        return event.actor is not None and event.actor == self.app_user_id()

    def app_user_id(self) -> str:
        """The systemuserid of our application user (WhoAmI, cached)."""
        if self._app_user_id is None:
            answer = self.http.get(config.ENDPOINTS["whoami"]).json()
            self._app_user_id = str(answer["UserId"]).lower()
        return self._app_user_id

    # -- reads ------------------------------------------------------------------------
    def get_ticket(self, ticket_id: str) -> VendorTicket:
        """The case with its customer contact expanded, and its e-mails and notes."""
        path = config.ENDPOINTS["incident"].format(id=ticket_id)
        params = {
            "$select": config.INCIDENT_SELECT,
            "$expand": f"customerid_contact($select={config.CONTACT_SELECT})",
        }
        ticket = self._ticket(self.http.get(path, params=params).json())
        ticket.conversations = activities.read(self._pages, ticket.external_id)
        return ticket

    def record_exists(self, object_type: str, object_id: str) -> bool:
        """One GET of the case or contact by id: a deleted record answers 404 (0x80040217,
        "Does Not Exist": learn.microsoft.com/power-apps/developer/data-platform/webapi/
        retrieve-entity-using-web-api)."""
        endpoint = {"ticket": ("incident", "incidentid"), "contact": ("contact", "contactid")}
        if object_type not in endpoint or not config.GUID_RE.fullmatch(object_id):
            raise AdapterError(self.name, f"cannot confirm that a {object_type} was deleted")
        path, key = endpoint[object_type]
        try:
            self.http.get(config.ENDPOINTS[path].format(id=object_id), params={"$select": key})
        except NotFound:
            return False
        return True

    def find_copies(self, object_type: str, object_id: str) -> list[str]:
        """The case or contact `record`, and its `audit` history (the Auditing table read by
        `_objectid_value`: learn.microsoft.com/power-apps/developer/data-platform/auditing/
        retrieve-audit-data), which outlives a deleted record."""
        found = ["record"] if self.record_exists(object_type, object_id) else []
        params = {"$select": "auditid", "$filter": f"_objectid_value eq {object_id}"}
        if self.http.get(config.ENDPOINTS["audits"], params=params).json().get("value"):
            found.append("audit")
        return found

    def iter_tickets(self, updated_since: datetime) -> Iterator[VendorTicket]:
        """Cases only: backfill re-reads each one (with its activities) through get_ticket."""
        params = {
            "$select": config.INCIDENT_SELECT,
            "$filter": f"modifiedon ge {to_iso(updated_since)}",
            "$orderby": "modifiedon asc",
            "$expand": f"customerid_contact($select={config.CONTACT_SELECT})",
        }
        for item in self._pages(config.ENDPOINTS["incidents"], params):
            yield self._ticket(item)

    def _pages(self, path: str, params: dict[str, str]) -> Iterator[dict[str, Any]]:
        """Every item of a list: `@odata.nextLink` followed as given, page size via
        `Prefer: odata.maxpagesize`."""
        headers = {"Prefer": f"odata.maxpagesize={self.page_size}"}
        url: str | None = path
        query: dict[str, str] | None = params
        while url:
            page = self.http.get(url, params=query, headers=headers).json()
            yield from page.get("value") or []
            url = page.get("@odata.nextLink")
            query = None  # the next link carries the query and the $skiptoken

    def _ticket(self, data: dict[str, Any]) -> VendorTicket:
        fields = {
            name: FieldValue(data.get(name) or "", is_html=is_html)
            for name, is_html in config.TEXT_FIELDS.items()
        }
        state = data.get("statecode")
        closed = state in (1, 2)
        modified = parse_iso(data.get("modifiedon"))
        contact = data.get("customerid_contact")
        requester = None
        if isinstance(contact, dict):
            requester = VendorContact(
                external_id=str(contact.get("contactid")),
                name=contact.get("fullname"),
                email=contact.get("emailaddress1"),
                phone=contact.get("telephone1"),
                extra={"address": contact["address1_composite"]}
                if contact.get("address1_composite")
                else {},
            )
        elif data.get("_customerid_value"):
            requester = VendorContact(external_id=str(data["_customerid_value"]))
        return VendorTicket(
            vendor=self.name,
            external_id=str(data["incidentid"]),
            subject=data.get("title"),
            fields=fields,
            requester=requester,
            status=config.STATES.get(state, str(state)),
            closed=closed,
            created_at=parse_iso(data.get("createdon")),
            updated_at=modified,
            closed_at=modified if closed else None,  # no closedon on incident: last change
            ticket_type=str(data["casetypecode"]) if data.get("casetypecode") else None,
        )

    # -- writes -----------------------------------------------------------------------
    def write_fields(self, ticket_id: str, values: Mapping[str, str]) -> None:
        """PATCH with `If-Match: *` so a missing case is never created."""
        for name in values:
            if not self.can_write(name):
                raise AdapterError(self.name, f"field {name!r} is not writable")
        path = config.ENDPOINTS["incident"].format(id=ticket_id)
        self.http.patch(path, json=dict(values), headers={"If-Match": "*"})

    def write_conversation(self, ticket_id: str, conversation_id: str, body: str) -> None:
        """PATCH a note's `notetext` (`note:<id>`) or an e-mail's `description` (`email:<id>`,
        refused by Dataverse once sent or received), with `If-Match: *`."""
        path, column = activities.target(conversation_id)
        self.http.patch(path, json={column: body}, headers={"If-Match": "*"})

    def create_ticket(
        self, subject: str, fields: Mapping[str, str], requester: VendorContact
    ) -> str:
        """POST an incident whose customer is the requester's contact (found or created)."""
        contact_id = requester.external_id or self._contact_for(requester)
        body: dict[str, Any] = {"title": subject, **dict(fields)}
        body["customerid_contact@odata.bind"] = f"/contacts({contact_id})"
        return self._created_id(self.http.post(config.ENDPOINTS["incidents"], json=body))

    def _contact_for(self, requester: VendorContact) -> str:
        try:
            return self._contact_id(requester.email or "")
        except NotFound:
            pass
        first, _, last = (requester.name or "").partition(" ")
        body = {
            "firstname": first,
            "lastname": last or first,
            "emailaddress1": requester.email,
            "telephone1": requester.phone,
        }
        return self._created_id(self.http.post(config.ENDPOINTS["contacts"], json=body))

    @staticmethod
    def _created_id(response: requests.Response) -> str:
        """Dataverse answers 204 with the new record's URL in OData-EntityId."""
        entity = response.headers.get("OData-EntityId", "")
        match = re.search(r"\(([0-9a-fA-F-]{36})\)\s*$", entity)
        if match is None:
            raise AdapterError(config.NAME, "no OData-EntityId in the create answer")
        return match.group(1)

    def delete_ticket(self, ticket_id: str) -> list[dict[str, str]]:
        """DELETE the case (its e-mails and notes cascade) and its audit history."""
        return erasure.delete_case(self.http, self._pages, ticket_id)

    def erase_contact(self, id_or_email: str) -> list[dict[str, str]]:
        """Delete the contact (cases first) or, with erase_mode `anonymise`, blank it; either
        way its audit history goes too."""
        contact_id = self._contact_id(id_or_email)
        if self.erase_mode == "anonymise":
            return erasure.anonymise_contact(self.http, contact_id, {})
        return erasure.delete_contact(self.http, self._pages, contact_id)

    def anonymise_contact(self, contact_id: str, values: Mapping[str, str]) -> None:
        """Blank every personal column the contact metadata lists (values override), and
        delete the audit history holding the old values."""
        erasure.anonymise_contact(self.http, contact_id, values)

    def update_contact(self, contact_id: str, values: Mapping[str, str]) -> None:
        """PATCH emailaddress1, telephone1, firstname, lastname; `If-Match: *` never creates."""
        checked = contact_values(self.name, values)
        body = {CONTACT_COLUMNS[k]: v for k, v in checked.items() if k != "name"}
        if "name" in checked:
            body["firstname"], body["lastname"] = first_last(checked["name"])
        if body:
            path = config.ENDPOINTS["contact"].format(id=contact_id)
            self.http.patch(path, json=body, headers={"If-Match": "*"})

    def _contact_id(self, id_or_email: str) -> str:
        if "@" not in id_or_email:
            return id_or_email
        quoted = id_or_email.replace("'", "''")
        params = {"$select": "contactid", "$filter": f"emailaddress1 eq '{quoted}'"}
        found = self.http.get(config.ENDPOINTS["contacts"], params=params).json().get("value")
        if not found:
            raise NotFound(self.name, "no contact with that e-mail", status=404)
        return str(found[0]["contactid"])

    def close(self) -> None:
        """Close the HTTP session."""
        self.http.close()
