"""Start simulators and the sidecar, seed tickets, let them flow, and print what to open."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from plugin import database
from plugin.app import create_app
from plugin.cli.simulate import simulator_class
from plugin.consent.seed import seed_now
from plugin.extensions import db
from plugin.ingest.backfill import enqueue_backfill
from plugin.models import Finding, InboxEvent, OutboxJob, Ticket
from plugin.purposes import sync_purposes
from plugin.retention.demo import seed_due
from plugin.retention.sweep import sweep_job
from plugin.worker.scheduler import start_for_server
from simulators.common.server import SimulatorServer

VENDORS = ("freshdesk", "hubspot", "dynamics")
BACKFILL_DAYS = 30
Echo = Callable[[str], None]


@dataclass
class Demo:
    """Everything the demo started, so it can be stopped in order."""

    app: Flask
    url: str
    sidecar: SimulatorServer
    simulators: dict[str, Any] = field(default_factory=dict)

    def stop(self) -> None:
        """Stop the scheduler, the sidecar and the simulators."""
        scheduler = self.app.extensions.get("datavagt.scheduler")
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        self.sidecar.stop()
        for sim in self.simulators.values():
            sim.stop()


def _webhook_url(base: str, vendor: str, settings: dict[str, str]) -> str:
    # Dynamics authenticates webhooks with the WebhookKey (?code=); the others sign or use Basic.
    url = f"{base}/webhooks/{vendor}"
    return f"{url}?code={settings['webhook_key']}" if vendor == "dynamics" else url


def _check_port_free(host: str, port: int) -> None:
    """Raise OSError now rather than let werkzeug print and exit after the simulators start."""
    if port:
        with socket.socket() as probe:
            probe.bind((host, port))


def start(data_dir: Path, host: str, port: int) -> Demo:
    """Simulators on free ports, then the sidecar on ``host:port`` configured to call them."""
    data_dir.mkdir(parents=True, exist_ok=True)
    _check_port_free(host, port)
    simulators = {vendor: simulator_class(vendor)(host=host).start() for vendor in VENDORS}
    config: dict[str, Any] = {
        "database_url": f"sqlite:///{(data_dir / 'datavagt.db').resolve()}",
        "key_file": str((data_dir / "datavagt.keys").resolve()),
        "scheduler": "on",
        "log_level": "WARNING",
    }
    config.update({vendor: sim.sidecar_settings() for vendor, sim in simulators.items()})
    app = create_app(config)
    with app.app_context():
        database.upgrade(app.config["SQLALCHEMY_DATABASE_URI"])
        sync_purposes(app.extensions["datavagt.manifest"])
        seed_now(app)
    sidecar = SimulatorServer(app, host=host, port=port).start()
    for vendor, sim in simulators.items():
        sim.configure(webhook_url=_webhook_url(sidecar.url, vendor, sim.sidecar_settings()))
    start_for_server(app)
    return Demo(app=app, url=sidecar.url, sidecar=sidecar, simulators=simulators)


def seed_and_ingest(demo: Demo, timeout: float = 90.0) -> dict[str, int]:
    """Seed every simulator, backfill as on install, and wait until the inbox is drained.

    Simulators announce new tickets by webhook where the vendor does; the backfill then
    picks up what was there before (Freshdesk's seed, like an existing helpdesk, sends none).
    """
    seeded = 0
    for sim in demo.simulators.values():
        seeded += len(sim.seed_demo()["tickets"])
    deadline = time.monotonic() + timeout
    with demo.app.app_context():
        since = datetime.now(UTC) - timedelta(days=BACKFILL_DAYS)
        for adapter in demo.app.extensions["datavagt.adapters"].values():
            enqueue_backfill(adapter, since)
        while time.monotonic() < deadline:
            pending = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(InboxEvent)
                .where(InboxEvent.status.in_(("pending", "processing")))
            )
            tickets = db.session.scalar(sa.select(sa.func.count()).select_from(Ticket))
            db.session.rollback()  # see the worker's commits on the next read
            if tickets and not pending:
                break
            time.sleep(0.5)
        counts = {
            "seeded": seeded,
            "tickets": db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) or 0,
            "findings": db.session.scalar(sa.select(sa.func.count()).select_from(Finding)) or 0,
            "parked": db.session.scalar(
                sa.select(sa.func.count())
                .select_from(InboxEvent)
                .where(InboxEvent.status == "parked")
            )
            or 0,
        }
        db.session.remove()
    return counts


def first_ticket(app: Flask, vendor: str) -> str | None:
    """The external id of an ingested ticket of ``vendor`` with findings, for the widget URL."""
    with app.app_context():
        ticket = db.session.scalar(
            sa.select(Ticket.external_id)
            .join(Finding, Finding.ticket_id == Ticket.id)
            .where(Ticket.vendor == vendor)
            .order_by(Ticket.id)
            .limit(1)
        )
        db.session.remove()
        return ticket


def retention_run(demo: Demo) -> dict[str, Any]:
    """Back-date a few tickets past their rule, then sweep and execute through the vendors."""
    refs = seed_due(demo.app)
    counts = sweep_job(demo.app)
    with demo.app.app_context():
        evidence = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(OutboxJob)
            .where(OutboxJob.status == "done", OutboxJob.evidence.is_not(None))
        )
        db.session.remove()
    return {"tickets": refs, "counts": counts, "evidence": evidence or 0}


def erasure_run(demo: Demo, timeout: float = 90.0) -> dict[str, Any]:
    """Erase the person behind the first Freshdesk ticket as a DPO would, wait for the vendor
    jobs, and issue the signed certificate (which names what remains where, until when)."""
    from plugin.erasure.certificate import issue
    from plugin.erasure.errors import ErasureError
    from plugin.erasure.service import erasure_status, request_erasure

    with demo.app.app_context():
        try:
            subject_id = db.session.scalar(
                sa.select(Ticket.subject_id)
                .join(Finding, Finding.ticket_id == Ticket.id)
                .where(Ticket.vendor == "freshdesk", Ticket.subject_id.is_not(None))
                .order_by(Ticket.id)
                .limit(1)
            )
            if subject_id is None:
                return {"subject": None}
            try:
                request_erasure(
                    subject_id,
                    actor_id="demo-dpo",
                    reason="Demo: the customer asked to be forgotten",
                    source="demo",
                )
            except ErasureError as exc:
                return {"subject": subject_id, "error": exc.message}
            deadline = time.monotonic() + timeout
            status = erasure_status(subject_id)
            while status["state"] == "in_progress" and time.monotonic() < deadline:
                db.session.rollback()  # see the dispatcher's commits
                time.sleep(0.5)
                status = erasure_status(subject_id)
            if status["state"] not in ("pending_expiry", "complete"):
                return {"subject": subject_id, "error": f"erasure {status['state']}"}
            return {"subject": subject_id, "claims": issue(subject_id)["claims"]}
        finally:
            db.session.remove()
