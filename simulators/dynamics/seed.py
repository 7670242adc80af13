"""Seed a Dynamics simulator with the demo cases."""

from __future__ import annotations

from typing import Any

from adapters.demo_data import TICKETS
from simulators.dynamics.simulator import DynamicsSimulator

# A received e-mail on the first case: the customer follows up by mail.
FOLLOW_UP = (
    "<p>Hej igen. Pengene er stadig ikke kommet retur. Mit CPR-nummer er 070761-4285, "
    "og I kan ringe på +45 21 34 56 78 efter kl. 16.</p>"
)


def seed(sim: DynamicsSimulator) -> dict[str, Any]:
    """Create demo contacts and cases (the first with a received e-mail); returns their ids."""
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
    emails = [sim.add_email(incidents[0], FOLLOW_UP, subject="Re: Refusion")]
    return {"contacts": sorted(contacts.values()), "tickets": incidents, "emails": emails}
