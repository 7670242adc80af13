"""The contract every vendor adapter implements; the core sees vendors only through it."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar

from plugin.vendors.errors import (
    AdapterConfigError,
    AdapterError,
    CredentialsError,
    NotFound,
    RateLimited,
    UnknownAdapterError,
    WebhookAuthError,
    WebhookPayloadError,
)

__all__ = [
    "Adapter",
    "AdapterConfigError",
    "AdapterError",
    "CONTACT_KEYS",
    "Conversation",
    "CredentialsError",
    "FieldValue",
    "NotFound",
    "RateLimited",
    "UnknownAdapterError",
    "VendorAgent",
    "VendorContact",
    "VendorTicket",
    "WebhookAuthError",
    "WebhookEvent",
    "WebhookPayloadError",
    "WebhookRequest",
    "contact_values",
    "first_last",
]


# The keys ``Adapter.update_contact`` accepts; each adapter maps them to its vendor's fields.
CONTACT_KEYS = frozenset({"email", "phone", "name"})


def contact_values(vendor: str, values: Mapping[str, str]) -> dict[str, str]:
    """``values`` for ``update_contact`` as a dict; AdapterError on a key it does not take."""
    unknown = sorted(set(values) - CONTACT_KEYS)
    if unknown:
        raise AdapterError(vendor, f"contact field {unknown[0]!r} cannot be updated")
    return dict(values)


def first_last(name: str) -> tuple[str, str]:
    """A full name split for vendors with first/last name fields (rest goes to the last)."""
    first, _, last = name.strip().partition(" ")
    return first, last.strip()


@dataclass(frozen=True)
class WebhookEvent:
    """One normalised vendor event: ids and kind only, never record content."""

    vendor: str
    event_key: str
    kind: str  # created | updated | deleted | privacy_deletion
    object_type: str  # ticket | contact
    object_id: str
    occurred_at: datetime | None = None
    change_source: str | None = None
    attempt: int | None = None
    actor: str | None = None  # HubSpot sourceId, Dynamics InitiatingUserId

    def to_payload(self) -> dict[str, Any]:
        """Return the JSON-safe form stored in the inbox."""
        return {
            "vendor": self.vendor,
            "event_key": self.event_key,
            "kind": self.kind,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "occurred_at": self.occurred_at.isoformat() if self.occurred_at else None,
            "change_source": self.change_source,
            "attempt": self.attempt,
            "actor": self.actor,
        }


@dataclass(frozen=True)
class WebhookRequest:
    """What a webhook check needs: method, URL as the vendor called it, headers, raw body."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        """Return a header case-insensitively (the first one, if the name repeats)."""
        return self._by_lowered_name.get(name.lower())

    @cached_property
    def _by_lowered_name(self) -> dict[str, str]:
        # Built once: checks read several headers, and walking them per lookup is costly
        # (Flask's request.headers walks the whole WSGI environ on every iteration).
        lowered: dict[str, str] = {}
        for key, value in self.headers.items():
            lowered.setdefault(key.lower(), value)
        return lowered


@dataclass(frozen=True)
class FieldValue:
    """A ticket field's text and whether it is HTML."""

    text: str
    is_html: bool = False


@dataclass
class VendorContact:
    """A requester or contact as the vendor holds it."""

    external_id: str
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class VendorAgent:
    """An agent (helpdesk user) as the vendor's API describes them: who they are, read
    server-side, never what a browser says."""

    external_id: str
    email: str | None
    group_ids: tuple[str, ...] = ()
    active: bool = True


@dataclass
class Conversation:
    """A reply or note on a ticket; `writable` when the vendor API lets us rewrite it."""

    external_id: str
    body: FieldValue
    incoming: bool = False
    private: bool = False
    author_id: str | None = None
    created_at: datetime | None = None
    writable: bool = False


@dataclass
class VendorTicket:
    """A ticket or case read from the vendor API (the source of truth)."""

    vendor: str
    external_id: str
    subject: str | None
    fields: dict[str, FieldValue]
    requester: VendorContact | None = None
    conversations: list[Conversation] = field(default_factory=list)
    status: str | None = None
    closed: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    ticket_type: str | None = None  # Freshdesk type, Dynamics casetypecode
    pipeline: str | None = None  # HubSpot pipeline
    pipeline_stage: str | None = None


