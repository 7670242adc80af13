"""Seed a HubSpot simulator with the demo tickets."""

from __future__ import annotations

from typing import Any

from adapters.demo_data import TICKETS, DemoPerson
from simulators.hubspot.simulator import HubSpotSimulator


def seed(sim: HubSpotSimulator) -> dict[str, Any]:
    """Create demo contacts and tickets, and the customer's follow-up e-mail on the first
    ticket; returns their ids."""
    contacts: dict[str, str] = {}
    tickets: list[str] = []
    emails: list[str] = []
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
        if len(tickets) == 1:
            emails.append(_follow_up(sim, tickets[0], demo.subject, person))
    return {"contacts": sorted(contacts.values()), "tickets": tickets, "emails": emails}


def _follow_up(sim: HubSpotSimulator, ticket_id: str, subject: str, person: DemoPerson) -> str:
    """An incoming e-mail from the requester, logged on the ticket, with personal data."""
    return sim.add_email(
        ticket_id,
        html=(
            f"<div><p>Hej igen,</p><p>Jeg har stadig ikke fået pengene retur. Send gerne "
            f"brevet til {person.address}, eller ring på {person.phone}.</p>"
            f"<p>Mvh {person.first} {person.last}</p></div>"
        ),
        direction="INCOMING_EMAIL",
        hs_email_subject=f"Re: {subject}",
        hs_email_from_email=person.email,
    )
