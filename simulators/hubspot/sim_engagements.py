"""The HubSpot simulator's e-mails and notes: records associated with tickets, batch reads
and PATCH updates, with HubSpot's answers (facts in ``adapters/hubspot/config.py``)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from flask import Flask, Response, request

from adapters.hubspot import config
from simulators.hubspot.sim_answers import error, json_response, now

OBJECT_TYPES = ("emails", "notes")
PATH_IDS = {"emails": "emailId", "notes": "noteId"}  # the specs' path parameter names
# HUBSPOT_DEFINED association type ids from a ticket: to email 223, to note 227 (the values
# public HubSpot client code uses; the adapter does not depend on them).
TICKET_TO = {"emails": 223, "notes": 227}
BATCH_LIMIT = 100
# Properties a PATCH may set. E-mail: the fields of the e-mails guide's create table; the
# hs_email_from_*/to_* ones are read-only (filled from hs_email_headers), as are the
# system ones. Note: the notes guide's fields.
WRITABLE = {
    "emails": frozenset(
        "hs_timestamp hubspot_owner_id hs_email_direction hs_email_html hs_email_status"
        " hs_email_subject hs_email_text hs_attachment_ids hs_email_headers".split()
    ),
    "notes": frozenset("hs_timestamp hs_note_body hubspot_owner_id hs_attachment_ids".split()),
}
READ_ONLY = {
    "emails": frozenset(
        "hs_email_from_email hs_email_from_firstname hs_email_from_lastname hs_email_to_email"
        " hs_email_to_firstname hs_email_to_lastname hs_object_id hs_createdate"
        " hs_lastmodifieddate".split()
    ),
    "notes": frozenset("hs_object_id hs_createdate hs_lastmodifieddate".split()),
}
ALWAYS_SHOWN = ("hs_object_id", "hs_createdate", "hs_lastmodifieddate")


def _invalid(detail: str) -> Response:
    """400 for a body that does not fit the endpoint's schema."""
    return error(
        400,
        "Invalid input JSON on request",
        "VALIDATION_ERROR",
        errors=[{"message": detail, "in": "body"}],
    )


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