class Adapter(ABC):
    """A vendor adapter: webhook checks and parsing, ticket reads, writes and erasure."""

    name: ClassVar[str]
    writable_fields: ClassVar[frozenset[str]] = frozenset()
    #: Whether :meth:`write_conversation` can rewrite some conversations (Freshdesk notes).
    edits_conversations: ClassVar[bool] = False

    @classmethod
    @abstractmethod
    def from_settings(cls, settings: Mapping[str, str]) -> Adapter:
        """Build from the vendor's settings; raise AdapterConfigError naming a missing one."""

    @classmethod
    def required_settings(cls) -> tuple[str, ...]:
        """Setting names (lower-case, prefix stripped) that must all be set."""
        return ()

    @abstractmethod
    def verify_webhook(self, request: WebhookRequest) -> None:
        """Raise WebhookAuthError unless the call comes from the vendor."""

    @abstractmethod
    def parse_webhook(
        self, body: bytes, headers: Mapping[str, str], received_at: datetime | None = None
    ) -> list[WebhookEvent]:
        """Normalise a webhook body into events; raise WebhookPayloadError if malformed."""

    @abstractmethod
    def get_ticket(self, ticket_id: str) -> VendorTicket:
        """Read one ticket with its requester and conversations."""

    def get_agent(self, agent_id: str) -> VendorAgent:
        """The agent with this id, from the vendor's API; NotFound when there is none.

        Adapters whose agents are verified another way (signed requests, tokens) keep this.
        """
        raise AdapterError(self.name, "this adapter cannot look agents up")

    def record_exists(self, object_type: str, object_id: str) -> bool:
        """Whether the vendor still holds the ticket or contact (False: deleted or in trash).

        A deletion event is a hint: it takes effect only when this answers False. Transport
        errors raise (the event is retried). The default reads a ticket in full and cannot
        confirm contacts; the built-in adapters override it with one light read each.
        """
        if object_type != "ticket":
            raise AdapterError(self.name, f"cannot confirm that a {object_type} was deleted")
        try:
            self.get_ticket(object_id)
        except NotFound:
            return False
        return True

    def find_copies(self, object_type: str, object_id: str) -> list[str]:
        """The vendor stores that still hold the ticket or contact (``record``, ``trash``,
        ``archive``, ``recycle_bin``, ``audit``, ``conversations`` ...); [] when none does.

        Used by ``datavagt erasure verify``; the default knows only the record itself.
        """
        return ["record"] if self.record_exists(object_type, object_id) else []

    def find_named_copies(self, store: str, refs: Iterable[str]) -> bool:
        """Whether a copy the erasure evidence named by record ids (``refs``, e.g. Freshdesk
        tickets that keep the person in their CC) is still held; the default knows none."""
        return False

    @abstractmethod
    def iter_tickets(self, updated_since: datetime) -> Iterator[VendorTicket]:
        """Yield tickets updated since a moment, following the vendor's pagination."""

    def can_write(self, field_name: str) -> bool:
        """Return whether the vendor API lets us rewrite this field."""
        return field_name in self.writable_fields

    @abstractmethod
    def write_fields(self, ticket_id: str, values: Mapping[str, str]) -> None:
        """Rewrite ticket fields (e.g. with masked tokens)."""

    def write_conversation(self, ticket_id: str, conversation_id: str, body: str) -> None:
        """Rewrite one conversation's body; only those the adapter marked ``writable``.

        Adapters whose vendor API cannot edit conversations keep this default.
        """
        raise AdapterError(self.name, "this adapter cannot rewrite conversations")

    @abstractmethod
    def delete_ticket(self, ticket_id: str) -> list[dict[str, str]] | None:
        """Delete a ticket; raise NotFound when it is already gone.

        An adapter may return, per vendor store the ticket sat in, ``{store, state, reason,
        until}`` (state ``destroyed`` or ``remains``; ``until`` the ISO date the vendor drops a
        remaining copy, "" if none): the certificate lists them.
        """

    @abstractmethod
    def erase_contact(self, id_or_email: str) -> list[dict[str, str]] | None:
        """Erase a contact permanently; raise NotFound when it is already gone.

        May return per-store entries like ``delete_ticket`` does.
        """

    @abstractmethod
    def anonymise_contact(self, contact_id: str, values: Mapping[str, str]) -> None:
        """Overwrite a contact's personal fields with the given values."""

    def update_contact(self, contact_id: str, values: Mapping[str, str]) -> None:
        """Correct a contact's ``email``, ``phone`` and/or ``name`` (Art. 16 rectification).

        Adapters whose vendor API cannot change contacts keep this default.
        """
        raise AdapterError(self.name, "this adapter cannot update contacts (not supported)")

    def create_ticket(
        self, subject: str, fields: Mapping[str, str], requester: VendorContact
    ) -> str:
        """Open a ticket for ``requester`` (matched or created by e-mail); returns its id.

        ``fields["description"]`` is the ticket body; other keys are vendor field names.
        Adapters that cannot create tickets keep this default.
        """
        raise AdapterError(self.name, "this adapter cannot create tickets")

    @abstractmethod
    def is_own_change(self, event: WebhookEvent) -> bool:
        """Return whether an event echoes a change Datavagt itself made."""

    def close(self) -> None:  # noqa: B027 - optional hook, a no-op by default
        """Release the HTTP session."""
