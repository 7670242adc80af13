"""Erasing a case or contact in Dataverse from every store the Web API reaches: the record,
its e-mails (with their activity parties) and notes (with attachments), the contact's cases,
and the audit history that keeps old values after a change or delete (facts: config)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from adapters.dynamics import config
from adapters.http import HttpClient
from plugin.vendors.errors import AdapterError, NotFound

Pages = Callable[[str, dict[str, str]], Iterator[dict[str, Any]]]


def _store(store: str, reason: str) -> dict[str, str]:
    return {"store": store, "state": "destroyed", "reason": reason, "until": ""}


def _ids(pages: Pages, endpoint: str, key: str, flt: str) -> list[str]:
    return [
        str(item[key])
        for item in pages(config.ENDPOINTS[endpoint], {"$select": key, "$filter": flt})
    ]


def forget_history(http: HttpClient, entity: str, record_id: str) -> int:
    """DeleteRecordChangeHistory for one record; returns how many audit entries went."""
    key = config.RECORD_KEYS[entity]
    target = {"@odata.type": f"Microsoft.Dynamics.CRM.{entity}", key: record_id}
    answer = http.post(config.ENDPOINTS["change_history"], json={"Target": target}).json()
    return int(answer.get("DeletedEntriesCount") or 0)


def _gone_or_present(http: HttpClient, path: str, entity: str, record_id: str) -> None:
    """Return if the record exists; if it is gone (deleted meanwhile, or by an earlier try
    that stopped before its audit clean-up), delete its audit history and raise NotFound
    naming that clean-up."""
    try:
        http.get(path, params={"$select": config.RECORD_KEYS[entity]})
        return
    except NotFound as gone:
        audit = forget_history(http, entity, record_id)
        gone.stores = (
            _store("audit", f"{audit} audit entries deleted (DeleteRecordChangeHistory)"),
        )
        raise


def delete_case(http: HttpClient, pages: Pages, case_id: str) -> list[dict[str, str]]:
    """Delete a case (its e-mails and notes cascade), then the audit history of all three."""
    return _delete_case(http, pages, case_id)[0]


def _delete_case(http: HttpClient, pages: Pages, case_id: str) -> tuple[list[dict[str, str]], int]:
    if not config.GUID_RE.fullmatch(case_id):
        raise AdapterError(config.NAME, "a case id must be a GUID")
    path = config.ENDPOINTS["incident"].format(id=case_id)
    _gone_or_present(http, path, "incident", case_id)
    emails = _ids(pages, "emails", "activityid", config.EMAIL_FILTER.format(id=case_id))
    notes = _ids(pages, "annotations", "annotationid", config.NOTE_FILTER.format(id=case_id))
    http.delete(path)
    # After the delete: the delete itself is audited with the values it removed.
    audit = forget_history(http, "incident", case_id)
    audit += sum(forget_history(http, "email", e) for e in emails)
    audit += sum(forget_history(http, "annotation", n) for n in notes)
    return [
        _store("record", "case deleted"),
        _store(
            "activities",
            f"{len(emails)} e-mails (with their senders and recipients) and {len(notes)} notes "
            "(with attachments) deleted with the case",
        ),
        _store("audit", f"{audit} audit entries deleted (DeleteRecordChangeHistory)"),
    ], audit


def delete_contact(http: HttpClient, pages: Pages, contact_id: str) -> list[dict[str, str]]:
    """Delete the contact's cases first (a Restrict relationship would refuse otherwise),
    then the contact and its notes, then their audit history."""
    path = config.ENDPOINTS["contact"].format(id=contact_id)
    _gone_or_present(http, path, "contact", contact_id)
    cases = _ids(pages, "incidents", "incidentid", config.CASE_FILTER.format(id=contact_id))
    stores: list[dict[str, str]] = []
    audit = 0
    for case in cases:
        try:
            audit += _delete_case(http, pages, case)[1]
        except NotFound:
            continue  # deleted meanwhile (its own job)
    notes = _ids(pages, "annotations", "annotationid", config.NOTE_FILTER.format(id=contact_id))
    http.delete(path)
    audit += forget_history(http, "contact", contact_id)
    audit += sum(forget_history(http, "annotation", n) for n in notes)
    stores.append(_store("contact", "contact deleted"))
    stores.append(
        _store("cases", f"{len(cases)} cases of the contact deleted first, with their activities")
    )
    stores.append(_store("notes", f"{len(notes)} notes on the contact deleted"))
    stores.append(_store("audit", f"{audit} audit entries deleted (DeleteRecordChangeHistory)"))
    return stores


def anonymise_contact(
    http: HttpClient, contact_id: str, values: Mapping[str, Any]
) -> list[dict[str, str]]:
    """Blank every personal column the metadata lists, then delete the audit history that
    still holds the old values."""
    params = {"$select": "LogicalName,AttributeType,IsValidForUpdate,IsPrimaryId"}
    attributes = http.get(config.ENDPOINTS["contact_attributes"], params=params).json()["value"]
    body: dict[str, Any] = {
        a["LogicalName"]: None
        for a in attributes
        if a.get("IsValidForUpdate")
        and not a.get("IsPrimaryId")
        and a.get("AttributeType") in config.ANONYMISE_TYPES
    }
    body.update(config.ANONYMISED_NAMES)
    body.update(values)
    path = config.ENDPOINTS["contact"].format(id=contact_id)
    http.patch(path, json=body, headers={"If-Match": "*"})
    audit = forget_history(http, "contact", contact_id)
    return [
        _store("record", f"{len(body)} personal columns (from the contact's metadata) blanked"),
        _store("audit", f"{audit} audit entries deleted (DeleteRecordChangeHistory)"),
    ]
