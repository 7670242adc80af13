"""Seed a Dynamics simulator with the demo cases."""

from __future__ import annotations

from typing import Any

from adapters.demo_data import TICKETS
from adapters.dynamics.simulator import DynamicsSimulator


def seed(sim: DynamicsSimulator) -> dict[str, Any]:
    """Create demo contacts and cases; returns their ids."""
    contacts: dict[str, str] = {}
    incidents: list[str] = []
    for demo in TICKETS:
        person = demo.person
        if person.email not in contacts:
            contacts[person.email] = sim.add_contact(
                person.first, person.last, person.email, person.phone, person.address
            )
        description = demo.body.replace("<p>", "").replace("</p>", "")
        state = 1 if demo.closed else 0
        incidents.append(sim.add_incident(demo.subject, description, contacts[person.email], state))
    return {"contacts": sorted(contacts.values()), "tickets": incidents}
