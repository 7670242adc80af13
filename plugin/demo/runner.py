"""Start simulators and the sidecar, seed tickets, let them flow, and print what to open."""

from __future__ import annotations

import shutil
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
from plugin.config import ConfigError
from plugin.consent.seed import seed_now
from plugin.demo.start_page import StartPage, register
from plugin.extensions import db
from plugin.ingest.backfill import enqueue_backfill
from plugin.mail import init_app as init_mail
from plugin.mail.sink import MailSink
from plugin.models import DataSubject, Finding, InboxEvent, OutboxJob, Ticket
from plugin.purposes import sync_purposes
from plugin.retention.demo import seed_due
from plugin.retention.sweep import sweep_job
from plugin.worker.scheduler import start_for_server
from simulators.common.server import SimulatorServer

VENDORS = ("freshdesk", "hubspot", "dynamics")
BACKFILL_DAYS = 30
Echo = Callable[[str], None]
# Written into a data folder the demo made: only such a folder is ever wiped by --reset.
MARKER = ".datavagt-demo"
DEMO_FILES = ("datavagt.db", "datavagt.keys", "datavagt-scheduler.lock", "datavagt-erasures")


@dataclass
class Demo:
    """Everything the demo started, so it can be stopped in order."""

    app: Flask
    url: str
    sidecar: SimulatorServer
    simulators: dict[str, Any] = field(default_factory=dict)
    page: StartPage = field(default_factory=StartPage)
    reused: bool = False  # the data folder held an earlier run's data, kept as it was
    data_dir: Path = Path("datavagt-demo")
    # vendor -> (ticket row id, external id, subject id): the tickets the start page opens,
    # which the demo's retention run and erasure must leave alone.
    linked: dict[str, tuple[int, str, str | None]] = field(default_factory=dict)

    @property
    def start_url(self) -> str:
        """The one URL the demo prints."""
        return self.url.rstrip("/") + self.page.path

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


def prepare_data_dir(data_dir: Path, reset: bool) -> bool:
    """Make the data folder ready; True when it holds an earlier run's data to reuse.

    ``reset`` wipes a folder the demo made (it carries MARKER, or an older demo's
    database); any other non-empty folder is refused rather than deleted.
    """
    database, keys = data_dir / "datavagt.db", data_dir / "datavagt.keys"
    if data_dir.exists() and any(data_dir.iterdir()):
        # The marker, or an older demo's default folder holding only what a demo writes.
        ours = (data_dir / MARKER).exists() or (
            data_dir.name == "datavagt-demo"
            and all(entry.name.startswith(DEMO_FILES) for entry in data_dir.iterdir())
        )
        if not ours:
            raise ConfigError(
                f"--data-dir: {data_dir} holds files the demo did not make — "
                "choose an empty or new folder"
            )
        if reset or not (database.exists() and keys.exists()):
            shutil.rmtree(data_dir)  # asked for, or half a run that cannot be reused
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / MARKER).write_text("made by `datavagt demo`; --reset deletes this folder\n")
    return database.exists() and keys.exists()


def start(data_dir: Path, host: str, port: int, reset: bool = False) -> Demo:
    """Simulators on free ports, then the sidecar on ``host:port`` configured to call them."""
    _check_port_free(host, port)
    reused = prepare_data_dir(data_dir, reset)
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
    # The demo's mail (portal links, message notices) goes to a sink its mail viewer shows.
    init_mail(app).sink = MailSink()
    page = StartPage()
    register(app, page)
    sidecar = SimulatorServer(app, host=host, port=port).start()
    for vendor, sim in simulators.items():
        sim.configure(webhook_url=_webhook_url(sidecar.url, vendor, sim.sidecar_settings()))
    start_for_server(app)
    return Demo(
        app=app,
        url=sidecar.url,
        sidecar=sidecar,
        simulators=simulators,
        page=page,
        reused=reused,
        data_dir=data_dir,
    )


def _count(model: type, *where: Any) -> int:
    """Rows of ``model`` matching ``where`` (in the current app context)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def held_counts(demo: Demo) -> dict[str, int]:
    """What the sidecar holds (live tickets, vaulted findings, parked events)."""
    with demo.app.app_context():
        counts = {
            "tickets": _count(Ticket, Ticket.deleted_at.is_(None)),
            "findings": _count(Finding),
            "parked": _count(InboxEvent, InboxEvent.status == "parked"),
        }
        db.session.remove()
    return counts


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
            "tickets": _count(Ticket),
            "findings": _count(Finding),
            "parked": _count(InboxEvent, InboxEvent.status == "parked"),
        }
        db.session.remove()
    return counts


def first_ticket(app: Flask, vendor: str) -> tuple[int, str, str | None] | None:
    """(row id, external id, subject id) of the first live ticket of ``vendor`` with
    findings and a person not erased: the ticket the start page's widget links open."""
    with app.app_context():
        row = db.session.execute(
            sa.select(Ticket.id, Ticket.external_id, Ticket.subject_id)
            .join(Finding, Finding.ticket_id == Ticket.id)
            .outerjoin(DataSubject, DataSubject.id == Ticket.subject_id)
            .where(
                Ticket.vendor == vendor,
                Ticket.deleted_at.is_(None),
                DataSubject.erased_at.is_(None),
            )
            .order_by(Ticket.id)
            .limit(1)
        ).first()
        db.session.remove()
        return (row[0], row[1], row[2]) if row is not None else None


def link_tickets(demo: Demo) -> None:
    """Choose the ticket per vendor the start page links to (before retention or erasure)."""
    for vendor in demo.simulators:
        found = first_ticket(demo.app, vendor)
        if found is not None:
            demo.linked[vendor] = found
            demo.page.tickets[vendor] = found[1]


def retention_run(demo: Demo) -> dict[str, Any]:
    """Back-date a few tickets past their rule, then sweep and execute through the vendors."""
    # Never the tickets the start page opens: the demo must not delete what it links to.
    refs = seed_due(demo.app, exclude={row_id for row_id, _, _ in demo.linked.values()})
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
    from plugin.erasure.scope import exemption
    from plugin.erasure.service import erasure_status, request_erasure

    with demo.app.app_context():
        try:
            # Someone whose tickets the start page does not open and who has no case kept
            # under Art. 17(3) (so the demo shows a whole erasure), most findings first.
            keep = {subject for _, _, subject in demo.linked.values() if subject}
            kept = {
                t.subject_id
                for t in db.session.scalars(sa.select(Ticket).where(Ticket.subject_id.is_not(None)))
                if exemption(t.purpose)
            }
            subject_id = db.session.scalar(
                sa.select(Ticket.subject_id)
                .join(Finding, Finding.ticket_id == Ticket.id)
                .where(
                    Ticket.vendor == "freshdesk",
                    Ticket.subject_id.is_not(None),
                    Ticket.subject_id.not_in(keep | kept),
                )
                .group_by(Ticket.subject_id)
                .order_by(sa.func.count(Finding.id).desc(), sa.func.max(Ticket.id).desc())
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
