"""One subject per person (issue 19): forms, consents and tickets that share an e-mail.

Walked through by a DPO: a contact form sent with an e-mail Datavagt already knew made a
new subject with no identifier, so the consent it carried was invisible in My pages, the
export, search and erasure. Every order of form, newsletter sign-up, vendor ticket and an
agent's consent must end with one findable person and no orphan subject.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.models import AuditEvent, Consent, ConsentText, DataSubject, SubjectIdentifier, Ticket
from plugin.retention.vendors import close_adapters
from plugin.subjects import find_subjects
from plugin.subjects.groups import group_ids
from plugin.subjects.identity import resolve_contact
from plugin.subjects.integrity import find_orphans
from plugin.vendors.contract import VendorContact
from simulators.freshdesk.simulator import FreshdeskSimulator
from tests.forms.helpers import load, post
from tests.retention.conftest import FAST, freshdesk_settings
from tests.retention.test_api import headers
from tests.subjects.test_shared_phone import _deliver

STEPS = ("form", "newsletter", "ticket")


@pytest.fixture
def app(
    make_app: Callable[..., Flask], freshdesk: tuple[FreshdeskSimulator, Any]
) -> Iterator[Flask]:
    """The app on the Freshdesk simulator, with room for many form submissions."""
    sim, _ = freshdesk
    built = make_app(
        freshdesk=freshdesk_settings(sim), erasure_dispatch="off", forms_rate_limit=1000, **FAST
    )
    with built.app_context():
        yield built
        close_adapters(built)


def _form(app: Flask, email: str, sim: FreshdeskSimulator) -> None:
    client = app.test_client()
    page = load(client)
    values = {
        "name": "Mette Lund",
        "email": email,
        "topic": "order",
        "message": "Hvor er min ordre?",
    }
    support = [i for i in page["shown"] if db.session.get(ConsentText, i).purpose == "support"]
    answer = post(client, values=values, page=page, given=support)
    assert answer.status_code == 201, answer.get_json()
    # Freshdesk's automation rule fires for tickets made through the API too.
    created = max(sim.tickets)
    _deliver(app, sim, created)


def _newsletter(app: Flask, email: str, sim: FreshdeskSimulator) -> None:
    client = app.test_client()
    page = load(client, "newsletter")
    answer = post(client, "newsletter", {"email": email}, page=page, given=page["shown"])
    assert answer.status_code == 201, answer.get_json()
    _deliver(app, sim, max(sim.tickets))


def _ticket(app: Flask, email: str, sim: FreshdeskSimulator, contacts: dict[str, int]) -> None:
    if email not in contacts:
        contacts[email] = sim.add_contact("Mette Lund", email)
    ticket = sim.add_ticket("Levering", "Pakken er ikke kommet", contacts[email], notify=False)
    _deliver(app, sim, ticket)


def _agent_consent(app: Flask, email: str) -> None:
    """An agent finds the person by e-mail and records a consent given on the phone."""
    client = app.test_client()
    found = client.post("/api/subjects/search", headers=headers(app), json={"email": email})
    assert found.status_code == 200, found.get_data(as_text=True)
    [person] = found.get_json()["subjects"]
    texts = client.get("/api/consents/texts?purpose=marketing", headers=headers(app)).get_json()
    text_id = next(t["id"] for t in texts if t["language"] == "da")
    answer = client.post(
        "/api/consents",
        headers=headers(app, "agent"),
        json={
            "subject_id": person["id"],
            "purpose": "marketing",
            "text_id": text_id,
            "channel": "phone",
        },
    )
    assert answer.status_code == 201, answer.get_data(as_text=True)


def _orders() -> list[tuple[str, ...]]:
    """Every order of the three ways in, with the agent's consent after each prefix."""
    found = []
    for order in itertools.permutations(STEPS):
        for at in range(1, len(order) + 1):
            found.append((*order[:at], "consent", *order[at:]))
    return found


def test_every_order_of_forms_consents_and_tickets_ends_with_one_person(
    app: Flask, freshdesk: tuple[FreshdeskSimulator, Any]
) -> None:
    sim, _log = freshdesk
    contacts: dict[str, int] = {}
    for number, order in enumerate(_orders()):
        email = f"mette.lund+{number}@example.dk"
        for step in order:
            if step == "form":
                _form(app, email, sim)
            elif step == "newsletter":
                _newsletter(app, email, sim)
            elif step == "ticket":
                _ticket(app, email, sim, contacts)
            else:
                _agent_consent(app, email)
        db.session.expire_all()
        [person] = find_subjects(email=email)
        ids = set(group_ids(person.id))
        # Everything that arrived with this e-mail is this one person's.
        tickets = db.session.scalars(sa.select(Ticket.subject_id)).all()
        consents = db.session.scalars(sa.select(Consent)).all()
        mine = [c for c in consents if c.subject_id in ids]
        assert len(mine) == 3, order  # the form's, the newsletter's and the agent's
        assert {c.purpose for c in mine} == {"support", "marketing"}, order
        assert sum(1 for t in tickets if t in ids) == 3, order
        # The vendor's own contact record confirmed the typed e-mail.
        email_rows = [
            r
            for r in db.session.scalars(sa.select(SubjectIdentifier))
            if r.subject_id in ids and r.kind == "email"
        ]
        assert [r.verified for r in email_rows] == [True], order
        # Each form consent says whether the typed e-mail was already verified then.
        typed = {
            c.evidence["form"]: c.evidence["identifier_verified"]
            for c in mine
            if c.evidence.get("form")
        }
        assert typed["contact"] is (order.index("ticket") < order.index("form")), order
        assert typed["newsletter"] is (order.index("ticket") < order.index("newsletter")), order
        orphans = find_orphans()
        assert not orphans, (order, orphans)
    live = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(DataSubject)
        .where(DataSubject.merged_into_id.is_(None), DataSubject.erased_at.is_(None))
    )
    assert live == len(_orders())


