"""Freshdesk adapter against its simulator over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.freshdesk import FreshdeskAdapter
from plugin.vendors.contract import WebhookEvent
from plugin.vendors.errors import AdapterConfigError, AdapterError, CredentialsError, NotFound
from simulators.freshdesk.simulator import FreshdeskSimulator
from tests.adapters.conftest import FAST_RETRY, TIMEOUT

TICKET = "/api/v2/tickets/{id}"


def _first_ticket(sim: FreshdeskSimulator) -> int:
    return min(sim.tickets)


def test_get_ticket_reads_fields_requester_and_conversations(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    ticket = freshdesk.get_ticket(str(_first_ticket(freshdesk_sim)))
    assert ticket.subject == "Refusion af dobbelt betaling"
    assert ticket.fields["description"].is_html
    assert "070761-4285" in ticket.fields["description"].text
    assert ticket.requester and ticket.requester.email == "mette.jorgensen@example.dk"
    assert len(ticket.conversations) == 1 and not ticket.conversations[0].writable
    assert ticket.status == "open" and not ticket.closed


def test_iter_tickets_follows_link_header_across_pages(
    freshdesk_sim: FreshdeskSimulator,
) -> None:
    for i in range(7):
        freshdesk_sim.add_ticket(f"extra {i}", "<p>x</p>", min(freshdesk_sim.contacts))
    adapter = FreshdeskAdapter(
        freshdesk_sim.url, freshdesk_sim.api_key, "u", "p", retry=FAST_RETRY, per_page=3
    )
    tickets = list(adapter.iter_tickets(datetime.now(UTC) - timedelta(days=1)))
    assert len(tickets) == 12
    assert len({t.external_id for t in tickets}) == 12
    assert freshdesk_sim.count("GET", "/api/v2/tickets") == 4
    assert [t.updated_at for t in tickets] == sorted(t.updated_at for t in tickets)  # type: ignore[type-var]


def test_page_beyond_300_is_the_documented_error(freshdesk_sim: FreshdeskSimulator) -> None:
    import requests

    response = requests.get(
        f"{freshdesk_sim.url}/api/v2/tickets",
        params={"page": 301},
        auth=("sim-freshdesk-key", "X"),
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "page"


def test_write_fields_puts_and_recognises_the_echo(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    tid = _first_ticket(freshdesk_sim)
    freshdesk.write_fields(str(tid), {"description": "<p>[CPR ••••••-••85]</p>"})
    assert freshdesk_sim.tickets[tid]["description"] == "<p>[CPR ••••••-••85]</p>"
    assert freshdesk_sim.count("PUT", TICKET) == 1
    stamp = datetime.fromisoformat(freshdesk_sim.tickets[tid]["updated_at"].replace("Z", "+00:00"))
    echo = WebhookEvent("freshdesk", "k", "updated", "ticket", str(tid), stamp)
    other = WebhookEvent("freshdesk", "k2", "updated", "ticket", str(tid), stamp - timedelta(1))
    assert freshdesk.is_own_change(echo) and not freshdesk.is_own_change(other)


CONVERSATION = "/api/v2/conversations/{id}"


def test_notes_public_or_private_are_writable_replies_and_emails_are_not(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    tid = _first_ticket(freshdesk_sim)
    private = freshdesk_sim.add_conversation(tid, "<p>a</p>", incoming=False, private=True)
    public = freshdesk_sim.add_conversation(tid, "<p>b</p>", incoming=False, note=True)
    reply = freshdesk_sim.add_conversation(tid, "<p>c</p>", incoming=False)
    writable = {c.external_id: c.writable for c in freshdesk.get_ticket(str(tid)).conversations}
    assert writable[str(private)] and writable[str(public)] and not writable[str(reply)]
    assert sum(writable.values()) == 2  # the seeded incoming e-mail stays unwritable


def test_write_conversation_puts_a_note_body(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    tid = _first_ticket(freshdesk_sim)
    note = freshdesk_sim.add_conversation(tid, "<p>CPR 070761-4285</p>", private=True)
    freshdesk.write_conversation(str(tid), str(note), "<p>CPR [CPR ••••••-••85]</p>")
    [stored] = [c for c in freshdesk_sim.conversations[tid] if c["id"] == note]
    assert stored["body"] == "<p>CPR [CPR ••••••-••85]</p>"
    assert freshdesk_sim.count("PUT", CONVERSATION) == 1


def test_write_conversation_refusals_are_final_or_not_found(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    tid = _first_ticket(freshdesk_sim)
    email = freshdesk_sim.conversations[tid][0]
    with pytest.raises(AdapterError) as refused:
        freshdesk.write_conversation(str(tid), str(email["id"]), "<p>x</p>")
    assert refused.value.status == 400 and not refused.value.retryable
    assert "070761" not in str(refused.value)
    assert email["body"] != "<p>x</p>"
    with pytest.raises(NotFound):
        freshdesk.write_conversation(str(tid), "999999", "<p>x</p>")


def test_simulator_rejects_malformed_note_updates(freshdesk_sim: FreshdeskSimulator) -> None:
    import requests

    tid = _first_ticket(freshdesk_sim)
    note = freshdesk_sim.add_conversation(tid, "<p>keep</p>", private=True)
    url = f"{freshdesk_sim.url}/api/v2/conversations/{note}"
    auth = (freshdesk_sim.api_key, "X")
    for body in ({"body": ""}, {"body": 5}, {"private": True}):
        response = requests.put(url, json=body, auth=auth, timeout=5)
        assert response.status_code == 400 and response.json()["errors"]
    bad_json = requests.put(url, data=b"{", auth=auth, timeout=5,
                            headers={"Content-Type": "application/json"})  # fmt: skip
    assert bad_json.status_code == 400
    assert requests.put(url, json={"body": "<p>x</p>"}, timeout=5).status_code == 401
    [stored] = [c for c in freshdesk_sim.conversations[tid] if c["id"] == note]
    assert stored["body"] == "<p>keep</p>"


def test_unwritable_field_is_refused_before_any_call(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    with pytest.raises(AdapterError):
        freshdesk.write_fields("1", {"requester_id": "2"})
    assert freshdesk_sim.count("PUT", TICKET) == 0


def test_delete_twice_reports_the_trash_copy_and_unknown_is_not_found(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    tid = str(_first_ticket(freshdesk_sim))
    freshdesk.delete_ticket(tid)
    # A retried job finds the ticket in Trash: gone, no second DELETE, the copy still named.
    with pytest.raises(NotFound) as again:
        freshdesk.delete_ticket(tid)
    assert [(s["store"], s["state"]) for s in again.value.stores] == [("trash", "remains")]
    assert freshdesk_sim.count("DELETE", TICKET) == 1
    with pytest.raises(NotFound):  # neither live nor archived
        freshdesk.delete_ticket("999999")
    assert freshdesk_sim.count("GET", "/api/v2/tickets/archived/{id}") == 1


def test_deleted_ticket_stays_in_trash_for_30_days_and_says_so(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    tid = _first_ticket(freshdesk_sim)
    freshdesk_sim.add_conversation(tid, "Mit CPR er 010190-1234", incoming=True)
    stores = freshdesk.delete_ticket(str(tid))
    until = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    assert {(s["store"], s["state"], s["until"]) for s in stores} == {
        ("record", "destroyed", ""),
        ("conversations", "destroyed", ""),
        ("attachments", "destroyed", ""),
        ("trash", "remains", until),
    }
    # The shell is still at the vendor, in Trash, until Freshdesk's own clean-up 30 days
    # later; its conversations were deleted for good before.
    assert freshdesk_sim.tickets[tid]["deleted"] and not freshdesk_sim.conversations[tid]
    assert freshdesk_sim.purge_trash(datetime.now(UTC) + timedelta(days=29)) == []
    assert tid in freshdesk_sim.tickets
    assert freshdesk_sim.purge_trash(datetime.now(UTC) + timedelta(days=30, seconds=1)) == [tid]
    assert tid not in freshdesk_sim.tickets and tid not in freshdesk_sim.conversations


def test_erase_contact_soft_then_hard_deletes_by_email(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    freshdesk.erase_contact("mette.jorgensen@example.dk")
    assert freshdesk_sim.count("DELETE", "/api/v2/contacts/{id}") == 1
    assert freshdesk_sim.count("DELETE", "/api/v2/contacts/{id}/hard_delete") == 1
    assert all(c["email"] != "mette.jorgensen@example.dk" for c in freshdesk_sim.contacts.values())
    with pytest.raises(NotFound):
        freshdesk.erase_contact("mette.jorgensen@example.dk")


def test_anonymise_contact(freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator) -> None:
    cid = min(freshdesk_sim.contacts)
    freshdesk.anonymise_contact(str(cid), {"name": "Anonym", "phone": ""})
    assert freshdesk_sim.contacts[cid]["name"] == "Anonym"


def test_bad_api_key_fails_once_without_retry(freshdesk_sim: FreshdeskSimulator) -> None:
    adapter = FreshdeskAdapter(freshdesk_sim.url, "wrong", "u", "p", retry=FAST_RETRY)
    with pytest.raises(CredentialsError) as info:
        adapter.get_ticket("2")
    assert info.value.status == 401 and info.value.code == "invalid_credentials"
    assert freshdesk_sim.count("GET", TICKET) == 1


def test_5xx_then_success_is_retried(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    freshdesk_sim.configure(fail_next=2, fail_status=503)
    assert freshdesk.get_ticket(str(_first_ticket(freshdesk_sim))).subject
    assert freshdesk_sim.count("GET", TICKET) == 3


def test_429_waits_for_retry_after(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    freshdesk_sim.configure(fail_next=1, fail_status=429)
    started = datetime.now(UTC)
    freshdesk.get_ticket(str(_first_ticket(freshdesk_sim)))
    assert (datetime.now(UTC) - started).total_seconds() >= 0.9  # Retry-After: 1
    assert freshdesk_sim.count("GET", TICKET) == 2


def test_dropped_connection_is_retried_then_reported(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    tid = str(_first_ticket(freshdesk_sim))
    freshdesk_sim.configure(drop_next=1)
    assert freshdesk.get_ticket(tid).subject
    freshdesk_sim.configure(drop_next=10)
    with pytest.raises(AdapterError) as info:
        freshdesk.get_ticket(tid)
    assert info.value.retryable and info.value.status is None
    assert isinstance(info.value.__cause__, Exception)


def test_read_timeout_is_retried(freshdesk_sim: FreshdeskSimulator) -> None:
    adapter = FreshdeskAdapter(
        freshdesk_sim.url, freshdesk_sim.api_key, "u", "p", retry=FAST_RETRY, timeout=(1.0, 0.3)
    )
    freshdesk_sim.configure(hang_next=1, hang_seconds=0.6)
    assert adapter.get_ticket(str(_first_ticket(freshdesk_sim))).subject
    assert freshdesk_sim.count("GET", TICKET) == 2


def test_error_message_carries_no_personal_data(
    freshdesk: FreshdeskAdapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    freshdesk_sim.configure(fail_next=10, fail_status=500)
    with pytest.raises(AdapterError) as info:
        freshdesk.erase_contact("lars.nielsen@example.dk")
    assert "lars" not in str(info.value) and "lars" not in repr(info.value)
    assert info.value.response is not None and info.value.retryable


@pytest.mark.parametrize(
    ("settings", "missing"),
    [
        ({"domain": "acme"}, "DATAVAGT_FRESHDESK_API_KEY"),
        ({"api_key": "k", "webhook_user": "u"}, "DATAVAGT_FRESHDESK_WEBHOOK_PASSWORD"),
        ({"api_key": "k", "webhook_user": "u", "webhook_password": "p"}, "DOMAIN"),
    ],
)
def test_from_settings_names_the_missing_variable(settings: dict[str, str], missing: str) -> None:
    with pytest.raises(AdapterConfigError, match=missing):
        FreshdeskAdapter.from_settings(settings)


def test_from_settings_derives_url_from_domain() -> None:
    adapter = FreshdeskAdapter.from_settings(
        {"domain": "acme", "api_key": "k", "webhook_user": "u", "webhook_password": "p"}
    )
    assert adapter.http.base_url == "https://acme.freshdesk.com/"
    assert TIMEOUT
