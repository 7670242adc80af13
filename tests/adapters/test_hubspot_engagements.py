"""A HubSpot ticket's e-mails and notes as conversations, over HTTP against the simulator."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from adapters.hubspot import HubSpotAdapter
from plugin.vendors.errors import AdapterError, CredentialsError, NotFound
from simulators.hubspot.simulator import HubSpotSimulator
from tests.adapters.conftest import FAST_RETRY

ASSOCIATIONS = "/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}"
EMAILS_READ = "/crm/v3/objects/emails/batch/read"
NOTES_READ = "/crm/v3/objects/notes/batch/read"
EMAIL = "/crm/v3/objects/emails/{emailId}"
NOTE = "/crm/v3/objects/notes/{noteId}"


def _ticket_id(sim: HubSpotSimulator) -> str:
    return min(sim.tickets, key=int)


def _auth(sim: HubSpotSimulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {sim.token}"}


def test_emails_and_notes_are_conversations_in_time_order(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    tid = _ticket_id(hubspot_sim)
    [seeded] = hubspot_sim.engagements["emails"]  # the demo's incoming e-mail on this ticket
    sent = hubspot_sim.add_email(
        tid,
        text="Hej Mette,\nvi har modtaget dit CPR 070761-4285 & kvitteringen.",
        direction="EMAIL",
        hubspot_owner_id="77",
        hs_timestamp="2030-01-01T10:00:00.000Z",
    )
    forwarded = hubspot_sim.add_email(
        tid, html="<p>fwd</p>", direction="FORWARDED_EMAIL", hs_timestamp="2030-01-02T10:00:00Z"
    )
    scheduled = hubspot_sim.add_email(
        tid,
        html="<p>later</p>",
        direction="EMAIL",
        status="SCHEDULED",
        hs_timestamp="1900000000000",
    )
    note = hubspot_sim.add_note(tid, "<p>Ring 20 12 34 56</p>", hs_timestamp="2030-01-03T10:00:00Z")

    ticket = hubspot.get_ticket(tid)
    by_id = {c.external_id: c for c in ticket.conversations}
    assert [c.external_id for c in ticket.conversations] == [
        f"email:{seeded}",  # logged now, before the dates set above
        f"email:{sent}",
        f"email:{forwarded}",
        f"note:{note}",
        f"email:{scheduled}",  # epoch milliseconds: 2030-03-17
    ]
    incoming = by_id[f"email:{seeded}"]
    assert incoming.incoming and incoming.writable and "Nørrebrogade 12" in incoming.body.text
    out = by_id[f"email:{sent}"]
    assert not out.incoming and not out.private and out.writable and out.author_id == "77"
    # A text-only e-mail is read as escaped HTML with its line breaks.
    assert out.body.is_html and out.body.text == (
        "<p>Hej Mette,<br>vi har modtaget dit CPR 070761-4285 &amp; kvitteringen.</p>"
    )
    assert by_id[f"email:{forwarded}"].incoming
    later = by_id[f"email:{scheduled}"]
    assert later.private and not later.writable  # not mailed yet: agents only, left alone
    assert by_id[f"email:{scheduled}"].created_at.year == 2030  # type: ignore[union-attr]
    kept = by_id[f"note:{note}"]
    assert kept.private and not kept.incoming and kept.writable and kept.body.is_html
    # Bounded: contacts, e-mails and notes listed once each; one batch read per type.
    assert hubspot_sim.count("GET", ASSOCIATIONS) == 3
    assert hubspot_sim.count("POST", EMAILS_READ) == 1
    assert hubspot_sim.count("POST", NOTES_READ) == 1


def test_a_ticket_without_engagements_reads_no_batches(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    tid = max(hubspot_sim.tickets, key=int)
    assert hubspot.get_ticket(tid).conversations == []
    assert hubspot_sim.count("POST", EMAILS_READ) == hubspot_sim.count("POST", NOTES_READ) == 0


def test_associations_beyond_one_page_and_batches_of_100(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    tid = max(hubspot_sim.tickets, key=int)
    notes = [hubspot_sim.add_note(tid, f"<p>note {n}</p>") for n in range(501)]
    ticket = hubspot.get_ticket(tid)
    assert sorted(c.external_id for c in ticket.conversations) == sorted(f"note:{n}" for n in notes)
    # 500 per association page (the v4 limit): two pages; 501 ids in six batch reads.
    assert hubspot_sim.count("GET", ASSOCIATIONS) == 1 + 1 + 2
    assert hubspot_sim.count("POST", NOTES_READ) == 6


def test_write_conversation_patches_the_note_or_email_body(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    tid = _ticket_id(hubspot_sim)
    note = hubspot_sim.add_note(tid, "<p>CPR 070761-4285</p>")
    email = hubspot_sim.add_email(tid, html="<p>CPR 070761-4285</p>", text="CPR 070761-4285")
    hubspot.write_conversation(tid, f"note:{note}", "<p>CPR [CPR ••••••-••85]</p>")
    hubspot.write_conversation(tid, f"email:{email}", "<p>CPR [CPR ••••••-••85]<br>Tak</p>")

    assert hubspot_sim.engagements["notes"][note]["properties"]["hs_note_body"] == (
        "<p>CPR [CPR ••••••-••85]</p>"
    )
    props = hubspot_sim.engagements["emails"][email]["properties"]
    assert props["hs_email_html"] == "<p>CPR [CPR ••••••-••85]<br>Tak</p>"
    assert props["hs_email_text"] == "CPR [CPR ••••••-••85]\nTak"  # no copy left in clear
    assert hubspot_sim.count("PATCH", NOTE) == hubspot_sim.count("PATCH", EMAIL) == 1
    assert HubSpotAdapter.edits_conversations


def test_write_conversation_unknown_ids(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    tid = _ticket_id(hubspot_sim)
    note = hubspot_sim.add_note(tid, "<p>x</p>")
    with pytest.raises(NotFound):
        hubspot.write_conversation(tid, "email:999999", "<p>y</p>")
    with pytest.raises(NotFound):  # a note's id is not an e-mail's
        hubspot.write_conversation(tid, f"email:{note}", "<p>y</p>")
    for bad in (note, f"call:{note}", "note:"):
        with pytest.raises(AdapterError) as refused:
            hubspot.write_conversation(tid, bad, "<p>y</p>")
        assert refused.value.status is None  # refused before any call
    assert hubspot_sim.count("PATCH", EMAIL) == 2 and hubspot_sim.count("PATCH", NOTE) == 0
    assert hubspot_sim.engagements["notes"][note]["properties"]["hs_note_body"] == "<p>x</p>"


def test_unauthenticated_calls_fail_once(hubspot_sim: HubSpotSimulator) -> None:
    tid = _ticket_id(hubspot_sim)
    note = hubspot_sim.add_note(tid, "<p>keep</p>")
    adapter = HubSpotAdapter(hubspot_sim.url, "wrong", "s", retry=FAST_RETRY)
    with pytest.raises(CredentialsError) as info:
        adapter.write_conversation(tid, f"note:{note}", "<p>x</p>")
    assert info.value.status == 401 and info.value.code == "INVALID_AUTHENTICATION"
    assert hubspot_sim.count("PATCH", NOTE) == 1
    for method, path, body in (
        ("GET", f"/crm/v4/objects/tickets/{tid}/associations/notes", None),
        ("POST", NOTES_READ, {"inputs": [], "properties": [], "propertiesWithHistory": []}),
    ):
        answer = requests.request(method, hubspot_sim.url + path, json=body, timeout=5)
        assert answer.status_code == 401
        assert answer.json()["category"] == "INVALID_AUTHENTICATION"
    assert hubspot_sim.engagements["notes"][note]["properties"]["hs_note_body"] == "<p>keep</p>"


def test_rate_limited_patch_is_retried(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    tid = _ticket_id(hubspot_sim)
    note = hubspot_sim.add_note(tid, "<p>x</p>")
    hubspot_sim.configure(fail_next=1, fail_status=429)
    hubspot.write_conversation(tid, f"note:{note}", "<p>y</p>")
    assert hubspot_sim.count("PATCH", NOTE) == 2
    answer = requests.get(
        f"{hubspot_sim.url}/crm/v3/objects/notes/{note}", headers=_auth(hubspot_sim), timeout=5
    )
    assert answer.json()["properties"]["hs_note_body"] == "<p>y</p>"
    assert "X-HubSpot-RateLimit-Remaining" in answer.headers


def _patch(sim: HubSpotSimulator, object_type: str, rid: str, body: Any) -> requests.Response:
    url = f"{sim.url}/crm/v3/objects/{object_type}/{rid}"
    if isinstance(body, bytes):
        headers = {**_auth(sim), "Content-Type": "application/json"}
        return requests.patch(url, data=body, headers=headers, timeout=5)
    return requests.patch(url, json=body, headers=_auth(sim), timeout=5)


def test_simulator_answers_malformed_updates_with_hubspot_errors(
    hubspot_sim: HubSpotSimulator,
) -> None:
    tid = _ticket_id(hubspot_sim)
    note = hubspot_sim.add_note(tid, "<p>keep</p>")
    email = hubspot_sim.add_email(tid, html="<p>keep</p>")
    for body in (b"{", {}, {"properties": "x"}, {"properties": {"hs_note_body": 5}}):
        answer = _patch(hubspot_sim, "notes", note, body)
        assert answer.status_code == 400
        error = answer.json()
        assert error["status"] == "error" and error["category"] == "VALIDATION_ERROR"
        assert error["correlationId"] and error["message"]
    read_only = _patch(hubspot_sim, "emails", email, {"properties": {"hs_email_from_email": "x"}})
    assert read_only.status_code == 400 and "READ_ONLY_VALUE" in read_only.json()["message"]
    unknown = _patch(hubspot_sim, "notes", note, {"properties": {"hs_email_html": "x"}})
    assert unknown.status_code == 400 and "PROPERTY_DOESNT_EXIST" in unknown.json()["message"]
    missing = _patch(hubspot_sim, "notes", "999999", {"properties": {"hs_note_body": "x"}})
    assert missing.status_code == 404 and missing.json()["category"] == "OBJECT_NOT_FOUND"
    assert hubspot_sim.engagements["notes"][note]["properties"]["hs_note_body"] == "<p>keep</p>"
    assert hubspot_sim.engagements["emails"][email]["properties"]["hs_email_html"] == "<p>keep</p>"


def test_simulator_batch_read_checks_inputs_and_reports_missing_ids(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    url = hubspot_sim.url + EMAILS_READ
    tid = _ticket_id(hubspot_sim)
    email = hubspot_sim.add_email(tid, html="<p>a</p>")
    lists = {"properties": [], "propertiesWithHistory": []}
    for body in (
        {"inputs": [{"id": email}], "properties": []},  # propertiesWithHistory is required
        {"inputs": [{"id": 1}], **lists},  # ids are strings
        {"inputs": [{"id": str(n)} for n in range(101)], **lists},  # 100 at most
    ):
        answer = requests.post(url, json=body, headers=_auth(hubspot_sim), timeout=5)
        assert answer.status_code == 400 and answer.json()["category"] == "VALIDATION_ERROR"
    body = {
        "inputs": [{"id": email}, {"id": "999999"}],
        "properties": ["hs_email_html"],
        "propertiesWithHistory": [],
    }
    answer = requests.post(url, json=body, headers=_auth(hubspot_sim), timeout=5)
    assert answer.status_code == 207
    result = answer.json()
    assert [r["id"] for r in result["results"]] == [email] and result["numErrors"] == 1
    assert result["errors"][0]["category"] == "OBJECT_NOT_FOUND"
    assert result["errors"][0]["context"] == {"ids": ["999999"]}
    # An e-mail deleted after the association was listed is skipped, the rest still read.
    del hubspot_sim.engagements["emails"][email]
    ids = {c.external_id for c in hubspot.get_ticket(tid).conversations}
    assert f"email:{email}" not in ids and ids
