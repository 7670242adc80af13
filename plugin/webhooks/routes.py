"""`POST /webhooks/<vendor>`: authenticate, normalise, store in the inbox, answer fast."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue

from plugin.api.contract import documented
from plugin.errors import ApiError
from plugin.vendors.contract import Adapter, WebhookRequest
from plugin.vendors.errors import WebhookAuthError, WebhookPayloadError
from plugin.webhooks.inbox import StoreUnavailable, arriving, store_arrived

bp = Blueprint("webhooks", __name__)

# Per-vendor body limits: Dynamics drops payloads over 256 KB itself; HubSpot sends
# at most 100 small events; Freshdesk bodies are whatever the admin's rule writes.
BODY_LIMITS = {"dynamics": 512 * 1024, "hubspot": 1024 * 1024, "freshdesk": 1024 * 1024}
DEFAULT_LIMIT = 1024 * 1024


# Each vendor's own body (a Freshdesk rule's JSON, a HubSpot batch, a Dynamics
# RemoteExecutionContext): the adapters parse them, so the document only says "JSON".
WEBHOOK_BODY: dict[str, Any] = {
    "oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]
}


@bp.post("/webhooks/<vendor>")
@documented(
    summary="A vendor's webhook events, stored in the inbox (nothing else happens here)",
    tags=["webhooks"],
    body=WEBHOOK_BODY,
    errors=(400, 401, 404, 413, 503),
    auth="vendorWebhook",
    status=202,
)
def receive(vendor: str) -> ResponseReturnValue:
    """Store a vendor's webhook events; nothing else happens in the request."""
    adapter = _adapter(vendor)
    # Announced first, so a commit being grouped waits for this request while it parses.
    with arriving() as arrival:
        body = _body(vendor)
        try:
            adapter.verify_webhook(
                WebhookRequest(request.method, _called_url(), request.headers, body)
            )
        except WebhookAuthError as exc:
            raise ApiError(401, "unauthorized", f"webhook not authenticated: {exc}") from exc
        try:
            events = adapter.parse_webhook(body, request.headers)
        except WebhookPayloadError as exc:
            raise ApiError(400, "malformed_payload", str(exc)) from exc
        try:
            result = store_arrived(arrival, events)
        except StoreUnavailable as exc:
            # Nothing of this request was committed: the vendor retries on a 5xx.
            raise ApiError(503, "unavailable", "events could not be stored; retry later") from exc
    return jsonify({"accepted": result.accepted, "duplicates": result.duplicates}), 202


def _adapter(vendor: str) -> Adapter:
    """The enabled adapter for the vendor, else 404."""
    adapters: dict[str, Adapter] = current_app.extensions.get("datavagt.adapters", {})
    adapter = adapters.get(vendor)
    if adapter is None:
        raise ApiError(404, "not_found", "no enabled vendor with that name")
    return adapter


def _body(vendor: str) -> bytes:
    """Read the raw body, refusing more than the vendor's limit with 413."""
    limit = BODY_LIMITS.get(vendor, DEFAULT_LIMIT)
    too_large = ApiError(413, "payload_too_large", f"webhook bodies are limited to {limit} bytes")
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise too_large
    return body


def _called_url() -> str:
    """The URL as the vendor called it (DATAVAGT_PUBLIC_URL behind a proxy)."""
    settings = current_app.extensions.get("datavagt.settings")
    public = getattr(settings, "public_url", None)
    query = request.query_string.decode("latin-1")
    path = request.path + (f"?{query}" if query else "")
    if public:
        return public.rstrip("/") + path
    return request.host_url.rstrip("/") + path
