"""End to end over real HTTP: simulators -> webhooks -> sidecar inbox -> `datavagt worker`
subprocess -> tokens written back in the simulators -> inventory; and SIGKILL mid-way."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.config import ROOT
from plugin.extensions import db
from plugin.inventory import inventory_for_ticket
from plugin.models import Finding, InboxEvent, SubjectIdentifier, Ticket, VaultItem
from simulators.common.server import SimulatorServer
from tests.ingest.conftest import sims, vendor_settings, write_manifest

__all__ = ["sims"]
TOKEN = re.compile(r"\[(?:CPR|phone|name|e-mail|IBAN|card|address|health)[^\]]*\]")
CPR = re.compile(r"\d{6}-\d{4}")


@pytest.fixture
def sidecar(
    make_app: Callable[..., Flask], sims: dict[str, Any], tmp_path: Path
) -> Iterator[dict[str, Any]]:
    """The sidecar serving webhooks over HTTP; simulators call it; env for worker processes."""
    manifest = write_manifest(tmp_path, lease_seconds=2, backoff_seconds=0.2, backoff_cap_seconds=1)
    app = make_app(manifest=manifest, **vendor_settings(sims))
    server = SimulatorServer(app).start()
    keys = vendor_settings(sims)
    sims["freshdesk"].configure(webhook_url=f"{server.url}/webhooks/freshdesk")
    sims["hubspot"].configure(webhook_url=f"{server.url}/webhooks/hubspot")
    code = keys["dynamics"]["webhook_key"]
    sims["dynamics"].configure(webhook_url=f"{server.url}/webhooks/dynamics?code={code}")
    settings = app.extensions["datavagt.settings"]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DATAVAGT_DATABASE_URL": settings.database_url,
        "DATAVAGT_KEY_FILE": str(settings.key_file),
        "DATAVAGT_MANIFEST": manifest,
        "DATAVAGT_LOG_LEVEL": "WARNING",
    }
    for vendor, values in keys.items():
        env.update({f"DATAVAGT_{vendor.upper()}_{k.upper()}": v for k, v in values.items()})
    with app.app_context():
        yield {"app": app, "env": env, "url": server.url, "log": tmp_path / "worker.log"}
    server.stop()


def start_worker(sidecar: dict[str, Any]) -> subprocess.Popen[bytes]:
    """`datavagt worker` as its own process, polling every second."""
    log = open(sidecar["log"], "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "plugin.cli.main", "worker", "--poll", "interval:1s"],
        cwd=ROOT,
        env=sidecar["env"],
        stdout=log,
        stderr=log,
    )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop a worker we started (by its own pid) and reap it."""
    if process.poll() is None:
        process.send_signal(sig)
    process.wait(timeout=30)


def statuses() -> dict[str, int]:
    db.session.rollback()  # see the worker's commits
    rows = db.session.execute(
        sa.select(InboxEvent.status, sa.func.count()).group_by(InboxEvent.status)
    )
    return {status: int(n) for status, n in rows}


