"""A deletion event is a hint: forged, replayed or held deletions change nothing.

Red-team finding (issue 17): a Freshdesk webhook ``{"contact_id": .., "triggered_event":
"{ticket_action:deleted}"}`` sent with the rule's Basic credential shredded a person under
legal hold whose contact still existed in Freshdesk.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, current_app

from adapters.basic_auth import basic_auth_header
from plugin.auth.tokens import issue_token
from plugin.extensions import db
from plugin.ingest import inbox
from plugin.ingest.processor import drain, handle, process_event
from plugin.ingest.settings import ingest_settings
from plugin.models import AuditEvent, DataSubject, Finding, InboxEvent, SubjectKey, Ticket
from plugin.models.types import utcnow
from plugin.retention.vendors import adapters
from plugin.subjects.identity import find_or_create_subject
from plugin.vault import get_vault
from plugin.vendors.contract import Adapter, VendorContact
from tests.ingest.conftest import ingest_app, sims

__all__ = ["ingest_app", "sims"]
VENDORS = ("freshdesk", "hubspot", "dynamics")


def vendor_adapter(vendor: str) -> Adapter:
    return adapters(current_app._get_current_object())[vendor]  # type: ignore[attr-defined]


def _in_vendor(vendor: str, sim: Any) -> tuple[str, str]:
    """A contact and one of their tickets created in the vendor's simulator."""
    if vendor == "freshdesk":
        contact = sim.add_contact("Jens Hansen", "jens@example.com", "+4512345678")
        return str(contact), str(sim.add_ticket("Help", "Ring 12345678", contact, notify=False))
    if vendor == "hubspot":
        contact = sim.add_contact(email="jens@example.com", firstname="Jens", lastname="Hansen")
        return contact, sim.add_ticket("Help", "Ring 12345678", contact)
    contact = sim.add_contact("Jens", "Hansen", "jens@example.com")
    return contact, sim.add_incident("Help", "Ring 12345678", contact)


def _person(vendor: str, sims: dict[str, Any]) -> tuple[DataSubject, str, Ticket]:
    """A person known to the vendor and to Datavagt, with a sealed finding on their ticket."""
    contact, external = _in_vendor(vendor, sims[vendor])
    subject = find_or_create_subject(
        vendor, VendorContact(external_id=contact, email="jens@example.com")
    )
    ticket = Ticket(
        vendor=vendor,
        external_id=external,
        subject_id=subject.id,
        purpose="support",
        status="open",
        last_activity_at=utcnow(),
    )
    db.session.add(ticket)
    db.session.flush()
    item = get_vault().encrypt(
        subject.id, "12345678", field="description", kind="phone", ticket_id=ticket.id
    )
    ticket.findings.append(
        Finding(
            subject_id=subject.id,
            field="description",
            type="phone",
            category="contact",
            start=5,
            end=13,
            score=1.0,
            detector="phone",
            vault_item_id=item.id,
            masked="[phone]",
        )
    )
    db.session.commit()
    return subject, contact, ticket


def _event(vendor: str, object_type: str, object_id: str, kind: str = "deleted") -> InboxEvent:
    row = InboxEvent(
        vendor=vendor,
        event_key=f"{object_type}:{object_id}:{kind}",
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        payload={},
        status=inbox.PROCESSING,
        attempts=1,
        next_attempt_at=utcnow(),
        received_at=utcnow(),
    )
    db.session.add(row)
    db.session.commit()
    return row


