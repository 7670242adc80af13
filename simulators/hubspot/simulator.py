"""A stateful HubSpot CRM simulator: tickets, contacts, e-mails and notes, associations,
signed webhooks."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response, has_request_context, request

from adapters.hubspot.signature import sign_v1, sign_v3
from simulators.common.base import VendorSimulator
from simulators.common.webhooks import DeliveryPolicy
from simulators.common.window import WindowState
from simulators.hubspot.openapi import SpecValidator
from simulators.hubspot.sim_answers import error as _error
from simulators.hubspot.sim_answers import json_response as _json
from simulators.hubspot.sim_answers import now as _now
from simulators.hubspot.sim_engagements import EngagementsMixin
from simulators.hubspot.sim_gdpr import GdprMixin

RECYCLE_BIN_DAYS = 90  # see purge_recycle_bin

# Writable contact properties the simulated portal defines (HubSpot's default contact ones).
CONTACT_PROPERTIES = frozenset(
    "email firstname lastname phone mobilephone address city zip state country company"
    " jobtitle website lifecyclestage".split()
)


class HubSpotSimulator(GdprMixin, EngagementsMixin, VendorSimulator):
    """HubSpot's CRM endpoints with its answers, limits and v3-signed webhooks."""

    vendor = "hubspot"
    # Per private app, 10-second rolling window: 100 requests on Free/Starter, 190 on
    # Professional/Enterprise (the default), 200 with the API limit increase
    # (developers.hubspot.com/docs/apps/legacy-apps/private-apps/overview). Over it a 429
    # whose body names policyName TEN_SECONDLY_ROLLING, without Retry-After; answers carry
    # X-HubSpot-RateLimit-Max/-Remaining/-Interval-Milliseconds
    # (developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines).
    sliding_window = True
    delivery_policy = DeliveryPolicy(max_attempts=10, retry_statuses=None, delay=0.05)

    def __init__(
        self,
        *,
        token: str = "sim-hubspot-token",  # noqa: S107 - simulator default
        client_secret: str = "sim-hubspot-secret",  # noqa: S107 - simulator default
        app_id: int = 424242,
        portal_id: int = 62515,
        spec_dir: Path | None = None,
        rate_limit: int = 190,
        rate_window: float = 10.0,
        **kwargs: Any,
    ) -> None:
        self.token = token
        self.client_secret = client_secret
        self.app_id = app_id
        self.portal_id = portal_id
        self.validator = SpecValidator(spec_dir) if spec_dir else None
        super().__init__(rate_limit=rate_limit, rate_window=rate_window, **kwargs)
        # Which signatures a delivery carries: "v1+v3" as HubSpot signs webhooks API calls
        # today, "v1" as an app from before v3 (to exercise legacy-only deliveries).
        self.config["signatures"] = "v1+v3"
        if self.validator:
            self.app.after_request(self._validate_response)

    @property
    def contract_errors(self) -> list[str]:
        """OpenAPI violations seen so far (requests and our answers)."""
        return list(self.validator.errors) if self.validator else []

    def sidecar_settings(self) -> dict[str, str]:
        """The DATAVAGT_HUBSPOT_* values that point the sidecar at this simulator."""
        return {
            "base_url": self.url,
            "token": self.token,
            "client_secret": self.client_secret,
            "app_id": str(self.app_id),
        }

    # -- data -------------------------------------------------------------------------
    def reset_data(self) -> None:
        """Empty the portal."""
        with self.lock:
            self.tickets: dict[str, dict[str, Any]] = {}
            self.contacts: dict[str, dict[str, Any]] = {}
            self.links: dict[str, list[str]] = {}
            self.blocklist: list[str] = []
            self._next_id = 1000
            self._next_event = 1
        self.reset_engagements()
        self.reset_gdpr()

    def _new_id(self) -> str:
        with self.lock:
            self._next_id += 1
            return str(self._next_id)

    def _record(self, properties: dict[str, Any]) -> dict[str, Any]:
        stamp = _now()
        rid = self._new_id()
        props = {k: None if v is None else str(v) for k, v in properties.items()}
        props.update(hs_object_id=rid, createdate=stamp, hs_lastmodifieddate=stamp)
        record = {
            "id": rid,
            "properties": props,
            "createdAt": stamp,
            "updatedAt": stamp,
            "archived": False,
        }
        self.remember(record, props, "CRM_UI")
        return record

    def add_contact(self, **properties: Any) -> str:
        """Create a contact; returns its id."""
        record = self._record(properties)
        with self.lock:
            self.contacts[record["id"]] = record
        self._webhook("contact.creation", record["id"])
        return record["id"]

    def add_ticket(
        self, subject: str, content: str, contact_id: str | None = None, **properties: Any
    ) -> str:
        """Create a ticket, associated with a contact when given."""
        props = {
            "subject": subject,
            "content": content,
            "hs_pipeline": "0",
            "hs_pipeline_stage": "1",
            "hs_ticket_priority": "MEDIUM",
            **properties,
        }
        record = self._record(props)
        with self.lock:
            self.tickets[record["id"]] = record
            self.links[record["id"]] = [contact_id] if contact_id else []
        self._webhook("ticket.creation", record["id"])
        return record["id"]

    def snapshot(self) -> dict[str, Any]:
        """Every record, for inspection."""
        return {
            "tickets": list(self.tickets.values()),
            "contacts": list(self.contacts.values()),
            "associations": self.links,
            "emails": list(self.engagements["emails"].values()),
            "notes": list(self.engagements["notes"].values()),
            "blocklist": self.blocklist,
            "files": list(self.files.values()),
            "threads": list(self.threads.values()),
        }

    def purge_recycle_bin(self, now: datetime | None = None) -> list[str]:
        """Drop the tickets archived RECYCLE_BIN_DAYS ago: HubSpot restores deleted tickets only
        within 90 days of deletion (DELETE /crm/v3/objects/tickets/{ticketId} moves a ticket to
        the recycling bin):
        https://developers.hubspot.com/docs/api-reference/2026-03/crm/objects/tickets/delete-ticket.md
        https://developers.hubspot.com/docs/api-reference/legacy/crm/objects/tickets/batch/delete-tickets
        """
        cutoff = (now or datetime.now(UTC)) - timedelta(days=RECYCLE_BIN_DAYS)
        with self.lock:
            gone = [
                tid
                for tid, t in self.tickets.items()
                if t.get("archivedAt") and datetime.fromisoformat(t["archivedAt"]) <= cutoff
            ]
            for tid in gone:
                del self.tickets[tid]
                self.links.pop(tid, None)
            # Archived e-mails and notes sit in the same recycling bin for as long.
            for records in self.engagements.values():
                for rid in [
                    r
                    for r, row in records.items()
                    if row.get("archivedAt") and datetime.fromisoformat(row["archivedAt"]) <= cutoff
                ]:
                    del records[rid]
        return gone

    def seed_demo(self) -> dict[str, Any]:
        """Load the demo tickets."""
        from simulators.hubspot.seed import seed

        return seed(self)

    # -- webhooks ---------------------------------------------------------------------
    def _webhook(self, subscription_type: str, object_id: str | None, **extra: Any) -> None:
        """Queue one v3-signed event; association changes carry no ``objectId``."""
        with self.lock:
            event_id = self._next_event
            self._next_event += 1
        occurred = int(time.time() * 1000)
        api = has_request_context() and getattr(request, "_sim_api", False)
        source = "INTEGRATION" if api else "CRM_UI"

        def build(attempt: int) -> tuple[str, dict[str, str], bytes]:
            event = {
                "eventId": event_id,
                "subscriptionId": 1000 + len(subscription_type),
                "portalId": self.portal_id,
                "appId": self.app_id,
                "occurredAt": occurred,
                "subscriptionType": subscription_type,
                "attemptNumber": attempt,
                **({} if object_id is None else {"objectId": int(object_id)}),
                "changeSource": source,
                "sourceId": str(self.app_id) if source == "INTEGRATION" else "userId:1",
                **extra,
            }
            body = json.dumps([event]).encode()
            url = str(self.config["webhook_url"])
            return url, self.signed_headers(url, body), body

        self.notify(build)

    def signed_headers(self, url: str, body: bytes) -> dict[str, str]:
        """The headers HubSpot sends with a webhooks API call (developers.hubspot.com/docs/
        apps/legacy-apps/authentication/validating-requests): the v1 signature with
        ``X-HubSpot-Signature-Version: v1`` "for backwards compatibility", and the v3
        signature with its millisecond timestamp (signed over the decoded URI)."""
        headers = {
            "Content-Type": "application/json",
            "X-HubSpot-Signature-Version": "v1",
            "X-HubSpot-Signature": sign_v1(self.client_secret, body),
        }
        if "v3" in str(self.config.get("signatures") or ""):
            stamp = str(int(time.time() * 1000))
            headers["X-HubSpot-Request-Timestamp"] = stamp
            headers["X-HubSpot-Signature-v3"] = sign_v3(
                self.client_secret, "POST", url, body, stamp
            )
        return headers

    # -- vendor behaviour -------------------------------------------------------------
    def authenticate(self) -> Response | None:
        """Bearer private-app token; invalid requests are checked against the spec."""
        request._sim_api = True  # type: ignore[attr-defined]
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _error(
                401,
                "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
                "INVALID_AUTHENTICATION",
            )
        if self.validator:
            problem = self.validator.check_request(request)
            if problem:
                return _error(400, "Invalid input JSON on request", "VALIDATION_ERROR")
        return None

    def rate_headers(self, state: WindowState) -> dict[str, str]:
        """Ten-secondly and daily headers."""
        return {
            "X-HubSpot-RateLimit-Max": str(state.limit),
            "X-HubSpot-RateLimit-Remaining": str(state.remaining),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(int(self.window.window * 1000)),
            "X-HubSpot-RateLimit-Daily": "1000000",
            "X-HubSpot-RateLimit-Daily-Remaining": "999000",
            "X-HubSpot-Correlation-Id": str(uuid.uuid4()),
        }

    def rate_limited(self, state: WindowState) -> Response:
        """The documented ten_secondly_rolling body (HubSpot sends no Retry-After)."""
        return _json(
            {
                "status": "error",
                "message": "You have reached your ten_secondly_rolling limit.",
                "errorType": "RATE_LIMIT",
                "correlationId": str(uuid.uuid4()),
                "policyName": "TEN_SECONDLY_ROLLING",
            },
            429,
        )

    def server_error(self, status: int) -> Response:
        """HubSpot's error shape."""
        return _error(status, "internal error", "INTERNAL_ERROR")

    def _validate_response(self, response: Response) -> Response:
        if self.validator and not request.path.startswith("/_sim/"):
            self.validator.check_response(request, response)
        return response

    # -- routes -----------------------------------------------------------------------
    def register_routes(self, app: Flask) -> None:
        """The CRM endpoints the adapter uses."""
        base = "/crm/v3/objects"
        app.add_url_rule(f"{base}/tickets", view_func=self._list, methods=["GET"])
        app.add_url_rule(f"{base}/tickets", view_func=self._create_ticket, methods=["POST"])
        app.add_url_rule(f"{base}/contacts", view_func=self._create_contact, methods=["POST"])
        app.add_url_rule(f"{base}/tickets/search", view_func=self._search, methods=["POST"])
        app.add_url_rule(
            f"{base}/tickets/<ticketId>", view_func=self._ticket, methods=["GET", "PATCH", "DELETE"]
        )
        app.add_url_rule(
            f"{base}/contacts/gdpr-delete", view_func=self._gdpr_delete, methods=["POST"]
        )
        app.add_url_rule(
            f"{base}/contacts/<contactId>",
            view_func=self._contact,
            methods=["GET", "PATCH", "DELETE"],
        )
        app.add_url_rule(
            "/crm/v4/objects/<objectType>/<objectId>/associations/<toObjectType>",
            view_func=self._associations,
            methods=["GET"],
        )
        self.register_engagement_routes(app)
        self.register_gdpr_routes(app)

    @staticmethod
    def _render(record: dict[str, Any]) -> dict[str, Any]:
        wanted = [p for p in request.args.get("properties", "").split(",") if p]
        props = record["properties"]
        shown = {k: props[k] for k in wanted if props.get(k) is not None} if wanted else props
        body = {**record, "properties": {k: v for k, v in shown.items() if v is not None}}
        return GdprMixin.with_history(record, body)

    def _page(self, items: list[dict[str, Any]], after: int, limit: int) -> dict[str, Any]:
        chunk = items[after : after + limit]
        body: dict[str, Any] = {"results": chunk}
        if after + limit < len(items):
            nxt = str(after + limit)
            body["paging"] = {"next": {"after": nxt, "link": f"{request.base_url}?after={nxt}"}}
        return body

    def _list(self) -> Response:
        limit = min(int(request.args.get("limit", "10")), 100)
        after = int(request.args.get("after", "0") or 0)
        with self.lock:
            items = [self._render(t) for t in self.tickets.values() if not t["archived"]]
        return _json(self._page(items, after, limit))

    def _search(self) -> Response:
        body = request.get_json(silent=True) or {}
        limit = min(int(body.get("limit") or 10), 200)
        after = int(body.get("after") or 0)
        since = None
        for group in body.get("filterGroups") or []:
            for flt in group.get("filters") or []:
                if (
                    flt.get("propertyName") == "hs_lastmodifieddate"
                    and flt.get("operator") == "GTE"
                ):
                    since = int(flt["value"])
        with self.lock:
            items = [t for t in self.tickets.values() if not t["archived"]]
            if since is not None:
                items = [t for t in items if _ms(t["properties"]["hs_lastmodifieddate"]) >= since]
            items.sort(key=lambda t: (t["properties"]["hs_lastmodifieddate"], int(t["id"])))
            wanted = body.get("properties") or ["subject", "content"]
            rendered = [
                {
                    **t,
                    "properties": {k: t["properties"][k] for k in wanted if t["properties"].get(k)},
                }
                for t in items
            ]
        page = self._page(rendered, after, limit)
        return _json({"total": len(rendered), **page})

    def _ticket(self, ticketId: str) -> Response:  # noqa: N803 - the spec's name
        with self.lock:
            ticket = self.tickets.get(ticketId)
            wants_archived = request.method == "GET" and request.args.get("archived") == "true"
            if ticket is None or ticket["archived"] != wants_archived:
                return _error(404, "resource not found", "OBJECT_NOT_FOUND")
            if request.method == "GET":
                return _json(self._render(ticket))
            if request.method == "DELETE":
                ticket["archived"] = True
                ticket["archivedAt"] = _now()
            else:
                props = (request.get_json(silent=True) or {}).get("properties") or {}
                self.remember(ticket, props)
                ticket["properties"].update({k: str(v) for k, v in props.items()})
                ticket["updatedAt"] = ticket["properties"]["hs_lastmodifieddate"] = _now()
        if request.method == "DELETE":
            self._webhook("ticket.deletion", ticketId)
            return Response(status=204)
        for name, value in props.items():
            self._webhook(
                "ticket.propertyChange", ticketId, propertyName=name, propertyValue=str(value)
            )
        return _json(self._render(ticket))

    def _create_ticket(self) -> Response:
        """Create a ticket; associations to contacts use type 16 (ticket to contact)."""
        body = request.get_json(silent=True) or {}
        props = dict(body.get("properties") or {})
        contacts = [str(a["to"]["id"]) for a in body.get("associations") or [] if a.get("to")]
        with self.lock:
            unknown = [c for c in contacts if c not in self.contacts]
        if unknown:
            return _error(400, "One or more associated objects do not exist", "VALIDATION_ERROR")
        subject = str(props.pop("subject", "") or "")
        content = str(props.pop("content", "") or "")
        tid = self.add_ticket(subject, content, contacts[0] if contacts else None, **props)
        with self.lock:
            return _json(self._render(self.tickets[tid]), 201)

    def _create_contact(self) -> Response:
        """Create a contact; a known e-mail is a 409 naming the existing id."""
        props = dict((request.get_json(silent=True) or {}).get("properties") or {})
        email = str(props.get("email") or "").lower()
        with self.lock:
            existing = [
                c["id"]
                for c in self.contacts.values()
                if email and (c["properties"].get("email") or "").lower() == email
            ]
        if existing:
            return _error(409, f"Contact already exists. Existing ID: {existing[0]}", "CONFLICT")
        cid = self.add_contact(**props)
        with self.lock:
            return _json(self._render(self.contacts[cid]), 201)

    def _contact(self, contactId: str) -> Response:  # noqa: N803
        with self.lock:
            contact = self.contacts.get(contactId)
            if request.args.get("idProperty") == "email" and request.method == "GET":
                found = [
                    c
                    for c in self.contacts.values()
                    if (c["properties"].get("email") or "").lower() == contactId.lower()
                ]
                contact = found[0] if found else None
            if contact is None or contact["archived"]:
                return _error(404, "resource not found", "OBJECT_NOT_FOUND")
            if request.method == "GET":
                return _json(self._render(contact))
            if request.method == "DELETE":
                contact["archived"] = True
                return Response(status=204)
            props = (request.get_json(silent=True) or {}).get("properties") or {}
            # "Read-only and non-existent properties will result in an error" (the spec).
            bad = sorted(set(props) - CONTACT_PROPERTIES)
            if bad:
                detail = [{"isValid": False, "name": bad[0], "error": "PROPERTY_DOESNT_EXIST"}]
                message = f"Property values were not valid: {json.dumps(detail)}"
                return _error(400, message, "VALIDATION_ERROR")
            self.remember(contact, props)
            contact["properties"].update({k: str(v) for k, v in props.items()})
            contact["updatedAt"] = contact["properties"]["hs_lastmodifieddate"] = _now()
            return _json(self._render(contact))

    def _gdpr_delete(self) -> Response:
        body = request.get_json(silent=True) or {}
        object_id = str(body.get("objectId") or "")
        by_email = body.get("idProperty") == "email"
        with self.lock:
            match = [
                c
                for c in self.contacts.values()
                if (c["properties"].get("email") == object_id if by_email else c["id"] == object_id)
            ]
            if not match:
                if not by_email:
                    return _error(404, "resource not found", "OBJECT_NOT_FOUND")
                self.blocklist.append(object_id)
                return Response(status=204)
            contact = match[0]
            del self.contacts[contact["id"]]
            for links in self.links.values():
                if contact["id"] in links:
                    links.remove(contact["id"])
        self._webhook("contact.privacyDeletion", contact["id"])
        return Response(status=204)

    def _associations(self, objectType: str, objectId: str, toObjectType: str) -> Response:  # noqa: N803
        """A ticket's contacts, e-mails or notes, at most 500 a page (`after` cursor)."""
        try:
            limit = min(max(int(request.args.get("limit", "500")), 1), 500)
            after = int(request.args.get("after", "0") or 0)
        except ValueError:
            return _error(400, "Invalid input: limit and after", "VALIDATION_ERROR")
        if objectType not in ("tickets", "ticket"):
            return _json({"results": []})
        with self.lock:
            if objectId not in self.tickets:
                return _error(404, "resource not found", "OBJECT_NOT_FOUND")
            contacts = list(self.links.get(objectId, []))
        to = toObjectType if toObjectType.endswith("s") else toObjectType + "s"
        if to == "contacts":
            kind = [{"category": "HUBSPOT_DEFINED", "typeId": 16}]
            results = [{"toObjectId": cid, "associationTypes": kind} for cid in contacts]
        elif to in ("emails", "notes"):
            results = self.ticket_engagement_links(objectId, to)
        else:
            results = []
        return _json(self._page(results, after, limit))


def _ms(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000)
