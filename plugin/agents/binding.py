"""Which tickets an agent token may open: its vendor's, and the one it was launched from.

A token exchanged in a CRM widget names the vendor and the ticket the widget was opened on
(HubSpot's signed ``associatedObjectId``, the Freshdesk app's ticket, the Dynamics form's
case). Another ticket needs a role that is allowed to search (team lead, DPO and the roles
implying them). Tokens an admin mints (``datavagt agents token``, the demo) are not bound
to a ticket; with a vendor they still open only that vendor's tickets.
"""

from __future__ import annotations

from flask import current_app

from plugin.auth.guard import Actor
from plugin.errors import ApiError

SEARCH_ROLES = frozenset({"team_lead", "dpo"})


def may_search(actor: Actor) -> bool:
    """Whether the actor's role reaches tickets other than the one it was launched from."""
    held = current_app.extensions["datavagt.manifest"].implied_roles(actor.role or "")
    return bool(held & SEARCH_ROLES)


def authorize_ticket(actor: Actor, vendor: str, external_id: str) -> None:
    """403 unless the token may open this ticket (checked before any lookup: no oracle)."""
    if actor.vendor is not None and actor.vendor != vendor:
        raise ApiError(403, "forbidden", f"This sign-in is for {actor.vendor} tickets only")
    if actor.ticket_bound and actor.ticket != external_id and not may_search(actor):
        raise ApiError(403, "forbidden", "This sign-in is for the ticket the widget was opened on")