class EngagementsMixin:
    """E-mail and note records of :class:`HubSpotSimulator`, associated with its tickets."""

    lock: threading.RLock
    tickets: dict[str, dict[str, Any]]
    _new_id: Callable[[], str]
    _webhook: Callable[..., None]

    def reset_engagements(self) -> None:
        """No e-mails or notes."""
        with self.lock:
            self.engagements: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in OBJECT_TYPES}
            # (ticket id, object type) -> associated record ids, oldest association first
            self.activity_links: dict[tuple[str, str], list[str]] = {}

    def add_email(
        self,
        ticket_id: str,
        *,
        html: str | None = None,
        text: str | None = None,
        direction: str = "INCOMING_EMAIL",
        status: str = "SENT",
        notify: bool = False,
        **properties: Any,
    ) -> str:
        """Log an e-mail on a ticket (direction EMAIL, INCOMING_EMAIL or FORWARDED_EMAIL);
        with ``notify`` the ticket-e-mail association change is sent as a webhook."""
        props = {
            "hs_email_html": html,
            "hs_email_text": text,
            "hs_email_direction": direction,
            "hs_email_status": status,
            **properties,
        }
        return self._add_engagement("emails", ticket_id, props, notify)

    def add_note(self, ticket_id: str, body: str, notify: bool = False, **properties: Any) -> str:
        """Log a note on a ticket; ``notify`` as for :meth:`add_email`."""
        props = {"hs_note_body": body, **properties}
        return self._add_engagement("notes", ticket_id, props, notify)

    def _add_engagement(
        self, object_type: str, ticket_id: str, props: dict[str, Any], notify: bool = False
    ) -> str:
        stamp = now()
        rid = self._new_id()
        properties = {k: str(v) for k, v in props.items() if v is not None}
        properties.setdefault("hs_timestamp", stamp)
        properties.update(hs_object_id=rid, hs_createdate=stamp, hs_lastmodifieddate=stamp)
        record = {
            "id": rid,
            "properties": properties,
            "createdAt": stamp,
            "updatedAt": stamp,
            "archived": False,
            "history": {k: [{"value": v, "timestamp": stamp}] for k, v in properties.items()},
        }
        with self.lock:
            if ticket_id not in self.tickets:
                raise KeyError(f"no ticket {ticket_id}")
            self.engagements[object_type][rid] = record
            self.activity_links.setdefault((ticket_id, object_type), []).append(rid)
        if notify:
            self._association_webhook(ticket_id, object_type, rid, removed=False)
        return rid

    def _association_webhook(
        self, ticket_id: str, object_type: str, rid: str, *, removed: bool
    ) -> None:
        """The generic `object.associationChange` event from the ticket to the record
        (payload fields as in ``adapters/hubspot/config.py``, partly unconfirmed)."""
        type_ids = {name: tid for tid, name in config.ACTIVITY_TYPE_IDS.items()}
        self._webhook(
            "object.associationChange",
            None,
            fromObjectTypeId=config.TICKET_TYPE_ID,
            fromObjectId=int(ticket_id),
            toObjectTypeId=type_ids[object_type.rstrip("s")],
            toObjectId=int(rid),
            associationRemoved=removed,
            isPrimaryAssociation=False,
        )

    def ticket_engagement_links(self, ticket_id: str, object_type: str) -> list[dict[str, Any]]:
        """The v4 association results from a ticket to its e-mails or notes."""
        with self.lock:
            ids = list(self.activity_links.get((ticket_id, object_type), []))
        kind = [{"category": "HUBSPOT_DEFINED", "typeId": TICKET_TO[object_type]}]
        return [{"toObjectId": rid, "associationTypes": kind} for rid in ids]

    # -- routes -----------------------------------------------------------------------
    def register_engagement_routes(self, app: Flask) -> None:
        """Batch read, and read/update by id, of e-mails and notes."""
        for object_type in OBJECT_TYPES:
            base = f"/crm/v3/objects/{object_type}"
            app.add_url_rule(
                f"{base}/batch/read",
                endpoint=f"{object_type}_batch_read",
                view_func=partial(self._batch_read, object_type),
                methods=["POST"],
            )
            app.add_url_rule(
                f"{base}/<{PATH_IDS[object_type]}>",
                endpoint=f"{object_type}_one",
                view_func=partial(self._engagement, object_type),
                methods=["GET", "PATCH", "DELETE"],
            )

    @staticmethod
    def _shown(record: dict[str, Any], wanted: list[str]) -> dict[str, Any]:
        props = record["properties"]
        names = [*wanted, *ALWAYS_SHOWN] if wanted else list(props)
        shown = {k: props[k] for k in names if props.get(k) is not None}
        return {k: v for k, v in record.items() if k != "history"} | {"properties": shown}

    def _batch_read(self, object_type: str) -> Response:
        """Found records in `results`; unknown ids make it a 207 with `errors`."""
        started = now()
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _invalid("the body must be a JSON object")
        inputs = body.get("inputs")
        if not isinstance(inputs, list) or not all(
            isinstance(i, dict) and isinstance(i.get("id"), str) for i in inputs
        ):
            return _invalid("inputs must be a list of {id: string}")
        for name in ("properties", "propertiesWithHistory"):
            if not _strings(body.get(name)):
                return _invalid(f"{name} must be a list of strings")
        if len(inputs) > BATCH_LIMIT:  # the message is ours; HubSpot caps batches at 100
            return _invalid(f"at most {BATCH_LIMIT} inputs per batch")
        with self.lock:
            records = self.engagements[object_type]
            live = [i["id"] for i in inputs if i["id"] in records]
            live = [rid for rid in live if not records[rid]["archived"]]
            found = [self._shown(records[rid], body["properties"]) for rid in live]
            missing = [i["id"] for i in inputs if i["id"] not in live]
        answer: dict[str, Any] = {
            "status": "COMPLETE",
            "results": found,
            "startedAt": started,
            "completedAt": now(),
        }
        if not missing:
            return json_response(answer)
        label = object_type.upper().rstrip("S")
        answer["numErrors"] = 1
        answer["errors"] = [
            {
                "status": "error",
                "category": "OBJECT_NOT_FOUND",
                "message": f"Could not get some {label} objects, they may be deleted or not "
                "exist. Check that ids are valid.",
                "context": {"ids": missing},
                "errors": [],
                "links": {},
            }
        ]
        return json_response(answer, 207)

    def _engagement(self, object_type: str, **path: str) -> Response:
        """GET or PATCH one e-mail or note."""
        rid = path[PATH_IDS[object_type]]
        with self.lock:
            record = self.engagements[object_type].get(rid)
            if record is None or record["archived"]:
                return error(404, "resource not found", "OBJECT_NOT_FOUND")
            if request.method == "GET":
                wanted = [p for p in request.args.get("properties", "").split(",") if p]
                return json_response(self._shown(record, wanted))
            if request.method == "DELETE":
                # "Move an Object ... to the recycling bin": restorable, like a ticket.
                record["archived"] = True
                record["archivedAt"] = now()
                return Response(status=204)
            body = request.get_json(silent=True)
            props = body.get("properties") if isinstance(body, dict) else None
            if not isinstance(props, dict) or not all(isinstance(v, str) for v in props.values()):
                return _invalid("properties must be an object of string values")
            problems = [
                {"isValid": False, "name": name, "error": "READ_ONLY_VALUE"}
                if name in READ_ONLY[object_type]
                else {"isValid": False, "name": name, "error": "PROPERTY_DOESNT_EXIST"}
                for name in sorted(props)
                if name not in WRITABLE[object_type]
            ]
            if problems:
                message = f"Property values were not valid: {json.dumps(problems)}"
                return error(400, message, "VALIDATION_ERROR")
            history = record.setdefault("history", {})
            for name, value in props.items():  # the history keeps what the PATCH replaces
                history.setdefault(name, []).insert(0, {"value": value, "timestamp": now()})
            record["properties"].update(props)
            record["updatedAt"] = record["properties"]["hs_lastmodifieddate"] = now()
            return json_response(self._shown(record, []))
