"""The simulator's e-mails and notes regarding cases: lookup $filter, $select, paging, PATCH."""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, request

from adapters.dynamics import config
from simulators.dynamics.sim_answers import error, now

API = "/api/data/v9.2"


@dataclass(frozen=True)
class ActivityTable:
    """One activity entity as the simulator serves it."""

    entity_set: str
    key: str
    lookup: str  # the case lookup a list is filtered on
    columns: frozenset[str]
    writable: frozenset[str]  # columns a PATCH may set


TABLES = {
    "email": ActivityTable(
        "emails",
        "activityid",
        "_regardingobjectid_value",
        frozenset(
            "activityid subject description directioncode statecode statuscode createdon"
            " modifiedon senton _regardingobjectid_value _emailsender_value".split()
        ),
        frozenset({"subject", "description"}),
    ),
    "annotation": ActivityTable(
        "annotations",
        "annotationid",
        "_objectid_value",
        frozenset(
            "annotationid subject notetext isdocument filename documentbody createdon"
            " modifiedon _objectid_value objecttypecode _createdby_value".split()
        ),
        frozenset({"subject", "notetext"}),
    ),
}
# statecode -> statuscode for a new e-mail: Draft, Received/Sent, Canceled.
_EMAIL_STATUS = {0: (1, 1), 1: (4, 3), 2: (5, 5)}  # (incoming, outgoing)
AGENT_USER = str(uuid.UUID(int=7))  # the human user the simulator's own changes come from


