"""Deletions made in the CRM reach Datavagt's own copies (through the inbox processor too)."""

from __future__ import annotations

from flask import Flask, current_app

from plugin.erasure.mirror import handle_vendor_deletion
from plugin.extensions import db
from plugin.ingest.processor import handle
from plugin.ingest.settings import ingest_settings
from plugin.models import AuditEvent, DataSubject, Finding, InboxEvent, SubjectKey, Ticket
from plugin.retention.vendors import adapters
from plugin.vendors.contract import Adapter, WebhookEvent
from tests.erasure.conftest import person


def _adapter() -> Adapter:
    return adapters(current_app._get_current_object())["freshdesk"]  # type: ignore[attr-defined]


def test_ticket_deleted_in_vendor_drops_our_copies(erasure_app: Flask, freshdesk: tuple) -> None:
    sim, _ = freshdesk
    subject, _contact, (first, second) = person(sim)
    _adapter().delete_ticket(first.external_id)  # deleted in Freshdesk (in trash)
    row = InboxEvent(
        vendor="freshdesk",
        event_key="e1",
        kind="deleted",
        object_type="ticket",
        object_id=first.external_id,
        payload={},
    )
    db.session.add(row)
    db.session.flush()
    assert handle(row, ingest_settings()) == "deleted"  # the ingest processor dispatches here
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Ticket, first.id).deleted_at is not None
    assert db.session.query(Finding).filter_by(ticket_id=first.id).count() == 0
    assert db.session.query(Finding).filter_by(ticket_id=second.id).count() == 1
    event = db.session.query(AuditEvent).filter_by(action="erase").one()
    assert event.ticket_ref == f"freshdesk:{first.external_id}"
    assert event.details["origin"] == "vendor"


def test_contact_privacy_deletion_shreds_the_subject(erasure_app: Flask, freshdesk: tuple) -> None:
    sim, _ = freshdesk
    subject, contact, _tickets = person(sim)
    _adapter().erase_contact(str(contact))
    event = WebhookEvent(
        vendor="freshdesk",
        event_key="e2",
        kind="privacy_deletion",
        object_type="contact",
        object_id=str(contact),
    )
    assert handle_vendor_deletion(event, _adapter()) == "deleted"
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(DataSubject, subject.id).erased_at is not None
    assert db.session.query(SubjectKey).filter(SubjectKey.wrapped_key.is_not(None)).count() == 0
    assert db.session.query(Finding).count() == 0
    details = db.session.query(AuditEvent).filter_by(action="erase").one().details
    assert details["shredded"] is True and details["object_type"] == "contact"


def test_unknown_objects_and_other_kinds_are_ignored(erasure_app: Flask) -> None:
    adapter = _adapter()
    for kind, object_type, object_id, outcome in (
        ("deleted", "ticket", "404", "unknown"),
        ("deleted", "contact", "404", "unknown"),
        ("updated", "ticket", "1", "skipped"),
    ):
        event = WebhookEvent("freshdesk", "k", kind, object_type, object_id)
        assert handle_vendor_deletion(event, adapter) == outcome
    db.session.commit()
    assert db.session.query(AuditEvent).count() == 0
