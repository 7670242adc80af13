"""Seed a HubSpot simulator with the demo tickets."""

from __future__ import annotations

from typing import Any

from adapters.demo_data import TICKETS
from adapters.hubspot.simulator import HubSpotSimulator


def seed(sim: HubSpotSimulator) -> dict[str, Any]:
    """Create demo contacts and tickets; returns their ids."""
    contacts: dict[str, str] = {}
    tickets: list[str] = []
    for demo in TICKETS:
        person = demo.person
        if person.email not in contacts:
            contacts[person.email] = sim.add_contact(
                email=person.email,
                firstname=person.first,
                lastname=person.last,
                phone=person.phone,
                address=person.address,
            )
        extra = (
            {"closed_date": "2024-01-15T10:00:00.000Z", "hs_pipeline_stage": "4"}
            if (demo.closed)
            else {}
        )
        tickets.append(sim.add_ticket(demo.subject, demo.body, contacts[person.email], **extra))
    return {"contacts": sorted(contacts.values()), "tickets": tickets}