class ActivitiesSim:
    """E-mails (`emails`) and notes (`annotations`) regarding the simulator's cases."""

    if TYPE_CHECKING:
        lock: threading.RLock
        incidents: dict[str, dict[str, Any]]

        def _page(self, items: list[dict[str, Any]], name: str) -> Response: ...

        def _webhook(self, entity: str, record_id: str, message: str) -> None: ...

        def audit(self, entity: str, rid: str, operation: str, old: dict[str, Any]) -> None: ...

        contacts: dict[str, dict[str, Any]]

    def _reset_activities(self) -> None:
        self.emails: dict[str, dict[str, Any]] = {}
        self.annotations: dict[str, dict[str, Any]] = {}
        # E-mail senders and recipients: activityparty rows (partyid, addressused) of the
        # email's email_activity_parties; deleted with the e-mail (email.md relationships).
        self.activityparties: dict[str, dict[str, Any]] = {}

    def _table(self, entity: str) -> dict[str, dict[str, Any]]:
        return self.emails if entity == "email" else self.annotations

    def add_email(
        self,
        incident_id: str,
        description: str,
        *,
        incoming: bool = True,
        statecode: int = 1,
        subject: str = "",
        sender_id: str | None = None,
        notify: bool = False,
    ) -> str:
        """An e-mail regarding a case (received or sent unless `statecode` says otherwise);
        `notify` posts the webhook a step on email Create sends."""
        eid = str(uuid.uuid4())
        with self.lock:
            case = self.incidents[incident_id]
            sender = sender_id or (case.get("_customerid_value") if incoming else AGENT_USER)
            self.emails[eid] = {
                "activityid": eid,
                "subject": subject,
                "description": description,
                "directioncode": not incoming,
                "statecode": statecode,
                "statuscode": _EMAIL_STATUS[statecode][0 if incoming else 1],
                "createdon": now(),
                "modifiedon": now(),
                "senton": now() if statecode == 1 else None,
                "_regardingobjectid_value": incident_id,
                "_emailsender_value": sender,
            }
            for mask, party in ((1, sender), (2, AGENT_USER if incoming else sender)):
                address = (self.contacts.get(party or "") or {}).get("emailaddress1")
                pid = str(uuid.uuid4())
                self.activityparties[pid] = {
                    "activitypartyid": pid,
                    "_activityid_value": eid,
                    "_partyid_value": party,
                    "participationtypemask": mask,  # 1 sender, 2 to-recipient
                    "addressused": address,
                }
        if notify:
            self._webhook("email", eid, "Create")
        return eid

    def add_note(
        self,
        incident_id: str,
        text: str,
        *,
        subject: str = "",
        author_id: str | None = None,
        notify: bool = False,
        filename: str | None = None,
        documentbody: str | None = None,
    ) -> str:
        """A note on a case or contact; with `filename`/`documentbody` (base64) a note with an
        attachment (annotation.md: isdocument, filename, documentbody); `notify` posts the
        webhook a step on annotation Create sends."""
        nid = str(uuid.uuid4())
        with self.lock:
            if incident_id not in self.incidents and incident_id not in self.contacts:
                raise KeyError(incident_id)
            self.annotations[nid] = {
                "annotationid": nid,
                "subject": subject,
                "notetext": text,
                "isdocument": filename is not None,
                "filename": filename,
                "documentbody": documentbody,
                "createdon": now(),
                "modifiedon": now(),
                "_objectid_value": incident_id,
                "objecttypecode": "incident" if incident_id in self.incidents else "contact",
                "_createdby_value": author_id or AGENT_USER,
            }
        if notify:
            self._webhook("annotation", nid, "Create")
        return nid

    def _activity_attributes(self, entity: str, record: dict[str, Any]) -> list[dict[str, Any]]:
        """A Target's attributes: columns as values, the case lookup as an EntityReference
        (`regardingobjectid` / `objectid`, as in a RemoteExecutionContext), other lookups out."""
        link = TABLES[entity].lookup
        attributes: list[dict[str, Any]] = []
        for key, value in record.items():
            if value is None or (key.startswith("_") and key != link):
                continue
            if key == link:
                reference = {
                    "__type": "EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts",
                    "Id": value,
                    "KeyAttributes": [],
                    "LogicalName": "incident",
                    "Name": self.incidents.get(value, {}).get("title"),
                    "RowVersion": None,
                }
                attributes.append({"key": key[1:].removesuffix("_value"), "value": reference})
            else:
                attributes.append({"key": key, "value": value})
        return attributes

    def _drop_activities(self, incident_id: str) -> None:
        """Deleting a case deletes its activities (the relationships cascade)."""
        with self.lock:
            for entity, table in TABLES.items():
                rows = self._table(entity)
                for rid in [r for r, row in rows.items() if row[table.lookup] == incident_id]:
                    self.audit(entity, rid, "Delete", rows.pop(rid))  # cascaded deletes too
            for pid in [
                p
                for p, row in self.activityparties.items()
                if row["_activityid_value"] not in self.emails
            ]:
                del self.activityparties[pid]

    def _register_activities(self, app: Flask) -> None:
        for entity, table in TABLES.items():
            app.add_url_rule(
                f"{API}/{table.entity_set}",
                endpoint=f"list_{table.entity_set}",
                view_func=self._list_activities,
                defaults={"entity": entity},
                methods=["GET"],
            )
            app.add_url_rule(
                f"{API}/{table.entity_set}(<id>)",
                endpoint=f"patch_{entity}",
                view_func=self._patch_activity,
                defaults={"entity": entity},
                methods=["PATCH"],
            )

    def _list_activities(self, entity: str) -> Response:
        """`$filter=<lookup> eq <guid>` (or none), `$select`, paged like every list."""
        table = TABLES[entity]
        flt = request.args.get("$filter")
        match = re.fullmatch(rf"{table.lookup} eq ({config.GUID})", flt or "")
        if flt and match is None:
            return error(400, "0x80060888", "The query parameter $filter is not supported.")
        select = [c.strip() for c in request.args.get("$select", "").split(",") if c.strip()]
        unknown = [c for c in select if c not in table.columns]
        if unknown:
            message = (
                f"Could not find a property named '{unknown[0]}' on type "
                f"'Microsoft.Dynamics.CRM.{entity}'."
            )
            return error(400, "0x80060888", message)
        with self.lock:
            rows = list(self._table(entity).values())
            if match:
                rows = [r for r in rows if r[table.lookup] == match.group(1).lower()]
            rows.sort(key=lambda r: r["createdon"])  # stable: ties keep creation order
            if select:  # the key is always returned
                rows = [{c: r[c] for c in (table.key, *select)} for r in rows]
            else:
                rows = [dict(r) for r in rows]
        return self._page(rows, table.entity_set)

    def _patch_activity(self, entity: str, id: str) -> Response:  # noqa: A002 - URL key
        """Update with `If-Match: *` semantics; completed and canceled e-mails are read-only."""
        table = TABLES[entity]
        rid = id.strip("'").lower()
        body = request.get_json(silent=True)
        with self.lock:
            record = self._table(entity).get(rid)
            if record is None:
                return error(404, "0x80040217", f"{entity} With Id = {rid} Does Not Exist")
            if not isinstance(body, dict):
                return error(400, "0x80040203", "Invalid JSON")
            bad = sorted(set(body) - table.writable)
            if bad:
                message = (
                    f"The property '{bad[0]}' does not exist on type "
                    f"'Microsoft.Dynamics.CRM.{entity}'."
                )
                return error(400, "0x80060888", message)
            if entity == "email" and record["statecode"] != 0:
                message = "Completed and canceled email is read-only and can't be edited."
                return error(400, "0x80040203", message)
            self.audit(entity, rid, "Update", {k: record.get(k) for k in body})
            record.update(body)
            record["modifiedon"] = now()
        return Response(status=204)
