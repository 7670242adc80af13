"""Seed a Freshdesk simulator with the demo tickets."""

from __future__ import annotations

from typing import Any

from adapters.demo_data import TICKETS
from simulators.freshdesk.simulator import FreshdeskSimulator


def seed(sim: FreshdeskSimulator, notify: bool = False) -> dict[str, Any]:
    """Create demo contacts and tickets; returns their ids."""
    contacts: dict[str, int] = {}
    tickets: list[int] = []
    for demo in TICKETS:
        person = demo.person
        if person.email not in contacts:
            contacts[person.email] = sim.add_contact(
                f"{person.first} {person.last}", person.email, person.phone, address=person.address
            )
        tid = sim.add_ticket(
            demo.subject,
            demo.body,
            contacts[person.email],
            status=5 if demo.closed else 2,
            tags=list(demo.tags),
            notify=notify,
        )
        sim.add_conversation(tid, f"<div>{demo.person.first} skrev: {demo.body}</div>")
        tickets.append(tid)
    return {"contacts": sorted(contacts.values()), "tickets": tickets}
