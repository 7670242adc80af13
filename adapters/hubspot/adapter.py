"""HubSpot adapter: private-app token over the CRM v3/v4 APIs."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from adapters.http import HttpClient, RateLimiter, RetryPolicy
from adapters.hubspot import config, engagements, signature, webhook
from adapters.own_writes import OwnWrites
from adapters.timeparse import parse_iso
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
from plugin.vendors.errors import AdapterConfigError, AdapterError, NotFound, WebhookAuthError


def error_code(response: requests.Response) -> str | None:
    """HubSpot's error category."""
    body = response.json()
    return body.get("category") or body.get("errorType") if isinstance(body, dict) else None


class HubSpotAdapter(Adapter):
    """Tickets and contacts of one HubSpot portal."""

    name = config.NAME
    writable_fields = config.WRITABLE_FIELDS
    edits_conversations = True  # the ticket's e-mails and notes, one PATCH each

    def __init__(
        self,
        base_url: str,
        token: str,
        client_secret: str,
        *,
        app_id: str | None = None,
        legacy_signatures: bool = False,
        previous_client_secret: str | None = None,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] = (3.05, 30.0),
        page_limit: int = config.PAGINATION["limit"],
    ) -> None:
        self._client_secret = client_secret
        # Rotation: requests signed with the previous secret verify until HubSpot switches.
        self._webhook_secrets = tuple(s for s in (client_secret, previous_client_secret) if s)
        self.legacy_signatures = legacy_signatures
        self._replays = signature.ReplayGuard()
        self.app_id = app_id
        self.page_limit = page_limit
        self.own_writes = OwnWrites()
        self.http = HttpClient(
            self.name,
            base_url,
            timeout=timeout,
            retry=retry,
            limiter=RateLimiter(config.RATE_LIMIT),
            error_code=error_code,
            request_id_headers=config.REQUEST_ID_HEADERS,
        )
        self.http.session.headers["Authorization"] = f"Bearer {token}"
        self.http.session.headers["Accept"] = "application/json"

    @classmethod
    def required_settings(cls) -> tuple[str, ...]:
        """Token and the app's client secret (for webhook signatures)."""
        return ("token", "client_secret")

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> HubSpotAdapter:
        """Build from DATAVAGT_HUBSPOT_* settings."""
        for key in cls.required_settings():
            if not settings.get(key):
                raise AdapterConfigError(f"DATAVAGT_HUBSPOT_{key.upper()} is not set")
        return cls(
            settings.get("base_url") or config.DEFAULT_BASE_URL,
            settings["token"],
            settings["client_secret"],
            app_id=settings.get("app_id") or None,
            legacy_signatures=_flag(settings.get("legacy_signatures")),
            previous_client_secret=settings.get("client_secret_previous") or None,
        )

    # -- webhooks ---------------------------------------------------------------------
    def verify_webhook(self, request: WebhookRequest) -> None:
        """Signature v3 (legacy v1/v2 only when enabled and no v3 is sent)."""
        refused: WebhookAuthError | None = None
        for secret in self._webhook_secrets:
            try:
                signature.verify(
                    request, secret, legacy=self.legacy_signatures, replays=self._replays
                )
                return
            except WebhookAuthError as exc:
                refused = exc
        raise refused or WebhookAuthError("no HubSpot client secret configured")

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], received_at: datetime | None = None
    ) -> list[WebhookEvent]:
        """Batches of id-only events."""
        return webhook.parse(body)

    def is_own_change(self, event: WebhookEvent) -> bool:
        """Ours when changed by our app, or at the moment our own PATCH reported."""
        if self.app_id and event.change_source in config.OWN_CHANGE_SOURCES:
            if event.actor == self.app_id:
                return True
        if event.occurred_at is None:
            return False
        return self.own_writes.seen(event.object_id, _ms(event.occurred_at))

    # -- reads ------------------------------------------------------------------------
    def get_ticket(self, ticket_id: str) -> VendorTicket:
        """Ticket properties, the first associated contact, and the associated e-mails and
        notes as conversations."""
        path = config.ENDPOINTS["ticket"].format(id=ticket_id)
        data = self.http.get(path, params={"properties": ",".join(config.TICKET_PROPERTIES)})
        ticket = self._ticket(data.json())
        links = self.http.get(config.ENDPOINTS["ticket_contacts"].format(id=ticket_id)).json()
        results = links.get("results") or []
        if results:
            ticket.requester = self.get_contact(str(results[0]["toObjectId"]))
        ticket.conversations = engagements.read_conversations(self.http, ticket_id)
        return ticket

    def get_contact(self, contact_id: str) -> VendorContact:
        """A contact's identifying properties."""
        path = config.ENDPOINTS["contact"].format(id=contact_id)
        params = {"properties": ",".join(config.CONTACT_PROPERTIES)}
        props = self.http.get(path, params=params).json().get("properties") or {}
        name = " ".join(p for p in (props.get("firstname"), props.get("lastname")) if p)
        return VendorContact(
            external_id=contact_id,
            name=name or None,
            email=props.get("email"),
            phone=props.get("phone"),
            extra={k: v for k, v in props.items() if k in ("address", "city", "zip") and v},
        )

    def record_exists(self, object_type: str, object_id: str) -> bool:
        """One GET of the ticket or contact: archived (deleted) and GDPR-deleted records answer
        404 unless ``archived=true`` is asked for (CRM objects API, "Retrieve a record":
        developers.hubspot.com/docs/api/crm/understanding-the-crm). A merged-away contact id
        still answers with the surviving record, so a merge never counts as a deletion."""
        endpoint = {"ticket": "ticket", "contact": "contact"}.get(object_type)
        if endpoint is None or not object_id.isdigit():
            raise AdapterError(self.name, f"cannot confirm that a {object_type} was deleted")
        try:
            self.http.get(
                config.ENDPOINTS[endpoint].format(id=object_id),
                params={"properties": "hs_object_id"},
            )
        except NotFound:
            return False
        return True

    def iter_tickets(self, updated_since: datetime) -> Iterator[VendorTicket]:
        """Search by last modification, oldest first, following `paging.next.after`.

        Without requester and conversations: backfill needs the ids only, and each ticket
        is then read in full with :meth:`get_ticket`.
        """
        since_ms = _ms(updated_since)
        seen: set[str] = set()
        while True:
            after: str | None = None
            last_ms: str | None = None
            while True:
                body: dict[str, Any] = {
                    "filterGroups": [
                        {
                            "filters": [
                                {
                                    "propertyName": "hs_lastmodifieddate",
                                    "operator": "GTE",
                                    "value": since_ms,
                                }
                            ]
                        }
                    ],
                    "sorts": ["hs_lastmodifieddate"],
                    "properties": list(config.TICKET_PROPERTIES),
                    "limit": self.page_limit,
                    "after": after or "0",  # the spec marks `after` as required
                }
                page = self.http.post(config.ENDPOINTS["ticket_search"], json=body).json()
                for item in page.get("results") or []:
                    modified = parse_iso((item.get("properties") or {}).get("hs_lastmodifieddate"))
                    last_ms = _ms(modified) if modified else last_ms
                    if str(item["id"]) not in seen:
                        seen.add(str(item["id"]))
                        yield self._ticket(item)
                after = ((page.get("paging") or {}).get("next") or {}).get("after")
                if not after:
                    return
                if int(after) >= config.PAGINATION["search_max_results"]:
                    break  # search stops at 10,000 results: restart from the last seen
            if last_ms is None or last_ms == since_ms:
                return
            since_ms = last_ms

    def _ticket(self, data: dict[str, Any]) -> VendorTicket:
        props = data.get("properties") or {}
        fields = {
            name: FieldValue(props.get(name) or "", is_html=is_html)
            for name, is_html in config.TEXT_FIELDS.items()
        }
        closed_at = parse_iso(props.get("closed_date"))
        return VendorTicket(
            vendor=self.name,
            external_id=str(data["id"]),
            subject=props.get("subject"),
            fields=fields,
            status=props.get("hs_pipeline_stage"),
            closed=closed_at is not None,
            created_at=parse_iso(props.get("createdate") or data.get("createdAt")),
            updated_at=parse_iso(props.get("hs_lastmodifieddate") or data.get("updatedAt")),
            closed_at=closed_at,
            ticket_type=props.get("hs_ticket_category"),
            pipeline=props.get("hs_pipeline"),
            pipeline_stage=props.get("hs_pipeline_stage"),
        )

    # -- writes -----------------------------------------------------------------------
    def write_fields(self, ticket_id: str, values: Mapping[str, str]) -> None:
        """PATCH ticket properties; remember updatedAt to spot the echo."""
        for name in values:
            if not self.can_write(name):
                raise AdapterError(self.name, f"field {name!r} is not writable")
        path = config.ENDPOINTS["ticket"].format(id=ticket_id)
        answer = self.http.patch(path, json={"properties": dict(values)}).json()
        updated = parse_iso(answer.get("updatedAt"))
        if updated is not None:
            self.own_writes.add(str(ticket_id), _ms(updated))

    def write_conversation(self, ticket_id: str, conversation_id: str, body: str) -> None:
        """PATCH an associated e-mail's or note's body (`email:<id>` / `note:<id>`)."""
        path, payload = engagements.body_update(self.name, conversation_id, body)
        self.http.patch(path, json=payload)

    def create_ticket(
        self, subject: str, fields: Mapping[str, str], requester: VendorContact
    ) -> str:
        """POST the ticket in the default pipeline, associated with the requester's contact."""
        contact_id = requester.external_id or self._contact_for(requester)
        properties = {"hs_pipeline": "0", "hs_pipeline_stage": "1", "subject": subject}
        properties.update({("content" if k == "description" else k): v for k, v in fields.items()})
        body = {
            "properties": properties,
            "associations": [
                {
                    "to": {"id": contact_id},
                    "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 16}],
                }
            ],
        }
        return str(self.http.post(config.ENDPOINTS["tickets"], json=body).json()["id"])

    def _contact_for(self, requester: VendorContact) -> str:
        """Create the contact; HubSpot answers 409 naming the existing id for a known e-mail."""
        names = (requester.name or "").split(" ", 1)
        properties = {"email": requester.email or "", "firstname": names[0]}
        if len(names) > 1:
            properties["lastname"] = names[1]
        if requester.phone:
            properties["phone"] = requester.phone
        try:
            body = {"properties": properties, "associations": []}
            answer = self.http.post(config.ENDPOINTS["contacts"], json=body)
        except AdapterError as exc:
            body = exc.response.json() if exc.status == 409 and exc.response is not None else {}
            match = re.search(r"Existing ID: (\d+)", str(body.get("message", "")))
            if match is None:
                raise
            return match.group(1)
        return str(answer.json()["id"])

    def delete_ticket(self, ticket_id: str) -> list[dict[str, str]]:
        """Archive the ticket and its e-mails and notes, GDPR-delete their files; per store,
        what remains at HubSpot and until when.

        DELETE moves a ticket (and an e-mail or note) to the recycling bin, restorable within
        90 days, property history (`propertiesWithHistory`: the values before our
        pseudonymisation) included; there is no purge of one archived ticket or activity:
        https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/tickets/delete-ticket.md
        https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/tickets/batch/delete-tickets
        """
        path = config.ENDPOINTS["ticket"].format(id=ticket_id)
        try:
            self.http.get(path, params={"properties": "subject"})
        except NotFound as gone:  # archived already (an earlier try, or an agent): name the bin
            try:
                answer = self.http.get(path, params={"archived": "true"}).json()
            except NotFound:
                raise gone from None
            since = parse_iso(answer.get("archivedAt")) or datetime.now(UTC)
            until = (since + timedelta(days=config.RECYCLE_BIN_DAYS)).date().isoformat()
            reason = "the ticket was already in the recycling bin"
            gone.stores = (_store("recycle_bin", "remains", reason, until),)
            raise gone from None
        files = activities = 0
        for object_type in config.ENGAGEMENT_TYPES.values():
            ids = engagements.associated_ids(self.http, ticket_id, object_type)
            wanted = ["hs_attachment_ids"]
            for record in engagements.batch_read(self.http, object_type, ids, wanted):
                attached = (record.get("properties") or {}).get("hs_attachment_ids") or ""
                for file_id in filter(None, (f.strip() for f in attached.split(";"))):
                    files += self._delete_quietly(
                        config.ENDPOINTS["file_gdpr_delete"].format(id=file_id)
                    )
            for rid in ids:
                engagement = config.ENDPOINTS["engagement"].format(type=object_type, id=rid)
                activities += self._delete_quietly(engagement)
        self.http.delete(path)
        until = (datetime.now(UTC) + timedelta(days=config.RECYCLE_BIN_DAYS)).date().isoformat()
        return [
            _store("record", "destroyed", "ticket archived"),
            _store("attachments", "destroyed", f"{files} files GDPR-deleted"),
            _store(
                "recycle_bin",
                "remains",
                f"HubSpot restores archived tickets and activities ({activities} e-mails and "
                "notes) for 90 days, with their property history; no purge API",
                until,
            ),
        ]

    def find_copies(self, object_type: str, object_id: str) -> list[str]:
        """Ticket: live `record`, or archived in the `recycle_bin` (GET with `archived=true`,
        the CRM objects API's "Whether to return only results that have been archived");
        contact: its `record` and any inbox `conversations` (archived or not)."""
        if object_type not in ("ticket", "contact") or not object_id.isdigit():
            raise AdapterError(self.name, f"cannot look for a {object_type}")
        path = config.ENDPOINTS[object_type].format(id=object_id)
        found: list[str] = []
        try:
            self.http.get(path)
            found.append("record")
        except NotFound:
            if object_type == "ticket":
                try:
                    self.http.get(path, params={"archived": "true"})
                    found.append("recycle_bin")
                except NotFound:
                    pass
        if object_type == "contact":
            for archived in ("false", "true"):
                params = {"associatedContactId": object_id, "archived": archived}
                if self.http.get(config.ENDPOINTS["threads"], params=params).json().get("results"):
                    found.append("conversations")
                    break
        return found

    def _delete_quietly(self, path: str) -> int:
        """DELETE where 404 (gone already) is as good as done; 1 when something went."""
        try:
            self.http.delete(path)
        except NotFound:
            return 0
        return 1

    def erase_contact(self, id_or_email: str) -> list[dict[str, str]]:
        """Archive the contact's inbox threads, then GDPR delete: "Permanently delete a
        contact and all associated content" (property history included); an unknown e-mail
        is blocklisted by HubSpot."""
        contact_id: str | None = id_or_email
        if "@" in id_or_email:
            try:
                path = config.ENDPOINTS["contact"].format(id=id_or_email)
                found = self.http.get(path, params={"idProperty": "email"}).json()
                contact_id = str(found["id"])
            except NotFound:
                contact_id = None  # not a contact: nothing in the inbox to find by it
        threads = 0
        if contact_id:
            listing = self.http.get(
                config.ENDPOINTS["threads"], params={"associatedContactId": contact_id}
            ).json()
            for thread in listing.get("results") or []:
                threads += self._delete_quietly(config.ENDPOINTS["thread"].format(id=thread["id"]))
        body = {"objectId": id_or_email}
        if "@" in id_or_email:
            body["idProperty"] = "email"
        self.http.post(config.ENDPOINTS["gdpr_delete"], json=body)
        stores = [_store("contact", "destroyed", "GDPR delete: contact and property history")]
        if threads:
            until = datetime.now(UTC) + timedelta(days=config.THREAD_TRASH_DAYS)
            stores.append(
                _store(
                    "conversations",
                    "remains",
                    f"{threads} inbox threads archived (restorable; kept for an assumed 30 days)",
                    until.date().isoformat(),
                )
            )
        return stores

    def anonymise_contact(self, contact_id: str, values: Mapping[str, str]) -> None:
        """PATCH masked contact properties."""
        path = config.ENDPOINTS["contact"].format(id=contact_id)
        self.http.patch(path, json={"properties": dict(values)})

    def update_contact(self, contact_id: str, values: Mapping[str, str]) -> None:
        """PATCH contact properties email, phone, firstname and lastname."""
        checked = contact_values(self.name, values)
        properties = {k: v for k, v in checked.items() if k != "name"}
        if "name" in checked:
            properties["firstname"], properties["lastname"] = first_last(checked["name"])
        if properties:
            path = config.ENDPOINTS["contact"].format(id=contact_id)
            self.http.patch(path, json={"properties": properties})

    def close(self) -> None:
        """Close the HTTP session."""
        self.http.close()


def _store(store: str, state: str, reason: str, until: str = "") -> dict[str, str]:
    """One entry of the per-store list the certificate shows."""
    return {"store": store, "state": state, "reason": reason, "until": until}


def _flag(value: object) -> bool:
    """A yes/no setting from the environment or YAML."""
    return str(value or "").strip().lower() in ("1", "true", "yes", "on")


def _ms(moment: datetime) -> str:
    """Epoch milliseconds as a string, HubSpot's date filter format."""
    return str(int(moment.timestamp() * 1000))
