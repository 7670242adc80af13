"""Ingest against the simulators over real HTTP: classify, vault, tokenise, idempotence."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.extensions import db
from plugin.ingest.pipeline import ingest_ticket
from plugin.ingest.settings import ingest_settings
from plugin.models import DataSubject, Finding, SubjectKey, Ticket, VaultItem
from plugin.vault import get_vault
from plugin.vendors.errors import AdapterError

BODY = (
    "<p>Hej, jeg hedder Jens Hansen og mit CPR er 010190-1234.</p>"
    "<p>Ring på 20 12 34 56 eller skriv til jens@example.com. Jeg har diabetes.</p>"
)


def _count(model: Any) -> int:
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def _freshdesk(app: Flask, sims: dict[str, Any]) -> tuple[Any, Any, int]:
    sim = sims["freshdesk"]
    contact = sim.add_contact("Jens Hansen", "jens@example.com", "+45 20 12 34 56")
    tid = sim.add_ticket("Faktura for Jens Hansen", BODY, contact, notify=False)
    sim.add_conversation(tid, "<p>Mit kort er 4111 1111 1111 1111</p>", incoming=True)
    return sim, app.extensions["datavagt.adapters"]["freshdesk"], tid


def test_freshdesk_ticket_is_vaulted_and_tokenised(ingest_app: Flask, sims: dict) -> None:
    sim, adapter, tid = _freshdesk(ingest_app, sims)
    result = ingest_ticket(adapter, adapter.get_ticket(str(tid)), ingest_settings())
    db.session.commit()

    stored = sim.tickets[tid]
    assert "010190-1234" not in stored["description"]
    assert "[CPR ••••••-••34]" in stored["description"]
    assert "[e-mail j•••@example.com]" in stored["description"]
    assert "[health]" in stored["description"]
    assert "Jens Hansen" not in stored["subject"] and "[name J••• H•••]" in stored["subject"]
    # The incoming e-mail (conversation) cannot be rewritten: recorded, retention shortened.
    convo = sim.conversations[tid][0]
    assert "4111 1111 1111 1111" in convo["body"]
    assert result.written_fields == ["description", "subject"]
    assert result.unwritable_fields == [f"conversation.{convo['id']}"]

    ticket = db.session.scalars(sa.select(Ticket)).one()
    assert ticket.unwritable_fields == result.unwritable_fields
    findings = db.session.scalars(sa.select(Finding).order_by(Finding.id)).all()
    types = sorted(f.type for f in findings)
    assert {"cpr", "email", "phone", "person_name", "health", "payment_card"} <= set(types)
    assert all(f.dedupe_key and f.vault_item_id for f in findings)
    card = next(f for f in findings if f.type == "payment_card")
    assert not card.written_back and card.masked == "[card •••• 1111]"
    assert all(f.written_back for f in findings if not f.field.startswith("conversation."))
    # Originals are in the vault, readable, bound to the ticket.
    vault = get_vault()
    cpr = next(f for f in findings if f.type == "cpr")
    item = db.session.get(VaultItem, cpr.vault_item_id)
    assert vault.decrypt(item) == "010190-1234" and item.ticket_id == ticket.id
    # Special category under purpose support is over-collection.
    health = next(f for f in findings if f.type == "health")
    assert health.over_collection and not cpr.over_collection


def test_reprocessing_adds_nothing_and_writes_nothing(ingest_app: Flask, sims: dict) -> None:
    sim, adapter, tid = _freshdesk(ingest_app, sims)
    ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    db.session.commit()
    counts = (_count(Finding), _count(VaultItem), _count(DataSubject), _count(SubjectKey))
    puts = sim.count("PUT", "/api/v2/tickets/{id}")
    again = ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    db.session.commit()
    assert again.new_findings == 0 and again.written_fields == []
    assert (_count(Finding), _count(VaultItem), _count(DataSubject), _count(SubjectKey)) == counts
    assert sim.count("PUT", "/api/v2/tickets/{id}") == puts


def test_crash_between_vendor_write_and_commit(ingest_app: Flask, sims: dict) -> None:
    sim, adapter, tid = _freshdesk(ingest_app, sims)
    ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    # The vendor holds the tokens, but phase 3 never commits (the process died here).
    db.session.rollback()
    pending = db.session.scalars(sa.select(Finding).where(Finding.written_back.is_(False))).all()
    assert len(pending) == _count(Finding)  # phase 1 was committed, phase 3 was not
    counts = (_count(Finding), _count(VaultItem))
    ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    db.session.commit()
    assert (_count(Finding), _count(VaultItem)) == counts
    written = db.session.scalars(sa.select(Finding).where(Finding.written_back.is_(True))).all()
    assert {f.field for f in written} == {"subject", "description"}


def test_crash_before_vendor_write_rewrites_on_retry(ingest_app: Flask, sims: dict) -> None:
    sim, adapter, tid = _freshdesk(ingest_app, sims)
    vt = adapter.get_ticket(str(tid))
    sim.configure(fail_next=10, fail_status=503)  # every retry of the PUT fails
    try:
        ingest_ticket(adapter, vt)
    except Exception as exc:  # noqa: BLE001 - the adapter's error type is what we check
        assert type(exc).__name__ in ("AdapterError", "RateLimited")
    db.session.rollback()
    sim.configure(fail_next=0)
    assert "010190-1234" in sim.tickets[tid]["description"]
    counts = (_count(Finding), _count(VaultItem))
    assert counts[0] > 0  # phase 1 kept the originals in the vault
    ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    db.session.commit()
    assert (_count(Finding), _count(VaultItem)) == counts
    assert "010190-1234" not in sim.tickets[tid]["description"]


def test_same_value_twice_gives_two_findings(ingest_app: Flask, sims: dict) -> None:
    sim = sims["freshdesk"]
    contact = sim.add_contact("Ole Olsen", "ole@example.com")
    tid = sim.add_ticket("cpr", "CPR 010190-1234 og igen 010190-1234", contact, notify=False)
    adapter = ingest_app.extensions["datavagt.adapters"]["freshdesk"]
    ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    db.session.commit()
    cprs = db.session.scalars(sa.select(Finding).where(Finding.type == "cpr")).all()
    assert len(cprs) == 2 and len({f.dedupe_key for f in cprs}) == 2
    assert sim.tickets[tid]["description"].count("[CPR ••••••-••34]") == 2


def test_hubspot_and_dynamics_fields(ingest_app: Flask, sims: dict) -> None:
    hs = sims["hubspot"]
    cid = hs.add_contact(firstname="Mette", lastname="Frederiksen", email="mette@example.dk")
    tid = hs.add_ticket("Mette Frederiksen klager", "Mit IBAN er DK5000400440116243.", cid)
    adapter = ingest_app.extensions["datavagt.adapters"]["hubspot"]
    result = ingest_ticket(adapter, adapter.get_ticket(tid))
    db.session.commit()
    props = hs.tickets[tid]["properties"]
    assert "DK5000400440116243" not in props["content"] and "[IBAN DK••" in props["content"]
    assert result.written_fields == ["content", "subject"] and result.unwritable_fields == []

    dy = sims["dynamics"]
    contact = dy.add_contact("Karen", "Blixen", "karen@example.dk", "+45 31 22 33 44")
    iid = dy.add_incident("Opkald fra Karen Blixen", "Ring 31 22 33 44 angående ordren.", contact)
    adapter = ingest_app.extensions["datavagt.adapters"]["dynamics"]
    result = ingest_ticket(adapter, adapter.get_ticket(iid))
    db.session.commit()
    case = dy.incidents[iid]
    assert "31 22 33 44" not in case["description"] and "[phone •••• ••44]" in case["description"]
    assert "Karen Blixen" not in case["title"]
    assert result.written_fields == ["description", "title"]
    subjects = {t.subject_id for t in db.session.scalars(sa.select(Ticket))}
    assert len(subjects) == 2


def _with_notes(app: Flask, sims: dict) -> tuple[Any, Any, int, dict[str, int]]:
    sim, adapter, tid = _freshdesk(app, sims)
    ids = {
        "email": sim.conversations[tid][0]["id"],
        "private": sim.add_conversation(
            tid, "<p>Intern note: kunden gav CPR 010190-1234</p>", incoming=False, private=True
        ),
        "public": sim.add_conversation(
            tid, "<p>Vi ringer på 20 12 34 56 i morgen.</p>", incoming=False, note=True
        ),
    }
    return sim, adapter, tid, ids


def test_freshdesk_notes_are_tokenised_emails_stay_unwritable(
    ingest_app: Flask, sims: dict
) -> None:
    sim, adapter, tid, ids = _with_notes(ingest_app, sims)
    result = ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    db.session.commit()

    bodies = {c["id"]: c["body"] for c in sim.conversations[tid]}
    assert "010190-1234" not in bodies[ids["private"]]
    assert "[CPR ••••••-••34]" in bodies[ids["private"]]
    assert "20 12 34 56" not in bodies[ids["public"]]
    assert "[phone •••• ••56]" in bodies[ids["public"]]
    assert "4111 1111 1111 1111" in bodies[ids["email"]]  # incoming e-mail: API can't edit
    notes = {f"conversation.{ids['private']}", f"conversation.{ids['public']}"}
    assert notes <= set(result.written_fields)
    assert result.unwritable_fields == [f"conversation.{ids['email']}"]
    rows = db.session.scalars(sa.select(Finding).where(Finding.field.in_(notes))).all()
    assert rows and all(r.written_back for r in rows)
    assert sim.count("PUT", "/api/v2/conversations/{id}") == 2

    again = ingest_ticket(adapter, adapter.get_ticket(str(tid)))
    db.session.commit()
    assert again.written_fields == [] and again.new_findings == 0
    assert sim.count("PUT", "/api/v2/conversations/{id}") == 2


def test_a_refused_note_stays_in_clear_and_the_rest_is_written(
    ingest_app: Flask, sims: dict
) -> None:
    sim, adapter, tid, ids = _with_notes(ingest_app, sims)
    vt = adapter.get_ticket(str(tid))
    # The note became uneditable after it was read (the vendor now refuses the PUT for good).
    [private] = [c for c in sim.conversations[tid] if c["id"] == ids["private"]]
    private["source"] = 0
    result = ingest_ticket(adapter, vt)
    db.session.commit()

    assert "010190-1234" in private["body"]
    assert "010190-1234" not in sim.tickets[tid]["description"]
    assert f"conversation.{ids['public']}" in result.written_fields
    assert f"conversation.{ids['private']}" in result.unwritable_fields
    refused = db.session.scalars(
        sa.select(Finding).where(Finding.field == f"conversation.{ids['private']}")
    ).all()
    assert refused and not any(r.written_back for r in refused)
    ticket = db.session.get(Ticket, result.ticket_id)
    assert f"conversation.{ids['private']}" in ticket.unwritable_fields


def test_conversation_ids_without_a_type_are_refused(ingest_app: Flask, sims: dict) -> None:
    # Both vendors edit some conversations now, named `email:<id>` / `note:<id>`.
    for name in ("hubspot", "dynamics"):
        adapter = ingest_app.extensions["datavagt.adapters"][name]
        with pytest.raises(AdapterError):
            adapter.write_conversation("1", "2", "<p>x</p>")


def test_dynamics_notes_are_tokenised_received_emails_stay_unwritable(
    ingest_app: Flask, sims: dict
) -> None:
    dy = sims["dynamics"]
    contact = dy.add_contact("Jens", "Hansen", "jens@example.com")
    iid = dy.add_incident("Faktura", "Spørgsmål om en faktura.", contact)
    eid = dy.add_email(iid, "<p>Mit CPR er 010190-1234, ring på 20 12 34 56.</p>")
    nid = dy.add_note(iid, "Kunden oplyste CPR 010190-1234 og tlf. 20 12 34 56.")
    adapter = ingest_app.extensions["datavagt.adapters"]["dynamics"]
    result = ingest_ticket(adapter, adapter.get_ticket(iid))
    db.session.commit()

    note = dy.annotations[nid]["notetext"]
    assert "010190-1234" not in note and "[CPR ••••••-••34]" in note
    assert "20 12 34 56" not in note and "[phone •••• ••56]" in note
    # A received e-mail is completed, so read-only at Dynamics: recorded, retention shortened.
    assert "010190-1234" in dy.emails[eid]["description"]
    assert result.written_fields == [f"conversation.note:{nid}"]
    assert result.unwritable_fields == [f"conversation.email:{eid}"]
    ticket = db.session.get(Ticket, result.ticket_id)
    assert ticket is not None and ticket.unwritable_fields == [f"conversation.email:{eid}"]
    rows = db.session.scalars(
        sa.select(Finding).where(Finding.field == f"conversation.note:{nid}")
    ).all()
    assert {r.type for r in rows} >= {"cpr", "phone"} and all(r.written_back for r in rows)
    assert dy.count("PATCH", "/api/data/v9.2/annotations({id})") == 1
    assert dy.count("PATCH", "/api/data/v9.2/emails({id})") == 0

    again = ingest_ticket(adapter, adapter.get_ticket(iid))
    db.session.commit()
    assert again.written_fields == [] and again.new_findings == 0
    assert dy.count("PATCH", "/api/data/v9.2/annotations({id})") == 1


def test_hubspot_email_and_note_are_tokenised_at_the_vendor(ingest_app: Flask, sims: dict) -> None:
    hs = sims["hubspot"]
    cid = hs.add_contact(firstname="Jens", lastname="Hansen", email="jens@example.com")
    tid = hs.add_ticket("Spørgsmål om faktura", "Hvad er status?", cid)
    email = hs.add_email(
        tid,
        html="<p>Hej, mit CPR er 010190-1234.</p><p>Ring på 20 12 34 56.</p>",
        text="Hej, mit CPR er 010190-1234.\nRing på 20 12 34 56.",
        direction="INCOMING_EMAIL",
    )
    note = hs.add_note(tid, "<p>Kunden gav CPR 010190-1234 og tlf. 20 12 34 56</p>")
    adapter = ingest_app.extensions["datavagt.adapters"]["hubspot"]
    result = ingest_ticket(adapter, adapter.get_ticket(tid))
    db.session.commit()

    mail = hs.engagements["emails"][email]["properties"]
    body = hs.engagements["notes"][note]["properties"]["hs_note_body"]
    for text in (mail["hs_email_html"], mail["hs_email_text"], body):
        assert "010190-1234" not in text and "[CPR ••••••-••34]" in text
        assert "20 12 34 56" not in text and "[phone •••• ••56]" in text
    fields = {f"conversation.email:{email}", f"conversation.note:{note}"}
    assert fields <= set(result.written_fields) and result.unwritable_fields == []
    rows = db.session.scalars(sa.select(Finding).where(Finding.field.in_(fields))).all()
    assert {r.type for r in rows} >= {"cpr", "phone"} and all(r.written_back for r in rows)
    patches = (
        hs.count("PATCH", "/crm/v3/objects/emails/{emailId}"),
        hs.count("PATCH", "/crm/v3/objects/notes/{noteId}"),
    )
    assert patches == (1, 1)

    again = ingest_ticket(adapter, adapter.get_ticket(tid))
    db.session.commit()
    assert again.written_fields == [] and again.new_findings == 0
    assert (
        hs.count("PATCH", "/crm/v3/objects/emails/{emailId}"),
        hs.count("PATCH", "/crm/v3/objects/notes/{noteId}"),
    ) == patches
