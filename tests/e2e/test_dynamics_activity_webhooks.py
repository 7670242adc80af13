"""End to end over real HTTP: a new e-mail on an already-ingested Dynamics case posts an
email webhook -> sidecar inbox (as an update of the case) -> worker -> a new finding."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.ingest.processor import drain
from plugin.models import Finding, InboxEvent, Ticket
from simulators.common.server import SimulatorServer
from tests.ingest.conftest import sims, vendor_settings, write_manifest

__all__ = ["sims"]
CPR = "010190-1234"


@pytest.fixture
def served(make_app: Callable[..., Flask], sims: dict[str, Any], tmp_path: Path) -> Iterator[Any]:
    """The sidecar on a local port; the Dynamics simulator posts its webhooks there."""
    manifest = write_manifest(tmp_path, backoff_seconds=0.01, backoff_cap_seconds=0.05)
    app = make_app(manifest=manifest, **vendor_settings(sims))
    server = SimulatorServer(app).start()
    dy = sims["dynamics"]
    dy.configure(webhook_url=f"{server.url}/webhooks/dynamics?code={dy.webhook_key}")
    with app.app_context():
        yield dy
    server.stop()


def _ticket_events(incident_id: str) -> list[InboxEvent]:
    db.session.rollback()  # see what the served app committed
    query = sa.select(InboxEvent).where(
        InboxEvent.vendor == "dynamics",
        InboxEvent.object_type == "ticket",
        InboxEvent.object_id == incident_id,
    )
    return list(db.session.scalars(query.order_by(InboxEvent.id)))


def test_new_received_email_on_an_ingested_case_is_classified(served: Any) -> None:
    dy = served
    contact = dy.add_contact("Jens", "Hansen", "jens@example.com")
    iid = dy.add_incident("Faktura", "Spørgsmål om en faktura.", contact)
    assert dy.flush_webhooks(10)
    assert len(_ticket_events(iid)) == 1  # the case's Create
    drain()
    ticket = db.session.scalars(sa.select(Ticket).where(Ticket.external_id == iid)).one()
    assert ticket.unwritable_fields == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) == 0

    # The case record does not change; only the e-mail's webhook tells us.
    modified = dy.incidents[iid]["modifiedon"]
    eid = dy.add_email(iid, f"<p>Hej, mit CPR er {CPR}.</p>", notify=True)
    assert dy.flush_webhooks(10)
    assert dy.incidents[iid]["modifiedon"] == modified
    assert [d.status for d in dy.deliveries][-1] == 202
    events = _ticket_events(iid)
    assert len(events) == 2
    assert events[-1].kind == "updated" and events[-1].event_key.startswith(f"email:{eid}:")
    assert CPR not in str(events[-1].payload)
    drain()

    db.session.rollback()
    field = f"conversation.email:{eid}"
    rows = db.session.scalars(sa.select(Finding).where(Finding.field == field)).all()
    assert "cpr" in {r.type for r in rows} and not any(r.written_back for r in rows)
    ticket = db.session.scalars(sa.select(Ticket).where(Ticket.external_id == iid)).one()
    assert ticket.unwritable_fields == [field]
    assert CPR in dy.emails[eid]["description"]  # received: read-only at Dynamics
    assert dy.count("PATCH", "/api/data/v9.2/emails({id})") == 0


def test_note_adds_an_event_and_a_cut_down_email_body_none(served: Any) -> None:
    dy = served
    contact = dy.add_contact("Jens", "Hansen", "jens@example.com")
    iid = dy.add_incident("Faktura", "Spørgsmål om en faktura.", contact)
    assert dy.flush_webhooks(10)
    before = len(_ticket_events(iid))
    nid = dy.add_note(iid, f"Kunden oplyste CPR {CPR}.", notify=True)
    assert dy.flush_webhooks(10)
    events = _ticket_events(iid)
    assert len(events) == before + 1 and events[-1].event_key.startswith(f"annotation:{nid}:")

    # Over 256 KB Dynamics drops InputParameters: accepted, no event (backfill catches up).
    dy.add_email(iid, "<p>" + "x" * 300_000 + "</p>", notify=True)
    assert dy.flush_webhooks(10)
    last = dy.deliveries[-1]
    assert last.status == 202
    assert len(_ticket_events(iid)) == before + 1
