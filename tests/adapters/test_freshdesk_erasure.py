"""Freshdesk erasure reaches every store: live ticket, its conversations and attachments,
Trash, the archive and the contact; include= credits are paced."""

from __future__ import annotations

import json
import time

import pytest

from adapters.freshdesk import FreshdeskAdapter
from plugin.vendors.errors import NotFound
from simulators.freshdesk.simulator import FreshdeskSimulator
from tests.adapters.conftest import FAST_RETRY, TIMEOUT

CPR = "010190-1234"
IBAN = "DK5000400440116243"
SECRET_FILE = b"%PDF-1.4 loenseddel for Mette, CPR " + CPR.encode()


def _person_ticket(sim: FreshdeskSimulator) -> tuple[int, int]:
    """A ticket of Mette's with a reply, a note and files carrying her CPR and IBAN."""
    contact = next(c for c in sim.contacts.values() if c["email"].startswith("mette"))
    tid = sim.add_ticket(
        f"Refusion til {IBAN}",
        f"<div>Mit CPR-nummer er {CPR}</div>",
        contact["id"],
        custom_fields={"cf_reference": f"CPR {CPR}", "cf_priority_level": 3},
        notify=False,
    )
    reply = sim.add_conversation(tid, f"<div>Kontoen er {IBAN}</div>", incoming=True)
    sim.add_conversation(tid, f"Ringet op, CPR {CPR} bekræftet", private=True)
    sim.add_attachment(tid, "loenseddel.pdf", SECRET_FILE)
    sim.add_attachment(tid, "kontoudtog.pdf", SECRET_FILE, conversation_id=reply)
    return tid, contact["id"]


def _held(sim: FreshdeskSimulator) -> str:
    """Everything the simulated account holds, as one text a forensic look would read."""
    return json.dumps(sim.snapshot(), ensure_ascii=False)


def test_live_ticket_leaves_only_an_overwritten_shell_in_trash(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    tid, _ = _person_ticket(freshdesk_sim)
    stores = freshdesk.delete_ticket(str(tid))
    by_store = {s["store"]: s for s in stores}
    assert by_store["conversations"]["reason"].startswith("2 ")
    assert by_store["attachments"]["reason"].startswith("2 ")
    assert by_store["trash"]["state"] == "remains" and by_store["trash"]["until"]
    assert freshdesk_sim.count("DELETE", "/api/v2/attachments/{id}") == 2
    assert freshdesk_sim.count("DELETE", "/api/v2/conversations/{id}") == 2
    shell = freshdesk_sim.tickets[tid]
    assert shell["deleted"] and not shell["attachments"] and not freshdesk_sim.conversations[tid]
    held = _held(freshdesk_sim)
    for value in (CPR, IBAN, "loenseddel", "kontoudtog"):
        assert value not in held
    assert shell["custom_fields"]["cf_priority_level"] == 3  # numbers are not text: kept


def test_archived_ticket_is_deleted_through_the_archive_not_recorded_absent(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    tid, _ = _person_ticket(freshdesk_sim)
    freshdesk_sim.archive_ticket(tid)
    with pytest.raises(NotFound):  # the normal endpoint answers 404 for archived tickets
        freshdesk.http.get(f"api/v2/tickets/{tid}")
    assert freshdesk.record_exists("ticket", str(tid)) is True  # still held, in the archive
    stores = freshdesk.delete_ticket(str(tid))
    assert ("archive", "destroyed") in {(s["store"], s["state"]) for s in stores}
    assert freshdesk_sim.count("DELETE", "/api/v2/tickets/archived/{id}") == 1
    assert tid not in freshdesk_sim.archived and tid not in freshdesk_sim.conversations
    assert CPR not in _held(freshdesk_sim) and IBAN not in _held(freshdesk_sim)
    assert freshdesk.record_exists("ticket", str(tid)) is False
    with pytest.raises(NotFound):
        freshdesk.delete_ticket(str(tid))


def test_archive_job_takes_closed_idle_tickets_only(freshdesk_sim: FreshdeskSimulator) -> None:
    contact = min(freshdesk_sim.contacts)
    old = "2020-01-01T00:00:00.000000Z"
    closed = freshdesk_sim.add_ticket("a", "b", contact, status=5, updated_at=old, notify=False)
    open_ = freshdesk_sim.add_ticket("a", "b", contact, status=2, updated_at=old, notify=False)
    assert freshdesk_sim.archive_idle() == [closed]
    assert closed in freshdesk_sim.archived and open_ in freshdesk_sim.tickets


def test_contact_hard_delete_takes_trashed_and_archived_tickets(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    trashed, contact = _person_ticket(freshdesk_sim)
    archived, _ = _person_ticket(freshdesk_sim)
    freshdesk.http.delete(f"api/v2/tickets/{trashed}")  # to Trash, untouched
    freshdesk_sim.archive_ticket(archived)
    stores = freshdesk.erase_contact(str(contact))
    assert {s["store"] for s in stores} == {"contact", "tickets"}
    assert trashed not in freshdesk_sim.tickets and archived not in freshdesk_sim.archived
    held = _held(freshdesk_sim)
    assert CPR not in held and "mette.jorgensen@example.dk" not in held


def test_include_costs_credits_and_the_pacing_counts_them() -> None:
    with FreshdeskSimulator(rate_limit=12, rate_window=1.5) as sim:
        sim.seed_demo()
        adapter = FreshdeskAdapter(
            sim.url, sim.api_key, "u", "p", retry=FAST_RETRY, timeout=TIMEOUT, rate_window=1.5
        )
        try:
            answer = adapter.http.get(
                f"api/v2/tickets/{min(sim.tickets)}", params={"include": "requester,stats"}
            )
            assert answer.headers["X-RateLimit-Used-CurrentRequest"] == "5"
            started = time.monotonic()
            for tid in sorted(sim.tickets)[:4]:
                adapter.get_ticket(str(tid))  # 5 credits + 1 for the conversations
            elapsed = time.monotonic() - started
        finally:
            adapter.close()
        # 29 credits against 12 per 1.5 s: the adapter waited instead of meeting 429s.
        assert sim.rejected == 0
        assert elapsed >= 1.5


def test_replies_the_api_will_not_delete_are_reported_with_the_trash_date(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    tid, _ = _person_ticket(freshdesk_sim)
    freshdesk_sim.notes_only_deletable = True
    stores = {s["store"]: s for s in freshdesk.delete_ticket(str(tid))}
    talk = stores["conversations"]
    assert talk["state"] == "remains" and talk["until"] == stores["trash"]["until"]
    assert talk["reason"].startswith("1 deleted for good, 1 ")
    kept = freshdesk_sim.conversations[tid]
    assert [c["source"] for c in kept] == [0]  # the reply, in Trash with the ticket