def test_typed_email_lands_on_the_known_person_but_never_verifies_or_merges(
    app: Flask,
) -> None:
    known = resolve_contact("freshdesk", VendorContact(external_id="1", email="anne@example.dk"))
    other = resolve_contact("freshdesk", VendorContact(external_id="2", email="bo@example.dk"))
    db.session.commit()
    typed = resolve_contact(
        "form", VendorContact(external_id="", email="ANNE@example.dk"), verified=False
    )
    assert typed.subject.id == known.subject.id and typed.matched_on == "email"
    assert typed.merged == () and typed.verified_now == ()
    # A typed second address another person holds does not tie the two people together.
    form = resolve_contact(
        "form", VendorContact(external_id="", email="bo@example.dk"), verified=False
    )
    assert form.subject.id == other.subject.id
    db.session.commit()
    assert db.session.get(DataSubject, other.subject.id).merged_into_id is None
    assert not find_orphans()


def test_a_typed_only_subject_is_merged_when_a_vendor_record_shows_it_is_the_same_person(
    app: Flask, freshdesk: tuple[FreshdeskSimulator, Any]
) -> None:
    sim, _log = freshdesk
    contact = sim.add_contact("Mette Lund", "mette@example.dk")
    _deliver(app, sim, sim.add_ticket("Sag", "Hej", contact, notify=False))
    # The newsletter sign-up with her private address: a subject known only by a typed e-mail.
    _newsletter(app, "mette.privat@example.dk", sim)
    db.session.expire_all()
    [work] = find_subjects(email="mette@example.dk")
    [private] = find_subjects(email="mette.privat@example.dk")
    assert work.id != private.id
    # She changes her address at the helpdesk: the vendor's record names both identifiers.
    sim.contacts[contact]["email"] = "mette.privat@example.dk"
    _deliver(app, sim, sim.add_ticket("Sag", "Ny adresse", contact, notify=False))
    db.session.expire_all()
    assert db.session.get(DataSubject, private.id).merged_into_id == work.id
    assert [s.id for s in find_subjects(email="mette.privat@example.dk")] == [work.id]
    event = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "subject_merge", AuditEvent.subject_id == work.id)
        .order_by(AuditEvent.seq.desc())
    ).first()
    assert event is not None
    assert event.details["merged"] == [{"subject_id": private.id, "matched_on": "email"}]
    assert "mette" not in repr(event.details).lower()
    assert not find_orphans()


@pytest.mark.parametrize("verified", [True, False])
def test_the_orphan_check_finds_an_identifier_less_subject(app: Flask, verified: bool) -> None:
    resolve_contact("freshdesk", VendorContact(external_id="1", email="anne@example.dk"))
    lost = DataSubject()
    db.session.add(lost)
    db.session.commit()
    assert find_orphans().without_identifier == (lost.id,)
    merged = resolve_contact(
        "freshdesk", VendorContact(external_id="9", email="x@example.dk"), verified=verified
    )
    lost.merged_into_id = merged.subject.id
    db.session.commit()
    assert not find_orphans()


def test_the_cli_lists_orphans_and_exits_1(
    app: Flask, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from plugin.cli.main import cli

    monkeypatch.setenv("DATAVAGT_DATABASE_URL", database_url)
    monkeypatch.setenv("DATAVAGT_KEY_FILE", str(tmp_path / "datavagt.keys"))
    monkeypatch.setenv("DATAVAGT_SCHEDULER", "off")
    resolve_contact("freshdesk", VendorContact(external_id="1", email="anne@example.dk"))
    db.session.commit()
    clean = CliRunner().invoke(cli, ["subject", "orphans"])
    assert clean.exit_code == 0, clean.output
    assert json.loads(clean.output) == {"without_identifier": [], "shared_verified": []}
    lost = DataSubject()
    db.session.add(lost)
    db.session.commit()
    found = CliRunner().invoke(cli, ["subject", "orphans"])
    assert found.exit_code == 1
    assert json.loads(found.output)["without_identifier"] == [lost.id]
    assert "anne" not in found.output
