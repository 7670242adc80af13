"""A stateful Dataverse simulator: incidents, activities, contacts, Azure AD, webhooks, limits."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any
from urllib.parse import quote, urlencode

import jwt
from flask import Flask, Response, has_request_context, request

from simulators.common.base import VendorSimulator
from simulators.common.webhooks import DeliveryPolicy
from simulators.common.window import WindowState
from simulators.dynamics.aad import AzureAdSim
from simulators.dynamics.sim_activities import ActivitiesSim
from simulators.dynamics.sim_answers import error as _error
from simulators.dynamics.sim_answers import json_response as _json
from simulators.dynamics.sim_answers import now as _now
from simulators.dynamics.sim_gdpr import CONTACT_UPDATABLE, GdprSim

API = "/api/data/v9.2"
MAX_WEBHOOK_BYTES = 256 * 1024
_FILTER_GE = re.compile(r"^modifiedon ge (\S+)$")
_FILTER_CUSTOMER = re.compile(r"^_customerid_value eq ([0-9a-fA-F-]{36})$")
_FILTER_EMAIL = re.compile(r"^emailaddress1 eq '((?:[^']|'')*)'$")
_MAXPAGE = re.compile(r"odata\.maxpagesize=(\d+)")
_SKIP = re.compile(r'pagenumber="(\d+)"')
_BIND = re.compile(r"^/contacts\(([0-9a-fA-F-]{36})\)$")


CONTACT_TYPE = "Microsoft.Dynamics.CRM.contact"
# Contact columns a PATCH may set: those the metadata marks IsValidForUpdate.
CONTACT_COLUMNS = CONTACT_UPDATABLE


class DynamicsSimulator(GdprSim, ActivitiesSim, VendorSimulator):
    """Dataverse Web API and its Azure AD tenant on one local server."""

    vendor = "dynamics"
    # Service protection limits: 6000 requests per user in a 5-minute sliding window; over
    # it 429 Too Many Requests with Retry-After and error 0x80072322 (learn.microsoft.com/
    # power-apps/developer/data-platform/api-limits). Not modelled: the 20-minute combined
    # execution time and the 52 concurrent requests limits of the same page.
    sliding_window = True
    delivery_policy = DeliveryPolicy(
        max_attempts=2, retry_statuses=frozenset({502, 503, 504}), retry_on_connection_error=False
    )

    def __init__(
        self,
        *,
        tenant_id: str = "00000000-0000-4000-8000-00000000d365",
        client_id: str = "11111111-2222-4333-8444-555555555555",
        client_secret: str = "sim-dynamics-secret",  # noqa: S107 - simulator default
        webhook_key: str = "sim-webhook-key",
        webhook_header: str | None = None,
        token_ttl: int = 3600,
        rate_limit: int = 6000,
        rate_window: float = 300.0,
        **kwargs: Any,
    ) -> None:
        self.aad = AzureAdSim(tenant_id, client_id, client_secret, token_ttl)
        self.webhook_key = webhook_key
        self.webhook_header = webhook_header
        self.app_user_id = str(uuid.uuid4())
        self.org_id = str(uuid.uuid4())
        super().__init__(rate_limit=rate_limit, rate_window=rate_window, **kwargs)

    def start(self) -> DynamicsSimulator:
        """Serve, and fix the issuer to the bound URL."""
        super().start()
        self.aad.base_url = self.url
        return self

    def mint_user_token(self, upn: str, **kwargs: Any) -> str:
        """An Azure AD user token for this org (for agent-identity tests)."""
        kwargs.setdefault("audience", self.url)
        return self.aad.mint_user_token(upn, **kwargs)

    def sidecar_settings(self) -> dict[str, str]:
        """The DATAVAGT_DYNAMICS_* values that point the sidecar at this simulator."""
        settings = {
            "org_url": self.url,
            "authority_url": self.url,
            "tenant_id": self.aad.tenant_id,
            "client_id": self.aad.client_id,
            "client_secret": self.aad.client_secret,
            "webhook_key": self.webhook_key,
        }
        if self.webhook_header:
            settings["webhook_header"] = self.webhook_header
        return settings

    # -- data -------------------------------------------------------------------------
    def reset_data(self) -> None:
        """Empty the environment."""
        with self.lock:
            self.incidents: dict[str, dict[str, Any]] = {}
            self.contacts: dict[str, dict[str, Any]] = {}
            self._ticket_no = 1000
            self._reset_activities()
            self._reset_gdpr()

    def add_contact(
        self,
        firstname: str,
        lastname: str,
        email: str,
        phone: str | None = None,
        address: str | None = None,
        contact_id: str | None = None,
        **columns: Any,
    ) -> str:
        """Create a contact (a new id unless given; more columns by name); returns its id."""
        cid = contact_id or str(uuid.uuid4())
        with self.lock:
            self.contacts[cid] = {
                "contactid": cid,
                "firstname": firstname,
                "lastname": lastname,
                "fullname": f"{firstname} {lastname}",
                "emailaddress1": email,
                "telephone1": phone,
                "address1_composite": address,
                "createdon": _now(),
                "modifiedon": _now(),
                **columns,
            }
        self._webhook("contact", cid, "Create")
        return cid

    def add_incident(
        self,
        title: str,
        description: str,
        contact_id: str | None = None,
        statecode: int = 0,
        modifiedon: str | None = None,
    ) -> str:
        """Create a case; returns its id."""
        iid = str(uuid.uuid4())
        with self.lock:
            self._ticket_no += 1
            self.incidents[iid] = {
                "incidentid": iid,
                "title": title,
                "description": description,
                "ticketnumber": f"CAS-{self._ticket_no:05d}",
                "statecode": statecode,
                "statuscode": 1 if statecode == 0 else 5,
                "casetypecode": 1,
                "createdon": _now(),
                "modifiedon": modifiedon or _now(),
                "_customerid_value": contact_id,
            }
        self._webhook("incident", iid, "Create")
        return iid

    def snapshot(self) -> dict[str, Any]:
        """Every record, for inspection."""
        return {
            "incidents": list(self.incidents.values()),
            "contacts": list(self.contacts.values()),
            "emails": list(self.emails.values()),
            "annotations": list(self.annotations.values()),
            "activityparties": list(self.activityparties.values()),
            "audits": list(self.audits),
            "app_user_id": self.app_user_id,
        }

    def seed_demo(self) -> dict[str, Any]:
        """Load the demo cases."""
        from simulators.dynamics.seed import seed

        return seed(self)

    # -- webhooks ---------------------------------------------------------------------
    def _webhook(self, entity: str, record_id: str, message: str) -> None:
        """POST a RemoteExecutionContext as a registered step (PostOperation) would."""
        tables = {"incident": self.incidents, "contact": self.contacts}
        tables.update({"email": self.emails, "annotation": self.annotations})
        record = tables[entity].get(record_id, {})
        api = has_request_context() and getattr(request, "_sim_api", False)
        user = self.app_user_id if api else str(uuid.UUID(int=7))
        millis = int(time.time() * 1000)
        if entity in ("email", "annotation"):
            attributes = self._activity_attributes(entity, record)
        else:
            attributes = [{"key": k, "value": v} for k, v in record.items() if v is not None]
        context: dict[str, Any] = {
            "BusinessUnitId": str(uuid.UUID(int=1)),
            "CorrelationId": str(uuid.uuid4()),
            "Depth": 1,
            "InitiatingUserId": user,
            "UserId": user,
            "IsExecutingOffline": False,
            "MessageName": message,
            "Mode": 1,
            "OperationCreatedOn": f"/Date({millis})/",
            "OperationId": str(uuid.uuid4()),
            "OrganizationId": self.org_id,
            "OrganizationName": "datavagtsim",
            "PrimaryEntityId": record_id,
            "PrimaryEntityName": entity,
            "RequestId": str(uuid.uuid4()),
            "Stage": 40,
            "InputParameters": [
                {
                    "key": "Target",
                    "value": {
                        "__type": "Entity:http://schemas.microsoft.com/xrm/2011/Contracts",
                        "Attributes": attributes,
                        "Id": record_id,
                        "LogicalName": entity,
                    },
                }
            ]
            if message != "Delete"
            else [
                {
                    "key": "Target",
                    "value": {
                        "__type": "EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts",
                        "Id": record_id,
                        "LogicalName": entity,
                    },
                }
            ],
            "PostEntityImages": [],
            "PreEntityImages": [],
            "ParentContext": None,
        }
        headers = {
            "Content-Type": "application/json",
            "x-ms-dynamics-organization": "datavagtsim",
            "x-ms-dynamics-entity-name": entity,
            "x-ms-dynamics-request-name": message,
            "x-ms-correlation-request-id": context["CorrelationId"],
        }
        body = json.dumps(context).encode()
        if len(body) > MAX_WEBHOOK_BYTES:
            for key in ("InputParameters", "ParentContext", "PreEntityImages", "PostEntityImages"):
                context.pop(key, None)
            body = json.dumps(context).encode()
            headers["x-ms-dynamics-msg-size-exceeded"] = "true"

        def build(attempt: int) -> tuple[str, dict[str, str], bytes]:
            url = str(self.config["webhook_url"])
            sent = dict(headers)
            if self.webhook_header:
                sent[self.webhook_header] = self.webhook_key
            else:
                url += ("&" if "?" in url else "?") + urlencode({"code": self.webhook_key})
            return url, sent, body

        self.notify(build)

    # -- vendor behaviour -------------------------------------------------------------
    def metered(self) -> bool:
        """Only the Web API counts; Azure AD endpoints do not."""
        return request.path.startswith(API + "/")

    def authenticate(self) -> Response | None:
        """A live bearer token from our tenant for this org."""
        request._sim_api = True  # type: ignore[attr-defined]
        header = request.headers.get("Authorization", "")
        try:
            if not header.startswith("Bearer "):
                raise jwt.InvalidTokenError("no bearer token")
            self.aad.decode(header[7:], audience=self.url)
        except jwt.PyJWTError:
            return Response(
                status=401,
                headers={
                    "WWW-Authenticate": "Bearer authorization_uri="
                    f'"{self.url}/{self.aad.tenant_id}/oauth2/authorize"'
                },
            )
        return None

    def rate_headers(self, state: WindowState) -> dict[str, str]:
        """Service-protection headers."""
        return {
            "x-ms-ratelimit-burst-remaining-xrm-requests": str(state.remaining),
            "x-ms-ratelimit-time-remaining-xrm-requests": "1200000.00",
            "REQ_ID": str(uuid.uuid4()),
        }

    def rate_limited(self, state: WindowState) -> Response:
        """0x80072322 with Retry-After in seconds."""
        message = (
            f"Number of requests exceeded the limit of {state.limit} over time window "
            f"of {int(self.window.window)} seconds."
        )
        response = _error(429, "0x80072322", message)
        response.headers["Retry-After"] = str(max(1, round(state.retry_after + 0.49)))
        return response

    def server_error(self, status: int) -> Response:
        """Generic platform error."""
        return _error(status, "0x80040216", "An unexpected error occurred.")

    # -- routes -----------------------------------------------------------------------
    def register_routes(self, app: Flask) -> None:
        """Azure AD plus the Web API endpoints the adapter uses."""
        self.aad.register(app)
        app.add_url_rule(f"{API}/WhoAmI", view_func=self._whoami, methods=["GET"])
        app.add_url_rule(f"{API}/incidents", view_func=self._list_incidents, methods=["GET"])
        app.add_url_rule(f"{API}/incidents", view_func=self._create_incident, methods=["POST"])
        app.add_url_rule(f"{API}/contacts", view_func=self._create_contact, methods=["POST"])
        app.add_url_rule(
            f"{API}/incidents(<id>)", view_func=self._incident, methods=["GET", "PATCH", "DELETE"]
        )
        app.add_url_rule(f"{API}/contacts", view_func=self._list_contacts, methods=["GET"])
        app.add_url_rule(
            f"{API}/contacts(<id>)", view_func=self._contact, methods=["GET", "PATCH", "DELETE"]
        )
        self._register_activities(app)
        self._register_gdpr(app)

    def _whoami(self) -> Response:
        return _json(
            {
                "BusinessUnitId": str(uuid.UUID(int=1)),
                "UserId": self.app_user_id,
                "OrganizationId": self.org_id,
            }
        )

    def _render_incident(self, item: dict[str, Any]) -> dict[str, Any]:
        body = dict(item)
        if "customerid_contact" in request.args.get("$expand", ""):
            contact = self.contacts.get(item.get("_customerid_value") or "")
            body["customerid_contact"] = dict(contact) if contact else None
        return body

    def _page(self, items: list[dict[str, Any]], name: str) -> Response:
        match = _MAXPAGE.search(request.headers.get("Prefer", ""))
        size = min(int(match.group(1)), 5000) if match else 5000
        skip = _SKIP.search(request.args.get("$skiptoken", ""))
        page = int(skip.group(1)) if skip else 1
        chunk = items[(page - 1) * size : page * size]
        body: dict[str, Any] = {
            "@odata.context": f"{self.url}{API}/$metadata#{name}",
            "value": chunk,
        }
        if page * size < len(items):
            args = {k: v for k, v in request.args.items() if k != "$skiptoken"}
            cookie = f'<cookie pagenumber="{page + 1}" istracking="False" />'
            query = urlencode(args, quote_via=quote) + "&$skiptoken=" + quote(cookie, safe="")
            body["@odata.nextLink"] = f"{request.base_url}?{query}"
        response = _json(body)
        if match:
            response.headers["Preference-Applied"] = f"odata.maxpagesize={size}"
        return response

    def _list_incidents(self) -> Response:
        flt = request.args.get("$filter")
        with self.lock:
            items = list(self.incidents.values())
            customer = _FILTER_CUSTOMER.match(flt or "")
            if customer:
                wanted = customer.group(1).lower()
                items = [i for i in items if (i.get("_customerid_value") or "") == wanted]
            elif flt:
                match = _FILTER_GE.match(flt)
                if not match:
                    return _error(
                        400,
                        "0x80060888",
                        "The query parameter $filter is not supported by this simulator.",
                    )
                items = [i for i in items if i["modifiedon"] >= match.group(1)]
            items.sort(key=lambda i: (i["modifiedon"], i["incidentid"]))
            rendered = [self._render_incident(i) for i in items]
        return self._page(rendered, "incidents")

    def _list_contacts(self) -> Response:
        flt = request.args.get("$filter", "")
        match = _FILTER_EMAIL.match(flt)
        if flt and not match:
            return _error(400, "0x80060888", "The query parameter $filter is not supported.")
        with self.lock:
            items = list(self.contacts.values())
            if match:
                email = match.group(1).replace("''", "'").lower()
                items = [c for c in items if (c["emailaddress1"] or "").lower() == email]
        return self._page(items, "contacts")

    def _created(self, entity_set: str, rid: str) -> Response:
        """204 No Content with the record's URL, as Dataverse answers without Prefer."""
        headers = {"OData-EntityId": f"{self.url}{API}/{entity_set}({rid})"}
        return Response(status=204, headers=headers)

    def _create_incident(self) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not body.get("title"):
            return _error(400, "0x80040203", "Required field 'title' is missing")
        bind = _BIND.match(str(body.get("customerid_contact@odata.bind") or ""))
        if bind is None or bind.group(1).lower() not in self.contacts:
            return _error(400, "0x80040203", "A customer (customerid) is required")
        iid = self.add_incident(body["title"], str(body.get("description") or ""), bind.group(1))
        return self._created("incidents", iid)

    def _create_contact(self) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _error(400, "0x80040203", "Invalid JSON")
        cid = self.add_contact(
            str(body.get("firstname") or ""),
            str(body.get("lastname") or ""),
            str(body.get("emailaddress1") or ""),
            body.get("telephone1"),
        )
        return self._created("contacts", cid)

    def _incident(self, id: str) -> Response:  # noqa: A002 - the key in the URL
        return self._record("incident", self.incidents, id.strip("'").lower())

    def _contact(self, id: str) -> Response:  # noqa: A002
        rid = id.strip("'").lower()
        if request.method == "PATCH":
            answer = self._contact_patch(rid)
            if answer is not None:
                return answer
        return self._record("contact", self.contacts, rid)

    def _contact_patch(self, rid: str) -> Response | None:
        """Unknown columns are a 400; without If-Match a PATCH of a missing id is an upsert."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return None  # _record answers the malformed body
        bad = sorted(set(body) - self.contact_updatable())
        if bad:
            message = f"The property '{bad[0]}' does not exist on type '{CONTACT_TYPE}'."
            return _error(400, "0x80060888", message)
        if request.headers.get("If-Match") or rid in self.contacts:
            return None  # If-Match: * on a missing record is _record's 404
        self.add_contact(
            str(body.get("firstname") or ""),
            str(body.get("lastname") or ""),
            str(body.get("emailaddress1") or ""),
            body.get("telephone1"),
            contact_id=rid,
        )
        return self._created("contacts", rid)

    def _record(self, entity: str, table: dict[str, dict[str, Any]], rid: str) -> Response:
        with self.lock:
            record = table.get(rid)
            if record is None:
                return _error(404, "0x80040217", f"{entity} With Id = {rid} Does Not Exist")
            if request.method == "GET":
                return _json(self._render_incident(record) if entity == "incident" else record)
            if request.method == "DELETE":
                if entity == "contact":
                    refused = self.delete_contact_cascade(rid)
                    if refused is not None:
                        return refused
                self.audit(entity, rid, "Delete", record)
                del table[rid]
                if entity == "incident":
                    self._drop_activities(rid)
            else:
                body = request.get_json(silent=True)
                if not isinstance(body, dict):
                    return _error(400, "0x80040203", "Invalid JSON")
                self.audit(entity, rid, "Update", {k: record.get(k) for k in body})
                record.update(body)
                record["modifiedon"] = _now()
                if entity == "contact":
                    record["fullname"] = (
                        f"{record.get('firstname') or ''} {record.get('lastname') or ''}".strip()
                    )
        self._webhook(entity, rid, "Delete" if request.method == "DELETE" else "Update")
        return Response(status=204)