def wait_for(check: Callable[[], bool], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out; inbox is {statuses()}")


def all_done() -> bool:
    counts = statuses()
    return bool(counts) and set(counts) == {"done"}


def create_tickets(sims: dict[str, Any], n: int) -> list[tuple[str, str]]:
    """n tickets per vendor, each with a CPR number and a phone number; returns refs."""
    refs: list[tuple[str, str]] = []
    fd, hs, dy = sims["freshdesk"], sims["hubspot"], sims["dynamics"]
    for i in range(n):
        text = f"Mit CPR er 0101{i % 90 + 10:02d}-12{i % 90 + 10:02d}, ring 20 12 34 {i:02d}."
        person = fd.add_contact(f"Jens Hansen{i}", f"jens{i}@example.com")
        refs.append(("freshdesk", str(fd.add_ticket("Faktura", f"<p>{text}</p>", person))))
        contact = hs.add_contact(firstname="Mette", lastname=f"Olsen{i}", email=f"m{i}@example.dk")
        refs.append(("hubspot", hs.add_ticket("Spørgsmål", text, contact)))
        case_contact = dy.add_contact("Karen", f"Blixen{i}", f"k{i}@example.dk")
        refs.append(("dynamics", dy.add_incident("Opkald", text, case_contact)))
    return refs


def vendor_text(sims: dict[str, Any], vendor: str, ref: str) -> str:
    if vendor == "freshdesk":
        t = sims["freshdesk"].tickets[int(ref)]
        return f"{t['subject']}\n{t['description']}"
    if vendor == "hubspot":
        p = sims["hubspot"].tickets[ref]["properties"]
        return f"{p['subject']}\n{p['content']}"
    c = sims["dynamics"].incidents[ref]
    return f"{c['title']}\n{c['description']}"


def check_tokenised_once(sims: dict[str, Any], refs: list[tuple[str, str]]) -> None:
    """Every ticket: no original left, one finding per token, no duplicates anywhere."""
    db.session.rollback()
    for vendor, ref in refs:
        text = vendor_text(sims, vendor, ref)
        assert not CPR.search(text), f"{vendor} ticket still holds a CPR number"
        ticket = db.session.scalars(
            sa.select(Ticket).where(Ticket.vendor == vendor, Ticket.external_id == ref)
        ).one()
        findings = db.session.scalars(
            sa.select(Finding).where(Finding.ticket_id == ticket.id)
        ).all()
        assert {f.type for f in findings} >= {"cpr", "phone"}
        assert len(findings) == len(TOKEN.findall(text)), f"{vendor}: findings != tokens"
        assert all(f.written_back for f in findings)
    n_findings = db.session.scalar(sa.select(sa.func.count()).select_from(Finding))
    n_keys = db.session.scalar(sa.select(sa.func.count(sa.distinct(Finding.dedupe_key))))
    n_items = db.session.scalar(sa.select(sa.func.count()).select_from(VaultItem))
    n_ids = db.session.scalar(sa.select(sa.func.count()).select_from(SubjectIdentifier))
    assert n_findings == n_keys and n_items == n_findings + n_ids


def test_tickets_flow_from_each_simulator_to_inventory(sidecar: dict, sims: dict) -> None:
    refs = create_tickets(sims, 1)
    for sim in sims.values():
        assert sim.flush_webhooks(10)
    # The webhooks only stored the events (contact creations arrive too).
    assert set(statuses()) == {"pending"}
    tickets = sa.select(sa.func.count()).where(InboxEvent.object_type == "ticket")
    assert db.session.scalar(tickets) == 3
    worker = start_worker(sidecar)
    try:
        wait_for(lambda: all_done() and all(not CPR.search(vendor_text(sims, *r)) for r in refs))
        for sim in sims.values():  # the echoes of our own writes arrive and are handled
            sim.flush_webhooks(10)
        wait_for(all_done)
    finally:
        stop(worker)
    assert worker.returncode == 0, sidecar["log"].read_text()
    check_tokenised_once(sims, refs)
    for vendor, ref in refs:
        ticket = db.session.scalars(
            sa.select(Ticket).where(Ticket.vendor == vendor, Ticket.external_id == ref)
        ).one()
        inv = inventory_for_ticket(ticket)
        assert inv["purpose"] == "support" and "identity" in inv["categories"]
        assert "contact" in inv["categories"] and inv["subject_id"]
    assert "010110" not in sidecar["log"].read_text()  # no personal data in the worker's log


@pytest.mark.slow
def test_sigkill_mid_way_loses_nothing(sidecar: dict, sims: dict) -> None:
    for sim in sims.values():
        sim.configure(latency=0.05)  # slow vendors: the kill lands while work is in flight
    refs = create_tickets(sims, 6)
    for sim in sims.values():
        assert sim.flush_webhooks(20)
    total = len(refs)
    worker = start_worker(sidecar)
    try:
        wait_for(lambda: statuses().get("done", 0) >= 3)
    finally:
        stop(worker, signal.SIGKILL)
    assert worker.returncode == -signal.SIGKILL
    assert statuses().get("done", 0) < total, "the kill came too late to test anything"
    restarted = start_worker(sidecar)
    try:
        wait_for(lambda: all_done() and statuses()["done"] >= total, timeout=180)
        for sim in sims.values():
            sim.flush_webhooks(20)
        wait_for(all_done, timeout=120)
    finally:
        stop(restarted)
    check_tokenised_once(sims, refs)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == total
