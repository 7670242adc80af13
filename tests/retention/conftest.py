"""Retention fixtures: a Freshdesk simulator over real HTTP and tickets seeded on both sides."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, Response, request

from plugin.extensions import db
from plugin.models import DataSubject, Finding, Ticket
from plugin.models.types import utcnow
from plugin.retention.vendors import close_adapters
from simulators.freshdesk.simulator import FreshdeskSimulator

FAST = {
    "retention_backoff_base": 0.05,
    "retention_backoff_max": 0.5,
    "retention_idle_sleep": 0.05,
    "retention_lease_seconds": 30,
}


class StatusLog:
    """Answers the simulator gave, per (method, path, status): proves exactly-once effects."""

    def __init__(self, sim: FreshdeskSimulator) -> None:
        self.counts: Counter[tuple[str, str, int]] = Counter()
        self._lock = threading.Lock()

        @sim.app.after_request
        def _count(response: Response) -> Response:
            if not request.path.startswith("/_sim/"):
                with self._lock:
                    self.counts[(request.method, request.path, response.status_code)] += 1
            return response

    def deletes(self, ticket_id: int, status: int = 204) -> int:
        """How often DELETE on one ticket got ``status``."""
        return self.counts[("DELETE", f"/api/v2/tickets/{ticket_id}", status)]

    def counts_for(self, ticket_id: int) -> int:
        """Any call on one ticket's URL (used to prove a ticket was never touched)."""
        path = f"/api/v2/tickets/{ticket_id}"
        return sum(n for (_, p, _), n in self.counts.items() if p == path)

    def total(self, status: int) -> int:
        """Answers with one status, any endpoint."""
        return sum(n for (_, _, s), n in self.counts.items() if s == status)


def start_freshdesk(**kwargs: Any) -> tuple[FreshdeskSimulator, StatusLog]:
    """A started simulator (high limit unless given) with a status log attached."""
    sim = FreshdeskSimulator(**{"rate_limit": 100_000, **kwargs})
    log = StatusLog(sim)
    sim.start()
    return sim, log


def freshdesk_settings(sim: FreshdeskSimulator) -> dict[str, str]:
    """Adapter settings pointing at the simulator."""
    return {
        "base_url": sim.url,
        "api_key": sim.api_key,
        "webhook_user": sim.webhook_user,
        "webhook_password": sim.webhook_password,
    }


@pytest.fixture
def freshdesk() -> Iterator[tuple[FreshdeskSimulator, StatusLog]]:
    """A Freshdesk simulator with a high rate limit."""
    sim, log = start_freshdesk()
    yield sim, log
    sim.stop()


@pytest.fixture
def retention_app(
    make_app: Callable[..., Flask], freshdesk: tuple[FreshdeskSimulator, StatusLog]
) -> Iterator[Flask]:
    """An app wired to the Freshdesk simulator with short backoffs, inside an app context."""
    sim, _ = freshdesk
    app = make_app(freshdesk=freshdesk_settings(sim), **FAST)
    with app.app_context():
        yield app
        close_adapters(app)


def seed(
    sim: FreshdeskSimulator,
    *,
    due: int,
    fresh: int,
    purpose: str = "support",
    categories: tuple[str, ...] = (),
    subject: DataSubject | None = None,
) -> tuple[list[Ticket], list[Ticket]]:
    """Create closed tickets in the simulator and in Datavagt: ``due`` overdue, ``fresh`` not."""
    if subject is None:
        subject = DataSubject()
        db.session.add(subject)
        db.session.flush()
    contact = sim.add_contact("Test Person", f"p{subject.id[:8]}@example.com")
    now = utcnow()
    made: tuple[list[Ticket], list[Ticket]] = ([], [])
    for index in range(due + fresh):
        overdue = index < due
        closed = now - timedelta(days=400 if overdue else 10)
        external = sim.add_ticket("Hi", "Body", contact, status=5, notify=False)
        ticket = Ticket(
            vendor="freshdesk",
            external_id=str(external),
            subject_id=subject.id,
            purpose=purpose,
            status="closed",
            closed_at=closed,
            vendor_created_at=closed - timedelta(days=1),
        )
        for category in categories:
            ticket.findings.append(
                Finding(
                    field="description",
                    type="x",
                    category=category,
                    start=0,
                    end=1,
                    score=1.0,
                    detector="test",
                    masked="[x]",
                )
            )
        db.session.add(ticket)
        made[0 if overdue else 1].append(ticket)
    db.session.commit()
    return made
