"""Simulators send real, authenticated webhooks to a sidecar served over HTTP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.models import InboxEvent
from plugin.vendors.contract import Adapter, WebhookEvent
from plugin.webhooks import register
from simulators.common.server import SimulatorServer
from simulators.common.webhooks import DeliveryPolicy
from simulators.dynamics.simulator import DynamicsSimulator
from simulators.freshdesk.simulator import FreshdeskSimulator
from simulators.hubspot.simulator import HubSpotSimulator


@contextmanager
def _sidecar(make_app: Callable[..., Flask], **vendors: dict[str, str]) -> Iterator[Flask]:
    app = make_app(**vendors)
    register(app)
    server = SimulatorServer(app).start()
    app.config["TEST_URL"] = server.url
    try:
        yield app
    finally:
        server.stop()


def _events(app: Flask, vendor: str) -> list[WebhookEvent]:
    with app.app_context():
        rows = db.session.scalars(sa.select(InboxEvent).where(InboxEvent.vendor == vendor)).all()
        db.session.remove()
        return [
            WebhookEvent(
                r.vendor,
                r.event_key,
                r.kind,
                r.object_type,
                r.object_id,
                None,
                r.payload.get("change_source"),
                r.payload.get("attempt"),
                r.payload.get("actor"),
            )
            for r in rows
        ]


def _adapter(app: Flask, vendor: str) -> Adapter:
    return app.extensions["datavagt.adapters"][vendor]


def test_freshdesk_rule_webhooks_arrive(make_app: Callable[..., Flask]) -> None:
    with FreshdeskSimulator() as sim:
        settings = {
            "base_url": sim.url,
            "api_key": sim.api_key,
            "webhook_user": sim.webhook_user,
            "webhook_password": sim.webhook_password,
        }
        with _sidecar(make_app, freshdesk=settings) as app:
            sim.configure(webhook_url=f"{app.config['TEST_URL']}/webhooks/freshdesk")
            tid = sim.add_ticket("Hej", "<p>CPR 070761-4285</p>", sim.add_contact("A", "a@b.dk"))
            _adapter(app, "freshdesk").write_fields(str(tid), {"subject": "[masked]"})
            assert sim.flush_webhooks()
            assert [d.status for d in sim.deliveries] == [202, 202]
            events = _events(app, "freshdesk")
            assert [e.kind for e in events] == ["created", "updated"]


def test_hubspot_signed_webhooks_retry_and_echo(make_app: Callable[..., Flask]) -> None:
    with HubSpotSimulator() as sim:
        sim.delivery_policy = DeliveryPolicy(max_attempts=3, delay=0.01)
        settings = {
            "base_url": sim.url,
            "token": sim.token,
            "client_secret": "not-the-secret",
            "app_id": str(sim.app_id),
        }
        with _sidecar(make_app, hubspot=settings) as app:
            sim.configure(webhook_url=f"{app.config['TEST_URL']}/webhooks/hubspot")
            sim.add_ticket("Hi", "body")
            assert sim.flush_webhooks()
            assert [d.status for d in sim.deliveries] == [401, 401, 401]  # HubSpot retries
        settings["client_secret"] = sim.client_secret
        with _sidecar(make_app, hubspot=settings) as app:
            sim.configure(webhook_url=f"{app.config['TEST_URL']}/webhooks/hubspot")
            tid = sim.add_ticket("Hi", "CPR 070761-4285")
            adapter = _adapter(app, "hubspot")
            adapter.write_fields(tid, {"content": "[masked]"})
            assert sim.flush_webhooks()
            events = _events(app, "hubspot")
            kinds = {e.kind: e for e in events}
            assert set(kinds) == {"created", "updated"}
            assert adapter.is_own_change(kinds["updated"])
            assert not adapter.is_own_change(kinds["created"])


def test_dynamics_webhooks_with_key_and_own_user(make_app: Callable[..., Flask]) -> None:
    with DynamicsSimulator() as sim:
        settings = {
            "org_url": sim.url,
            "tenant_id": sim.aad.tenant_id,
            "client_id": sim.aad.client_id,
            "client_secret": sim.aad.client_secret,
            "authority_url": sim.url,
            "webhook_key": sim.webhook_key,
        }
        with _sidecar(make_app, dynamics=settings) as app:
            sim.configure(webhook_url=f"{app.config['TEST_URL']}/webhooks/dynamics")
            iid = sim.add_incident("Sag", "CPR 070761-4285")
            adapter = _adapter(app, "dynamics")
            adapter.write_fields(iid, {"description": "[masked]"})
            adapter.delete_ticket(iid)
            assert sim.flush_webhooks()
            events = {e.kind: e for e in _events(app, "dynamics")}
            assert set(events) == {"created", "updated", "deleted"}
            assert adapter.is_own_change(events["updated"])
            assert not adapter.is_own_change(events["created"])
