"""Where Dataverse keeps a person besides the record: audit history, contact metadata, the
contact-to-case cascade, e-mail activity parties and note attachments."""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, request

from simulators.dynamics.sim_answers import error, json_response, now

API = "/api/data/v9.2"

# Contact columns as EntityDefinitions(LogicalName='contact')/Attributes describes them
# (the contact table reference, MicrosoftDocs/powerapps-docs .../reference/entities/contact.md:
# LogicalName, AttributeType, IsValidForUpdate). A PATCH may set those valid for update.
_CONTACT_ATTRIBUTES: tuple[tuple[str, str, bool], ...] = (
    ("contactid", "Uniqueidentifier", False),
    ("fullname", "String", False),
    ("address1_composite", "Memo", False),
    ("address2_composite", "Memo", False),
    ("createdon", "DateTime", False),
    ("modifiedon", "DateTime", False),
    ("statecode", "State", True),
    ("donotemail", "Boolean", True),
    ("parentcustomerid", "Customer", True),
    *(
        (name, "String", True)
        for name in (
            "firstname lastname middlename nickname salutation jobtitle emailaddress1"
            " emailaddress2 emailaddress3 telephone1 telephone2 telephone3 mobilephone fax"
            " governmentid spousesname websiteurl"
            " address1_line1 address1_line2 address1_line3 address1_city address1_postalcode"
            " address1_country address2_line1 address2_line2 address2_city address2_postalcode"
            " address2_country address3_line1 address3_city address3_postalcode".split()
        )
    ),
    ("description", "Memo", True),
    ("birthdate", "DateTime", True),
    ("anniversary", "DateTime", True),
    ("gendercode", "Picklist", True),
    ("familystatuscode", "Picklist", True),
    ("numberofchildren", "Integer", True),
)
CONTACT_UPDATABLE = frozenset(name for name, _t, ok in _CONTACT_ATTRIBUTES if ok)
_TARGET_TYPE = re.compile(r"^Microsoft\.Dynamics\.CRM\.(\w+)$")
# incident_customer_contacts: "CascadeConfiguration ... Delete: `Cascade`" (incident.md,
# Many-To-One relationships); IsCustomizable, so an environment may set it to Restrict
# ("Prevent the Referenced entity record from being deleted when referencing entities
# exist", CascadeType enumeration). The error code for Restrict is not confirmed.
CASCADE, RESTRICT = "Cascade", "Restrict"


class GdprSim:
    """Audit history with DeleteRecordChangeHistory, contact metadata, cascade vs Restrict."""

    if TYPE_CHECKING:
        lock: Any
        incidents: dict[str, dict[str, Any]]
        contacts: dict[str, dict[str, Any]]
        emails: dict[str, dict[str, Any]]
        annotations: dict[str, dict[str, Any]]

        def _drop_activities(self, incident_id: str) -> None: ...

    def _reset_gdpr(self) -> None:
        # Dataverse auditing keeps old and new values per change, also after the record is
        # deleted; they are only removed by DeleteRecordChangeHistory, BulkDelete or
        # DeleteAuditData (learn.microsoft.com/power-apps/developer/data-platform/auditing/
        # delete-audit-data: "You can't directly delete records in the Auditing table").
        self.audits: list[dict[str, Any]] = []
        self.contact_case_delete = CASCADE
        # Custom columns an environment added to contact: (LogicalName, AttributeType).
        self.custom_contact_attributes: list[tuple[str, str]] = []

    def contact_updatable(self) -> frozenset[str]:
        """Columns a contact PATCH may set: those the metadata marks valid for update."""
        return CONTACT_UPDATABLE | {name for name, _t in self.custom_contact_attributes}

    def audit(self, entity: str, rid: str, operation: str, old: dict[str, Any]) -> None:
        """Record one change with the values it replaced (Create/Update/Delete)."""
        with self.lock:
            self.audits.append(
                {
                    "auditid": str(uuid.uuid4()),
                    "objecttypecode": entity,
                    "_objectid_value": rid,
                    "operation": operation,
                    "changedata": {k: v for k, v in old.items() if v is not None},
                    "createdon": now(),
                }
            )

    def contact_attributes(self) -> list[dict[str, Any]]:
        """The contact's attribute metadata, as the Web API lists it."""
        return [
            {
                "@odata.type": f"#Microsoft.Dynamics.CRM.{kind}AttributeMetadata",
                "LogicalName": name,
                "AttributeType": kind,
                "IsValidForUpdate": ok,
                "IsPrimaryId": name == "contactid",
            }
            for name, kind, ok in (
                *_CONTACT_ATTRIBUTES,
                *((n, t, True) for n, t in self.custom_contact_attributes),
            )
        ]

    def delete_contact_cascade(self, rid: str) -> Response | None:
        """Before a contact DELETE: Restrict refuses while cases exist; Cascade deletes them
        (and their activities) along with the contact; notes on the contact go too."""
        with self.lock:
            cases = [i for i, c in self.incidents.items() if c.get("_customerid_value") == rid]
            if cases and self.contact_case_delete == RESTRICT:
                return error(
                    400,
                    "0x80040227",
                    "The record cannot be deleted because it is associated with another record.",
                )
            for iid in cases:
                self.audit("incident", iid, "Delete", self.incidents.pop(iid))
                self._drop_activities(iid)
            self._drop_activities(rid)  # Contact_Annotation: objectid is the contact
        return None

    def _register_gdpr(self, app: Flask) -> None:
        app.add_url_rule(
            f"{API}/DeleteRecordChangeHistory",
            view_func=self._delete_change_history,
            methods=["POST"],
        )
        app.add_url_rule(
            f"{API}/EntityDefinitions(LogicalName='contact')/Attributes",
            view_func=self._contact_metadata,
            methods=["GET"],
        )
        app.add_url_rule(f"{API}/audits", view_func=self._list_audits, methods=["GET"])

    def _delete_change_history(self) -> Response:
        """DeleteRecordChangeHistory action: Target (crmbaseentity) -> DeletedEntriesCount
        (learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/
        deleterecordchangehistory)."""
        body = request.get_json(silent=True)
        target = body.get("Target") if isinstance(body, dict) else None
        kind = _TARGET_TYPE.match(str((target or {}).get("@odata.type", "")))
        key = {"email": "activityid"}.get(kind.group(1), f"{kind.group(1)}id") if kind else ""
        rid = str((target or {}).get(key, "")) if kind else ""
        if kind is None or not re.fullmatch(r"[0-9a-fA-F-]{36}", rid):
            return error(400, "0x80040203", "Target must be an entity with its id.")
        entity, rid = kind.group(1), rid.lower()
        with self.lock:
            before = len(self.audits)
            self.audits = [
                a
                for a in self.audits
                if not (a["objecttypecode"] == entity and a["_objectid_value"] == rid)
            ]
            count = before - len(self.audits)
        return json_response(
            {
                "@odata.context": f"{request.host_url.rstrip('/')}{API}/$metadata#"
                "Microsoft.Dynamics.CRM.DeleteRecordChangeHistoryResponse",
                "DeletedEntriesCount": count,
            }
        )

    def _contact_metadata(self) -> Response:
        return json_response({"value": self.contact_attributes()})

    def _list_audits(self) -> Response:
        """`audits?$filter=_objectid_value eq {id}` (the Auditing table is read-only)."""
        match = re.fullmatch(
            r"_objectid_value eq ([0-9a-fA-F-]{36})", request.args.get("$filter", "")
        )
        with self.lock:
            rows = [
                a
                for a in self.audits
                if match is None or a["_objectid_value"] == match.group(1).lower()
            ]
        return json_response({"value": rows})
