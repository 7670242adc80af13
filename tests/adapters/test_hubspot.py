"""HubSpot adapter against its simulator, which checks traffic against the OpenAPI files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from adapters.hubspot import HubSpotAdapter
from plugin.vendors.contract import WebhookEvent
from plugin.vendors.errors import AdapterConfigError, CredentialsError, NotFound, RateLimited
from simulators.hubspot.simulator import HubSpotSimulator
from tests.adapters.conftest import FAST_RETRY, SPEC_DIR

TICKET = "/crm/v3/objects/tickets/{ticketId}"


def _ticket_id(sim: HubSpotSimulator) -> str:
    return min(sim.tickets, key=int)


def test_get_ticket_with_associated_contact(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    ticket = hubspot.get_ticket(_ticket_id(hubspot_sim))
    assert ticket.subject == "Refusion af dobbelt betaling"
    assert "IBAN" in ticket.fields["content"].text
    assert ticket.requester and ticket.requester.email == "mette.jorgensen@example.dk"
    assert ticket.pipeline == "0" and not ticket.closed
    assert hubspot_sim.count("GET", TICKET) == 1


def test_iter_tickets_follows_after_cursor(hubspot_sim: HubSpotSimulator) -> None:
    adapter = HubSpotAdapter(
        hubspot_sim.url, hubspot_sim.token, "s", retry=FAST_RETRY, page_limit=2
    )
    tickets = list(adapter.iter_tickets(datetime.now(UTC) - timedelta(hours=1)))
    assert len(tickets) == 5
    assert hubspot_sim.count("POST", "/crm/v3/objects/tickets/search") == 3
    assert [t for t in tickets if t.closed][0].subject == "Please delete my account"


def test_write_fields_patches_properties_and_spots_the_echo(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    tid = _ticket_id(hubspot_sim)
    hubspot.write_fields(tid, {"content": "[CPR ••••••-••85]"})
    assert hubspot_sim.tickets[tid]["properties"]["content"] == "[CPR ••••••-••85]"
    by_app = WebhookEvent(
        "hubspot", "k", "updated", "ticket", tid, None, "INTEGRATION", actor=str(hubspot_sim.app_id)
    )
    by_user = WebhookEvent(
        "hubspot", "k", "updated", "ticket", tid, None, "CRM_UI", actor="userId:1"
    )
    assert hubspot.is_own_change(by_app) and not hubspot.is_own_change(by_user)


def test_delete_ticket_archives_and_second_is_not_found(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    tid = _ticket_id(hubspot_sim)
    hubspot.delete_ticket(tid)
    assert hubspot_sim.tickets[tid]["archived"]
    with pytest.raises(NotFound):
        hubspot.delete_ticket(tid)


def test_archived_ticket_stays_in_the_recycle_bin_for_90_days_and_says_so(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    tid = _ticket_id(hubspot_sim)
    stores = hubspot.delete_ticket(tid)
    until = (datetime.now(UTC) + timedelta(days=90)).date().isoformat()
    assert {(s["store"], s["state"], s["until"]) for s in stores} == {
        ("record", "destroyed", ""),
        ("attachments", "destroyed", ""),
        ("recycle_bin", "remains", until),
    }
    assert hubspot_sim.purge_recycle_bin(datetime.now(UTC) + timedelta(days=89)) == []
    assert tid in hubspot_sim.tickets  # still restorable at HubSpot
    assert hubspot_sim.purge_recycle_bin(datetime.now(UTC) + timedelta(days=90, seconds=1)) == [tid]
    assert tid not in hubspot_sim.tickets and tid not in hubspot_sim.links


def test_gdpr_delete_by_email_and_by_id(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    hubspot.erase_contact("lars.nielsen@example.dk")
    hubspot.erase_contact("nobody@example.com")  # unknown e-mail: HubSpot blocklists it
    assert hubspot_sim.blocklist == ["nobody@example.com"]
    with pytest.raises(NotFound):
        hubspot.erase_contact("999999")
    assert hubspot_sim.count("POST", "/crm/v3/objects/contacts/gdpr-delete") == 3


def test_anonymise_contact(hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator) -> None:
    cid = min(hubspot_sim.contacts, key=int)
    hubspot.anonymise_contact(cid, {"firstname": "Anonym", "phone": "[masked]"})
    assert hubspot_sim.contacts[cid]["properties"]["phone"] == "[masked]"


def test_bad_token_fails_once(hubspot_sim: HubSpotSimulator) -> None:
    adapter = HubSpotAdapter(hubspot_sim.url, "wrong", "s", retry=FAST_RETRY)
    with pytest.raises(CredentialsError) as info:
        adapter.get_ticket(_ticket_id(hubspot_sim))
    assert info.value.code == "INVALID_AUTHENTICATION"
    assert hubspot_sim.count("GET", TICKET) == 1


def test_5xx_retried_and_429_gives_up_as_rate_limited(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    hubspot_sim.configure(fail_next=2, fail_status=502)
    assert hubspot.get_ticket(_ticket_id(hubspot_sim)).subject
    hubspot_sim.configure(fail_next=10, fail_status=429)
    before = hubspot_sim.count("GET", TICKET)
    with pytest.raises(RateLimited) as info:
        hubspot.delete_ticket(_ticket_id(hubspot_sim))  # its first call: GET the ticket
    assert info.value.code == "RATE_LIMIT" and info.value.retryable
    assert hubspot_sim.count("GET", TICKET) - before == 4  # first try + 3 retries
    assert hubspot_sim.count("DELETE", TICKET) == 0


def test_simulator_rejects_requests_outside_the_spec(hubspot_sim: HubSpotSimulator) -> None:
    import requests

    response = requests.post(
        f"{hubspot_sim.url}/crm/v3/objects/contacts/gdpr-delete",
        json={"idProperty": "email"},  # objectId is required
        headers={"Authorization": f"Bearer {hubspot_sim.token}"},
        timeout=5,
    )
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert hubspot_sim.validator is not None
    hubspot_sim.validator.errors.clear()  # expected violation; the fixture checks the rest


def test_spec_files_are_the_vendor_copies() -> None:
    assert sorted(p.name for p in SPEC_DIR.glob("*.json")) == [
        "associations.json",
        "contacts.json",
        "tickets.json",
        "webhooks.json",
    ]


def test_from_settings() -> None:
    with pytest.raises(AdapterConfigError, match="DATAVAGT_HUBSPOT_CLIENT_SECRET"):
        HubSpotAdapter.from_settings({"token": "t"})
    adapter = HubSpotAdapter.from_settings({"token": "t", "client_secret": "s"})
    assert adapter.http.base_url == "https://api.hubapi.com/"
