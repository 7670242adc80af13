"""The fields of a vendor ticket as Datavagt classifies them: name -> text form."""

from __future__ import annotations

from dataclasses import dataclass

from plugin.classify import field_text
from plugin.vendors.contract import Adapter, VendorTicket

CONVERSATION_PREFIX = "conversation."


@dataclass(frozen=True)
class TicketField:
    """One classifiable field: its text form, whether it is HTML, whether we may write it."""

    name: str
    text: str
    is_html: bool
    writable: bool


def clean(text: str) -> str:
    """Replace lone surrogates (invalid UTF-8 that JSON let through) one-for-one with '?',
    so offsets stay valid and the text can be encrypted and written back."""
    return text.encode("utf-8", "replace").decode("utf-8")


def ticket_fields(adapter: Adapter, ticket: VendorTicket) -> list[TicketField]:
    """Ticket fields then conversations; a conversation is writable when the adapter says
    the vendor lets us edit it (``Adapter.write_conversation``), e.g. Freshdesk notes."""
    out = [
        TicketField(
            name, field_text(value.text, value.is_html), value.is_html, adapter.can_write(name)
        )
        for name, value in ticket.fields.items()
    ]
    for convo in ticket.conversations:
        out.append(
            TicketField(
                CONVERSATION_PREFIX + convo.external_id,
                clean(field_text(convo.body.text, convo.body.is_html)),
                convo.body.is_html,
                convo.writable,
            )
        )
    return out
