"""Freshdesk adapter: API-key client over API v2."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import getaddresses
from typing import Any

import requests

from adapters.freshdesk import config, webhook
from adapters.http import HttpClient, RateLimiter, RetryPolicy
from adapters.own_writes import OwnWrites
from adapters.timeparse import parse_iso, to_iso
from plugin.vendors.contract import (
    Adapter,
    Conversation,
    FieldValue,
    VendorAgent,
    VendorContact,
    VendorTicket,
    WebhookEvent,
    WebhookRequest,
    contact_values,
)
from plugin.vendors.errors import AdapterConfigError, AdapterError, CredentialsError, NotFound


def error_code(response: requests.Response) -> str | None:
    """Freshdesk's first error code, or the top-level code."""
    body = response.json()
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors and isinstance(errors, list) and isinstance(errors[0], dict):
        return errors[0].get("code")
    return body.get("code") if isinstance(body, dict) else None


def _store(store: str, state: str, reason: str, until: str = "") -> dict[str, str]:
    """One entry of the per-store list the certificate shows."""
    return {"store": store, "state": state, "reason": reason, "until": until}


class FreshdeskAdapter(Adapter):
    """Tickets, conversations and contacts of one Freshdesk account."""

    name = config.NAME
    writable_fields = config.WRITABLE_FIELDS
    edits_conversations = True  # notes

    def __init__(
        self,
        base_url: str,
        api_key: str,
        webhook_user: str,
        webhook_password: str,
        *,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] = (3.05, 30.0),
        rate_window: float | None = None,
        per_page: int = config.PAGINATION["per_page"],
        previous_webhook_password: str | None = None,
    ) -> None:
        self._webhook_user = webhook_user
        # Rotation: the previous password keeps working until every rule sends the new one.
        self._webhook_passwords = tuple(
            p for p in (webhook_password, previous_webhook_password) if p
        )
        self.per_page = per_page
        self.own_writes = OwnWrites()
        self.http = HttpClient(
            self.name,
            base_url,
            timeout=timeout,
            retry=retry,
            limiter=RateLimiter(config.RATE_LIMIT, window=rate_window),
            error_code=error_code,
            request_id_headers=config.REQUEST_ID_HEADERS,
            cost_of=config.request_credits,
        )
        self.http.session.auth = (api_key, "X")
        self.http.session.headers["Accept"] = "application/json"

    @classmethod
    def required_settings(cls) -> tuple[str, ...]:
        """API key and the webhook rule's Basic credentials."""
        return ("api_key", "webhook_user", "webhook_password")

    @classmethod
    def from_settings(cls, settings: Mapping[str, str]) -> FreshdeskAdapter:
        """Build from DATAVAGT_FRESHDESK_* settings."""
        for key in cls.required_settings():
            if not settings.get(key):
                raise AdapterConfigError(f"DATAVAGT_FRESHDESK_{key.upper()} is not set")
        base_url = settings.get("base_url")
        if not base_url:
            domain = settings.get("domain")
            if not domain:
                raise AdapterConfigError("DATAVAGT_FRESHDESK_DOMAIN is not set")
            host = domain if "." in domain else f"{domain}.freshdesk.com"
            base_url = f"https://{host}"
        return cls(
            base_url,
            settings["api_key"],
            settings["webhook_user"],
            settings["webhook_password"],
            previous_webhook_password=settings.get("webhook_password_previous") or None,
        )

    # -- webhooks ---------------------------------------------------------------------
    def verify_webhook(self, request: WebhookRequest) -> None:
        """Basic auth with the rule's user and password."""
        webhook.verify(request, self._webhook_user, self._webhook_passwords)

    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], received_at: datetime | None = None
    ) -> list[WebhookEvent]:
        """Minimal and wrapped payload shapes."""
        return webhook.parse(body, received_at)

    def is_own_change(self, event: WebhookEvent) -> bool:
        """Ours when the event's timestamp is the updated_at our own PUT returned."""
        if event.occurred_at is None:
            return False
        return self.own_writes.seen(event.object_id, event.occurred_at.isoformat())

    # -- reads ------------------------------------------------------------------------
    def get_ticket(self, ticket_id: str) -> VendorTicket:
        """Ticket with requester, stats and every conversation."""
        path = config.ENDPOINTS["ticket"].format(id=ticket_id)
        data = self.http.get(path, params={"include": "requester,stats"}).json()
        ticket = self._ticket(data)
        convo_path = config.ENDPOINTS["conversations"].format(id=ticket_id)
        for item in self._pages(convo_path, {"per_page": self.per_page}):
            ticket.conversations.append(self._conversation(item))
        return ticket

    def get_agent(self, agent_id: str) -> VendorAgent:
        """View Agent (GET /api/v2/agents/{id}): e-mail, groups and whether they are active."""
        if not agent_id.isdigit():
            raise NotFound(self.name, "no such agent", status=404)
        data = self.http.get(config.ENDPOINTS["agent"].format(id=agent_id)).json()
        return _agent(data, agent_id)

    def agent_for_key(self, api_key: str) -> VendorAgent:
        """View Me (GET /api/v2/agents/me) with an agent's own API key: who holds the key.

        Freshdesk answers with the agent the key belongs to, so the identity comes from
        Freshdesk, not from the browser. A key Freshdesk refuses is NotFound.
        """
        try:
            response = self.http.get(config.ENDPOINTS["agent_me"], auth=(api_key, "X"))
        except (CredentialsError, NotFound) as exc:
            raise NotFound(self.name, "the API key belongs to no agent", status=exc.status) from exc
        return _agent(response.json(), "")

    def record_exists(self, object_type: str, object_id: str) -> bool:
        """One GET: a 404 or ``"deleted": true`` (ticket in trash, contact soft-deleted) is gone.

        The ``deleted`` attribute of tickets and contacts: developers.freshdesk.com/api/#tickets
        and #contacts ("Set to true if the ticket has been deleted/trashed").
        """
        endpoint = {"ticket": "ticket", "contact": "contact"}.get(object_type)
        if endpoint is None or not object_id.isdigit():
            raise AdapterError(self.name, f"cannot confirm that a {object_type} was deleted")
        try:
            data = self.http.get(config.ENDPOINTS[endpoint].format(id=object_id)).json()
        except NotFound:
            if object_type != "ticket":
                return False
            try:  # an archived ticket answers 404 above but is still held
                self.http.get(config.ENDPOINTS["archived_ticket"].format(id=object_id))
            except NotFound:
                return False
            return True
        return not (isinstance(data, dict) and data.get("deleted") is True)

    def find_copies(self, object_type: str, object_id: str) -> list[str]:
        """Ticket: live `record`, in `trash` (``deleted: true``) or in the `archive`; contact:
        its `record`, or `soft_deleted` until the hard delete clears it."""
        if object_type not in ("ticket", "contact") or not object_id.isdigit():
            raise AdapterError(self.name, f"cannot look for a {object_type}")
        try:
            data = self.http.get(config.ENDPOINTS[object_type].format(id=object_id)).json()
        except NotFound:
            if object_type == "contact":
                return []
            try:
                self.http.get(config.ENDPOINTS["archived_ticket"].format(id=object_id))
            except NotFound:
                return []
            return ["archive"]
        if isinstance(data, dict) and data.get("deleted") is True:
            return ["trash" if object_type == "ticket" else "soft_deleted"]
        return ["record"]

    def iter_tickets(self, updated_since: datetime) -> Iterator[VendorTicket]:
        """Oldest change first; restarts from the last updated_at at the 300-page limit."""
        for item in self._ticket_pages(to_iso(updated_since), "description,requester,stats"):
            yield self._ticket(item)

    def _ticket_pages(self, since: str, include: str = "") -> Iterator[dict[str, Any]]:
        """List All Tickets as raw records, oldest change first, each once; restarts from the
        last updated_at at the 300-page limit."""
        seen: set[str] = set()
        while True:
            params = {
                "updated_since": since,
                "order_by": "updated_at",
                "order_type": "asc",
                "per_page": self.per_page,
            }
            if include:
                params["include"] = include
            last: str | None = None
            pages = 0
            for item in self._pages(config.ENDPOINTS["tickets"], params, counter=True):
                if item is _PAGE_LIMIT:
                    pages = config.PAGINATION["max_pages"]
                    break
                key = str(item["id"])
                if key not in seen:
                    seen.add(key)
                    yield item
                last = item.get("updated_at") or last
            if pages < config.PAGINATION["max_pages"] or last is None or last == since:
                return
            since = last

    def _pages(
        self, path: str, params: dict[str, Any], counter: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Follow the `Link: <..>; rel="next"` header."""
        url: str | None = path
        page = 1
        query: dict[str, Any] | None = params
        while url:
            response = self.http.get(url, params=query)
            yield from response.json()
            url = response.links.get("next", {}).get("url")
            query = None  # the next link carries the query
            page += 1
            if counter and url and page > config.PAGINATION["max_pages"]:
                yield _PAGE_LIMIT
                return

    def _ticket(self, data: dict[str, Any]) -> VendorTicket:
        fields = {
            "subject": FieldValue(data.get("subject") or ""),
            "description": FieldValue(data.get("description") or "", is_html=True),
        }
        for name, value in (data.get("custom_fields") or {}).items():
            if isinstance(value, str):
                fields[config.CUSTOM_FIELD_PREFIX + name] = FieldValue(value)
        status = data.get("status")
        stats = data.get("stats") or {}
        return VendorTicket(
            vendor=self.name,
            external_id=str(data["id"]),
            subject=data.get("subject"),
            fields=fields,
            requester=self._contact(data.get("requester"), data.get("requester_id")),
            status=config.STATUSES.get(status, str(status)),
            closed=status in config.CLOSED_STATUSES,
            created_at=parse_iso(data.get("created_at")),
            updated_at=parse_iso(data.get("updated_at")),
            closed_at=parse_iso(stats.get("closed_at") or stats.get("resolved_at")),
            tags=list(data.get("tags") or []),
            ticket_type=data.get("type"),
        )

    @staticmethod
    def _contact(data: dict[str, Any] | None, requester_id: Any) -> VendorContact | None:
        if data:
            return VendorContact(
                external_id=str(data.get("id", requester_id)),
                name=data.get("name"),
                email=data.get("email"),
                phone=data.get("phone") or data.get("mobile"),
            )
        return VendorContact(external_id=str(requester_id)) if requester_id else None

    @staticmethod
    def _conversation(item: dict[str, Any]) -> Conversation:
        private = bool(item.get("private"))
        incoming = bool(item.get("incoming"))
        source = item.get("source")
        # Only notes (public or private) can be edited; without a source only a private
        # outgoing entry is surely a note.
        note = source == config.NOTE_SOURCE if source is not None else private and not incoming
        return Conversation(
            external_id=str(item["id"]),
            body=FieldValue(item.get("body") or "", is_html=True),
            incoming=incoming,
            private=private,
            author_id=str(item["user_id"]) if item.get("user_id") else None,
            created_at=parse_iso(item.get("created_at")),
            writable=note,
        )

    # -- writes -----------------------------------------------------------------------
    def can_write(self, field_name: str) -> bool:
        """Subject, description and custom text fields."""
        return field_name in self.writable_fields or field_name.startswith(
            config.CUSTOM_FIELD_PREFIX
        )

    def write_fields(self, ticket_id: str, values: Mapping[str, str]) -> None:
        """PUT the fields; remember the returned updated_at to spot the echo."""
        body: dict[str, Any] = {}
        for name, text in values.items():
            if not self.can_write(name):
                raise AdapterError(self.name, f"field {name!r} is not writable")
            if name.startswith(config.CUSTOM_FIELD_PREFIX):
                body.setdefault("custom_fields", {})[name.split(".", 1)[1]] = text
            else:
                body[name] = text
        path = config.ENDPOINTS["ticket"].format(id=ticket_id)
        updated = parse_iso(self.http.put(path, json=body).json().get("updated_at"))
        if updated is not None:
            self.own_writes.add(str(ticket_id), updated.isoformat())

    def write_conversation(self, ticket_id: str, conversation_id: str, body: str) -> None:
        """PUT a note's body (HTML); Freshdesk refuses to edit replies and e-mails."""
        path = config.ENDPOINTS["conversation"].format(id=conversation_id)
        self.http.put(path, json={"body": body})

    def create_ticket(
        self, subject: str, fields: Mapping[str, str], requester: VendorContact
    ) -> str:
        """POST /api/v2/tickets; Freshdesk matches or creates the contact by e-mail."""
        body: dict[str, Any] = {"subject": subject, "status": 2, "priority": 1}
        for name, text in fields.items():
            if name.startswith(config.CUSTOM_FIELD_PREFIX):
                body.setdefault("custom_fields", {})[name.split(".", 1)[1]] = text
            else:
                body[name] = text
        body.setdefault("description", "")
        if requester.email:
            body["email"] = requester.email
        elif requester.external_id:
            body["requester_id"] = int(requester.external_id)
        if requester.name:
            body["name"] = requester.name
        if requester.phone:
            body["phone"] = requester.phone
        return str(self.http.post(config.ENDPOINTS["tickets"], json=body).json()["id"])

    def delete_ticket(self, ticket_id: str) -> list[dict[str, str]]:
        """Erase a ticket from every store the API reaches; per store, what remains, until.

        A live ticket: its attachments and conversations (replies, e-mails, notes) are
        deleted for good first, its subject, description and custom text fields overwritten,
        then the ticket is deleted. Freshdesk keeps a deleted ticket in Trash, restorable, for
        30 days and offers no purge of one trashed ticket (only the contact's hard delete):
        https://partnersupport.freshworks.com/en/support/solutions/articles/228016-how-do-i-view-deleted-tickets-
        so what stays there is the overwritten shell. An archived ticket (the normal endpoint
        answers 404) is deleted for good through the archive endpoint.
        """
        path = config.ENDPOINTS["ticket"].format(id=ticket_id)
        try:
            data = self.http.get(path).json()
        except NotFound:
            return self._delete_archived(ticket_id)
        if data.get("deleted") is True:  # already in Trash: the API can no longer touch it
            until = self._trash_until(data)
            gone = NotFound(self.name, "ticket already deleted", status=404)
            gone.stores = (_store("trash", "remains", "the ticket was already in Trash", until),)
            raise gone
        conversations = list(
            self._pages(
                config.ENDPOINTS["conversations"].format(id=ticket_id), {"per_page": self.per_page}
            )
        )
        files = [a for item in (data, *conversations) for a in item.get("attachments") or []]
        for attachment in files:
            self._delete_quietly(config.ENDPOINTS["attachment"].format(id=attachment["id"]))
        kept = 0
        for item in conversations:
            try:
                self._delete_quietly(config.ENDPOINTS["conversation"].format(id=item["id"]))
            except AdapterError as exc:
                if exc.retryable or exc.status not in (400, 403):
                    raise
                kept += 1  # the API would not delete it: it goes to Trash with the ticket
        body: dict[str, Any] = {"subject": config.ERASED_TEXT, "description": config.ERASED_TEXT}
        texts = {
            k: config.ERASED_TEXT
            for k, v in (data.get("custom_fields") or {}).items()
            if isinstance(v, str) and v
        }
        if texts:
            body["custom_fields"] = texts
        updated = parse_iso(self.http.put(path, json=body).json().get("updated_at"))
        if updated is not None:  # our own change: its webhook echo is not a new edit
            self.own_writes.add(str(ticket_id), updated.isoformat())
        self.http.delete(path)
        until = (datetime.now(UTC) + timedelta(days=config.TRASH_DAYS)).date().isoformat()
        gone = len(conversations) - kept
        talk = (
            _store("conversations", "destroyed", f"{gone} deleted for good")
            if not kept
            else _store(
                "conversations",
                "remains",
                f"{gone} deleted for good, {kept} the API would not delete stay in Trash "
                "with the ticket",
                until,
            )
        )
        return [
            _store("record", "destroyed", "subject, description and text fields overwritten"),
            talk,
            _store("attachments", "destroyed", f"{len(files)} deleted for good"),
            _store(
                "trash",
                "remains",
                "Freshdesk keeps the deleted ticket (overwritten, without conversations and "
                "attachments) in Trash; the contact's hard delete removes it sooner",
                until,
            ),
        ]

    def _delete_archived(self, ticket_id: str) -> list[dict[str, str]]:
        """Delete an archived ticket for good (its conversations and attachments go with
        it); NotFound when it is not archived either."""
        path = config.ENDPOINTS["archived_ticket"].format(id=ticket_id)
        self.http.get(path)  # NotFound: neither live nor archived, so gone already
        self.http.delete(path)
        return [
            _store("record", "destroyed", "the ticket was archived"),
            _store(
                "archive",
                "destroyed",
                "archived ticket deleted for good, with its conversations and attachments",
            ),
        ]

    def _delete_quietly(self, path: str) -> None:
        """A permanent delete where a 404 (gone already) is as good as done."""
        try:
            self.http.delete(path)
        except NotFound:
            pass

    @staticmethod
    def _trash_until(data: dict[str, Any]) -> str:
        """When Freshdesk drops a ticket that is in Trash (counted from its last change)."""
        since = parse_iso(data.get("updated_at")) or datetime.now(UTC)
        return (since + timedelta(days=config.TRASH_DAYS)).date().isoformat()

    def erase_contact(self, id_or_email: str) -> list[dict[str, Any]]:
        """Soft delete, then hard delete with `force=true`: the profile and their tickets
        (live, in Trash) with conversations, notes and calls are gone for good:
        support.freshdesk.com/en/support/solutions/articles/227558 ("Delete forever").

        Then every ticket is listed for the person's addresses in another ticket's CC
        (``config.CC_FIELDS``): the API cannot remove them, so each such ticket is named
        (by id) as a copy that remains until that ticket itself is deleted."""
        contact_id = self._contact_id(id_or_email)
        addresses = self._contact_addresses(contact_id, id_or_email)
        try:
            self.http.delete(config.ENDPOINTS["contact"].format(id=contact_id))
        except NotFound:
            pass  # already soft-deleted: the hard delete below decides
        path = config.ENDPOINTS["contact_hard_delete"].format(id=contact_id)
        self.http.delete(path, params={"force": "true"})
        stores: list[dict[str, Any]] = [
            _store("contact", "destroyed", "contact hard-deleted"),
            _store("tickets", "destroyed", "the contact's tickets, also those in Trash"),
        ]
        held = self._cc_tickets(addresses)
        if held:
            entry = _store(
                "cc",
                "remains",
                f"the address stays in the CC of {len(held)} tickets of other people: "
                "Freshdesk's Update a ticket cannot change cc_emails, fwd_emails or "
                "reply_cc_emails; it goes when those tickets are deleted",
            )
            stores.append({**entry, "refs": held})
        return stores

    def _contact_addresses(self, contact_id: str, id_or_email: str) -> set[str]:
        """The contact's e-mail addresses (lower case), read before the delete."""
        found = {id_or_email.lower()} if "@" in id_or_email else set()
        try:
            data = self.http.get(config.ENDPOINTS["contact"].format(id=contact_id)).json()
        except NotFound:
            return found
        for value in (data.get("email"), *(data.get("other_emails") or [])):
            if isinstance(value, str) and "@" in value:
                found.add(value.lower())
        return found

    def _cc_tickets(self, addresses: set[str]) -> list[str]:
        """Ids of live tickets that carry one of ``addresses`` in a CC field (after the hard
        delete, so the person's own tickets are gone already)."""
        if not addresses:
            return []
        held = []
        for item in self._ticket_pages(config.CC_SCAN_SINCE):
            if _cc_addresses(item) & addresses:
                held.append(str(item["id"]))
        return held

    def find_named_copies(self, store: str, refs: Iterable[str]) -> bool:
        """``cc``: whether a ticket the evidence named as carrying the person in its CC still
        exists (live, in Trash or archived) with a CC list."""
        if store != "cc":
            return False
        for ref in refs:
            if not str(ref).isdigit():
                continue
            try:
                data = self.http.get(config.ENDPOINTS["ticket"].format(id=ref)).json()
            except NotFound:
                try:
                    data = self.http.get(config.ENDPOINTS["archived_ticket"].format(id=ref)).json()
                except NotFound:
                    continue
            if _cc_addresses(data):
                return True
        return False

    def anonymise_contact(self, contact_id: str, values: Mapping[str, str]) -> None:
        """PUT masked values (Freshdesk has no anonymise endpoint)."""
        self.http.put(config.ENDPOINTS["contact"].format(id=contact_id), json=dict(values))

    def update_contact(self, contact_id: str, values: Mapping[str, str]) -> None:
        """PUT /api/v2/contacts/{id} with name, email and/or phone (Freshdesk's own keys)."""
        body = contact_values(self.name, values)
        if body:
            self.http.put(config.ENDPOINTS["contact"].format(id=contact_id), json=body)

    def _contact_id(self, id_or_email: str) -> str:
        if "@" not in id_or_email:
            return id_or_email
        found = self.http.get(config.ENDPOINTS["contacts"], params={"email": id_or_email}).json()
        if not found:
            raise NotFound(self.name, "no contact with that e-mail", status=404)
        return str(found[0]["id"])

    def close(self) -> None:
        """Close the HTTP session."""
        self.http.close()


_PAGE_LIMIT: Any = object()


def _cc_addresses(ticket: Mapping[str, Any]) -> set[str]:
    """Every address in a ticket's CC fields, lower case ("Name <a@b>" forms included)."""
    values = [str(v) for field in config.CC_FIELDS for v in ticket.get(field) or []]
    return {address.lower() for _name, address in getaddresses(values) if "@" in address}


def _agent(data: dict, agent_id: str) -> VendorAgent:
    """A View Agent answer as a VendorAgent."""
    contact = data.get("contact") or {}
    return VendorAgent(
        external_id=str(data.get("id", agent_id)),
        email=contact.get("email"),
        group_ids=tuple(str(g) for g in data.get("group_ids") or []),
        active=bool(contact.get("active", True)),
    )
