"""HubSpot: a UI-extension card's ``hubspot.fetch`` request, signed with signature v3."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask import Request

from adapters.hubspot.signature import verify
from plugin.access.mapping import VendorIdentity
from plugin.agents.exchange.errors import ExchangeError
from plugin.vendors.contract import WebhookRequest
from plugin.vendors.errors import WebhookAuthError


def verify_hubspot(request: Request, called_url: str, settings: dict[str, str]) -> VendorIdentity:
    """Check the v3 signature (5-minute window) and read userId/userEmail/portalId."""
    secret = settings.get("client_secret")
    if not secret:
        raise ExchangeError("HubSpot exchange is not configured")
    webhook_request = WebhookRequest(
        method=request.method,
        url=called_url,  # sign_v3 decodes HubSpot's listed escapes itself
        # Only v3 counts here: v1/v2 carry no timestamp and v1 does not cover the URL.
        headers={
            k: v
            for k, v in request.headers.items()
            if k.lower() not in ("x-hubspot-signature", "x-hubspot-signature-version")
        },
        body=request.get_data(cache=True),
    )
    try:
        verify(webhook_request, secret)
    except WebhookAuthError as exc:
        raise ExchangeError(f"HubSpot signature refused: {exc}") from exc
    query = parse_qs(urlsplit(called_url).query)
    user_id = _single(query, "userId")
    portal_id = _single(query, "portalId")
    if not user_id or not user_id.isdigit() or not portal_id or not portal_id.isdigit():
        raise ExchangeError("signed request lacks userId or portalId")
    expected_portal = settings.get("portal_id")
    if expected_portal and portal_id != expected_portal:
        raise ExchangeError("request comes from another HubSpot portal")
    return VendorIdentity(vendor="hubspot", user_id=user_id, email=_single(query, "userEmail"))


# hubspot.fetch adds the record the card is shown on (developers.hubspot.com/docs/apps/
# developer-platform/add-features/ui-extensibility/fetching-data): tickets are "0-5".
TICKET_TYPES = frozenset({"0-5", "TICKET", "TICKETS"})


def signed_ticket(called_url: str) -> str | None:
    """The ticket id HubSpot signed into the query (``associatedObjectId``), if any."""
    query = parse_qs(urlsplit(called_url).query)
    kind = (_single(query, "associatedObjectType") or "").upper()
    object_id = _single(query, "associatedObjectId")
    if kind in TICKET_TYPES and object_id and object_id.isdigit() and len(object_id) <= 32:
        return object_id
    return None


def _single(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name) or []
    return values[0] if len(values) == 1 else None
