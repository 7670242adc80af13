"""One person with a ticket in each simulator, recorded the way ingestion records it."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask

from plugin.extensions import db
from plugin.ingest.tokens import token_for
from plugin.models import Finding, Ticket
from plugin.subjects import find_or_create_subject
from plugin.vault import get_vault
from simulators.dynamics.simulator import DynamicsSimulator
from simulators.freshdesk.simulator import FreshdeskSimulator
from simulators.hubspot.simulator import HubSpotSimulator
from tests.agents.helpers import bearer

EMAIL = "karen.holm@example.dk"
PHONE = "+45 31 41 59 26"
CPR = "050482-1234"
# vendor -> the ticket field holding the text (all three are writable through the API).
FIELDS = {"freshdesk": "description", "hubspot": "content", "dynamics": "description"}
BODY = "Hej, mit CPR-nummer er {cpr}. Skriv til {email}."


@dataclass
class Person:
    """Where the seeded person's data lives."""

    subject_id: str = ""
    tickets: dict[str, str] = field(default_factory=dict)  # vendor -> external id
    findings: dict[str, dict[str, int]] = field(default_factory=dict)  # vendor -> type -> id


@dataclass
class Sims:
    """The three running simulators."""

    freshdesk: FreshdeskSimulator
    hubspot: HubSpotSimulator
    dynamics: DynamicsSimulator


def vendor_settings(sims: Sims) -> dict[str, dict[str, str]]:
    """App settings pointing every adapter at its simulator."""
    fd, hs, dy = sims.freshdesk, sims.hubspot, sims.dynamics
    return {
        "freshdesk": {
            "base_url": fd.url,
            "api_key": fd.api_key,
            "webhook_user": fd.webhook_user,
            "webhook_password": fd.webhook_password,
        },
        "hubspot": {"base_url": hs.url, "token": hs.token, "client_secret": hs.client_secret},
        "dynamics": {
            "org_url": dy.url,
            "authority_url": dy.url,
            "tenant_id": dy.aad.tenant_id,
            "client_id": dy.aad.client_id,
            "client_secret": dy.aad.client_secret,
            "webhook_key": dy.webhook_key,
        },
    }


def _create_in_vendors(sims: Sims) -> dict[str, str]:
    body = BODY.format(cpr=CPR, email=EMAIL)
    fd_contact = sims.freshdesk.add_contact("Karen Holm", EMAIL, PHONE)
    hs_contact = sims.hubspot.add_contact(
        email=EMAIL, firstname="Karen", lastname="Holm", phone=PHONE
    )
    dy_contact = sims.dynamics.add_contact("Karen", "Holm", EMAIL, PHONE)
    return {
        "freshdesk": str(sims.freshdesk.add_ticket("Faktura", body, fd_contact, notify=False)),
        "hubspot": str(sims.hubspot.add_ticket("Faktura", body, hs_contact)),
        "dynamics": str(sims.dynamics.add_incident("Faktura", body, dy_contact)),
    }


def add_finding(
    ticket: Ticket, subject_id: str, kind: str, category: str, value: str, field: str, text: str
) -> Finding:
    """Vault ``value`` (found in ``text``) for the subject and record it with ingestion's token."""
    start = text.index(value)
    item = get_vault().encrypt(subject_id, value, field=field, kind=kind, ticket_id=ticket.id)
    finding = Finding(
        ticket_id=ticket.id,
        subject_id=subject_id,
        field=field,
        type=kind,
        category=category,
        start=start,
        end=start + len(value),
        score=1.0,
        detector=kind,
        vault_item_id=item.id,
        masked=token_for(kind, value),
        written_back=True,
    )
    db.session.add(finding)
    db.session.flush()
    return finding


def post_rectify(app: Flask, person: Person, body: object, role: str = "dpo"):  # noqa: ANN201
    """POST /api/subjects/<person>/rectify with ``body`` as ``role``."""
    return app.test_client().post(
        f"/api/subjects/{person.subject_id}/rectify", json=body, headers=bearer(app, role)
    )


def seed_person(app: Flask, sims: Sims) -> Person:
    """Create the person's tickets in all three vendors, then vault and tokenise them."""
    person = Person(tickets=_create_in_vendors(sims))
    adapters = app.extensions["datavagt.adapters"]
    for vendor, external_id in person.tickets.items():
        adapter = adapters[vendor]
        vt = adapter.get_ticket(external_id)
        assert vt.requester is not None
        subject = find_or_create_subject(vendor, vt.requester)
        ticket = Ticket(
            vendor=vendor, external_id=external_id, subject_id=subject.id, purpose="support"
        )
        db.session.add(ticket)
        db.session.flush()
        name = FIELDS[vendor]
        text = vt.fields[name].text
        person.findings[vendor] = {}
        for kind, category, value in (("cpr", "identity", CPR), ("email", "contact", EMAIL)):
            finding = add_finding(ticket, subject.id, kind, category, value, name, text)
            person.findings[vendor][kind] = finding.id
            text = text.replace(value, finding.masked)
        adapter.write_fields(external_id, {name: text})
        person.subject_id = subject.id
    db.session.commit()
    return person