def _untouched(subject: DataSubject, ticket: Ticket) -> None:
    """Nothing of the person or the ticket was removed."""
    db.session.expire_all()
    assert db.session.get(DataSubject, subject.id).erased_at is None
    assert db.session.get(Ticket, ticket.id).deleted_at is None
    assert db.session.query(Finding).filter_by(ticket_id=ticket.id).count() == 1
    keys = db.session.query(SubjectKey).filter_by(subject_id=subject.id)
    assert keys.filter(SubjectKey.wrapped_key.is_not(None)).count() == 1
    assert db.session.query(AuditEvent).filter_by(action="erase").count() == 0


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("object_type", ["ticket", "contact"])
@pytest.mark.parametrize("kind", ["deleted", "privacy_deletion"])
def test_a_deletion_the_vendor_does_not_confirm_changes_nothing(
    ingest_app: Flask, sims: dict[str, Any], vendor: str, object_type: str, kind: str
) -> None:
    subject, contact, ticket = _person(vendor, sims)
    object_id = contact if object_type == "contact" else ticket.external_id
    row = _event(vendor, object_type, object_id, kind)
    assert handle(row, ingest_settings()) == "not_confirmed"
    db.session.commit()
    _untouched(subject, ticket)
    refused = db.session.query(AuditEvent).filter_by(action="webhook_rejected").one()
    assert refused.subject_id == subject.id and refused.details["kind"] == kind


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("hold_on", ["ticket", "subject"])
@pytest.mark.parametrize("object_type", ["ticket", "contact"])
def test_a_confirmed_deletion_under_legal_hold_is_parked_with_its_reason(
    ingest_app: Flask, sims: dict[str, Any], vendor: str, hold_on: str, object_type: str
) -> None:
    subject, contact, ticket = _person(vendor, sims)
    held = ticket if hold_on == "ticket" else subject
    held.legal_hold, held.legal_hold_reason = True, "Case 2026-17"
    db.session.commit()
    adapter = vendor_adapter(vendor)
    if object_type == "ticket":
        adapter.delete_ticket(ticket.external_id)
        object_id = ticket.external_id
    else:
        adapter.erase_contact(contact)
        object_id = contact
    assert not adapter.record_exists(object_type, object_id)  # really gone at the vendor
    row = _event(vendor, object_type, object_id)
    assert process_event(row.id) == inbox.PARKED
    _untouched(subject, ticket)
    parked = db.session.get(InboxEvent, row.id)
    assert parked.status == inbox.PARKED and parked.last_error.startswith("EventParked: legal_hold")
    assert "jens" not in parked.last_error.lower()


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_deletion_the_vendor_confirms_still_takes_effect(
    ingest_app: Flask, sims: dict[str, Any], vendor: str
) -> None:
    subject, contact, ticket = _person(vendor, sims)
    vendor_adapter(vendor).erase_contact(contact)
    row = _event(vendor, "contact", contact, "privacy_deletion")
    assert handle(row, ingest_settings()) == "deleted"
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(DataSubject, subject.id).erased_at is not None
    assert db.session.query(Finding).count() == 0


def test_the_red_team_freshdesk_webhook_no_longer_shreds_a_held_person(
    ingest_app: Flask, sims: dict[str, Any]
) -> None:
    """The exact repro, over HTTP: forged contact deletion, person under hold, contact alive."""
    subject, contact, ticket = _person("freshdesk", sims)
    fd = sims["freshdesk"]
    body = {"contact_id": contact, "triggered_event": "{ticket_action:deleted}"}
    headers = {"Authorization": basic_auth_header(fd.webhook_user, fd.webhook_password)}
    client = ingest_app.test_client()
    assert client.post("/webhooks/freshdesk", json=body, headers=headers).status_code == 202
    drain()
    _untouched(subject, ticket)
    # Under a hold, and now really deleted at Freshdesk: still nothing, and the DPO sees why.
    db.session.get(DataSubject, subject.id).legal_hold = True
    db.session.commit()
    vendor_adapter("freshdesk").erase_contact(contact)
    replay = {**body, "ticket_updated_at": "2026-12-07T12:00:00Z"}
    response = client.post("/webhooks/freshdesk", data=json.dumps(replay), headers=headers)
    assert response.status_code == 202
    drain()
    _untouched(subject, ticket)
    parked = db.session.scalars(sa.select(InboxEvent).where(InboxEvent.status == "parked")).one()
    assert "legal hold" in parked.last_error
    # The DPO sees the waiting deletion beside the hold that stopped it.
    token = issue_token(ingest_app.extensions["datavagt.keyring"], agent="dpo-1", role="dpo")
    holds = client.get("/api/retention/holds", headers={"Authorization": f"Bearer {token}"})
    (hold,) = holds.get_json()["holds"]
    assert hold["subject_id"] == subject.id
    assert [p["event_id"] for p in hold["parked_deletions"]] == [parked.id]
