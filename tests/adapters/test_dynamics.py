"""Dynamics adapter against the Dataverse + Azure AD simulator."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest
import requests

from adapters.dynamics import DynamicsAdapter
from plugin.vendors.contract import WebhookEvent
from plugin.vendors.errors import AdapterConfigError, AdapterError, CredentialsError, NotFound
from simulators.dynamics.simulator import DynamicsSimulator
from tests.adapters.conftest import dynamics_adapter

INCIDENT = "/api/data/v9.2/incidents({id})"


def _token_calls(sim: DynamicsSimulator) -> int:
    return sim.count("POST", f"/{sim.aad.tenant_id}/oauth2/v2.0/token")


def _incident(sim: DynamicsSimulator) -> str:
    return next(iter(sim.incidents))


def test_get_ticket_expands_customer(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    ticket = dynamics.get_ticket(_incident(dynamics_sim))
    assert ticket.subject == "Refusion af dobbelt betaling"
    assert ticket.requester and ticket.requester.phone == "+45 21 34 56 78"
    assert _token_calls(dynamics_sim) == 1


def test_iter_tickets_follows_next_link(dynamics_sim: DynamicsSimulator) -> None:
    adapter = dynamics_adapter(dynamics_sim, page_size=2)
    tickets = list(adapter.iter_tickets(datetime.now(UTC) - timedelta(hours=1)))
    assert len(tickets) == 5 and len({t.external_id for t in tickets}) == 5
    assert dynamics_sim.count("GET", "/api/data/v9.2/incidents") == 3
    assert sum(t.closed for t in tickets) == 1


def test_write_delete_and_missing(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    iid = _incident(dynamics_sim)
    dynamics.write_fields(iid, {"description": "[CPR ••••••-••85]"})
    assert dynamics_sim.incidents[iid]["description"] == "[CPR ••••••-••85]"
    dynamics.delete_ticket(iid)
    with pytest.raises(NotFound) as info:
        dynamics.write_fields(iid, {"title": "x"})
    assert info.value.code == "0x80040217"


def test_erase_contact_delete_or_anonymise(dynamics_sim: DynamicsSimulator) -> None:
    deleting = dynamics_adapter(dynamics_sim)
    deleting.erase_contact("lars.nielsen@example.dk")
    assert all(
        c["emailaddress1"] != "lars.nielsen@example.dk" for c in dynamics_sim.contacts.values()
    )
    anonymising = dynamics_adapter(dynamics_sim, erase_mode="anonymise")
    anonymising.erase_contact("emily.carter@example.com")
    assert dynamics_sim.count("PATCH", "/api/data/v9.2/contacts({id})") == 1
    assert not any(
        c["emailaddress1"] == "emily.carter@example.com" for c in dynamics_sim.contacts.values()
    )
    with pytest.raises(NotFound):
        deleting.erase_contact("lars.nielsen@example.dk")


def test_token_is_refreshed_before_expiry() -> None:
    # A token lives 3 s and is refreshed 1 s early: two reads (3 requests each) share one.
    with DynamicsSimulator(token_ttl=3) as sim:
        sim.seed_demo()
        adapter = dynamics_adapter(sim, token_leeway=1)
        adapter.get_ticket(_incident(sim))
        adapter.get_ticket(_incident(sim))
        assert _token_calls(sim) == 1
        time.sleep(2.2)
        adapter.get_ticket(_incident(sim))
        assert _token_calls(sim) == 2
        assert adapter.session.token_fetches == 2


def test_bad_client_secret_is_one_token_call(dynamics_sim: DynamicsSimulator) -> None:
    adapter = dynamics_adapter(dynamics_sim, client_secret="wrong")
    with pytest.raises(CredentialsError) as info:
        adapter.get_ticket(_incident(dynamics_sim))
    assert info.value.code == "invalid_client"
    assert _token_calls(dynamics_sim) == 1
    assert dynamics_sim.count("GET", INCIDENT) == 0


def test_429_with_documented_body_then_success(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    dynamics_sim.configure(fail_next=1, fail_status=429)
    assert dynamics.get_ticket(_incident(dynamics_sim)).subject
    assert dynamics_sim.count("GET", INCIDENT) == 2


def test_own_change_is_the_application_user(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    ours = WebhookEvent("dynamics", "k", "updated", "ticket", "x", actor=dynamics_sim.app_user_id)
    theirs = WebhookEvent("dynamics", "k", "updated", "ticket", "x", actor="someone")
    assert dynamics.is_own_change(ours) and not dynamics.is_own_change(theirs)
    assert dynamics_sim.count("GET", "/api/data/v9.2/WhoAmI") == 1


def test_openid_discovery_jwks_and_user_tokens(dynamics_sim: DynamicsSimulator) -> None:
    tenant = dynamics_sim.aad.tenant_id
    config = requests.get(
        f"{dynamics_sim.url}/{tenant}/v2.0/.well-known/openid-configuration", timeout=5
    ).json()
    assert config["token_endpoint"].endswith(f"/{tenant}/oauth2/v2.0/token")
    keys = requests.get(config["jwks_uri"], timeout=5).json()
    token = dynamics_sim.mint_user_token("agent@contoso.dk", name="Agent A")
    key = jwt.PyJWKSet.from_dict(keys).keys[0].key
    claims = jwt.decode(
        token, key, algorithms=["RS256"], audience=dynamics_sim.url, issuer=config["issuer"]
    )
    assert {"oid", "upn", "tid", "exp"} <= set(claims) and claims["tid"] == tenant


def test_api_rejects_expired_token(dynamics_sim: DynamicsSimulator) -> None:
    token = dynamics_sim.mint_user_token("a@b.dk", ttl=-10)
    response = requests.get(
        f"{dynamics_sim.url}/api/data/v9.2/incidents",
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert response.status_code == 401 and "WWW-Authenticate" in response.headers


def test_from_settings_names_missing_variable() -> None:
    with pytest.raises(AdapterConfigError, match="DATAVAGT_DYNAMICS_WEBHOOK_KEY"):
        DynamicsAdapter.from_settings(
            {"org_url": "https://o", "tenant_id": "t", "client_id": "c", "client_secret": "s"}
        )


# -- activities: e-mails and notes regarding a case ----------------------------------
EMAILS = "/api/data/v9.2/emails"
NOTES = "/api/data/v9.2/annotations"
NOTE = "/api/data/v9.2/annotations({id})"
EMAIL = "/api/data/v9.2/emails({id})"


def test_get_ticket_reads_emails_and_notes_over_pages(dynamics_sim: DynamicsSimulator) -> None:
    iid = _incident(dynamics_sim)  # seeded with one received e-mail
    sent = dynamics_sim.add_email(iid, "<p>Vi har modtaget din sag.</p>", incoming=False)
    draft = dynamics_sim.add_email(iid, "<p>Udkast</p>", incoming=False, statecode=0)
    html = dynamics_sim.add_note(iid, "<div>Kunden ringede: 070761-4285</div>")
    plain = dynamics_sim.add_note(iid, "Bruger har <3 katte, ring 40 11 22 33")
    dynamics_sim.add_note(iid, "")  # an attachment-only note has no text
    other = dynamics_sim.add_note(next(reversed(dynamics_sim.incidents)), "Anden sag")
    adapter = dynamics_adapter(dynamics_sim, page_size=2)

    ticket = adapter.get_ticket(iid)

    by_id = {c.external_id: c for c in ticket.conversations}
    [received] = [k for k in by_id if k.startswith("email:") and by_id[k].incoming]
    assert set(by_id) == {received, f"email:{sent}", f"email:{draft}"} | {
        f"note:{html}",
        f"note:{plain}",
    }
    assert f"note:{other}" not in by_id
    assert "070761-4285" in by_id[received].body.text and by_id[received].body.is_html
    assert not by_id[received].private and not by_id[received].writable
    outgoing = by_id[f"email:{sent}"]
    assert not outgoing.incoming and not outgoing.private and not outgoing.writable
    assert outgoing.created_at is not None
    assert by_id[f"email:{draft}"].private and not by_id[f"email:{draft}"].writable
    assert by_id[f"note:{html}"].writable and by_id[f"note:{html}"].private
    assert by_id[f"note:{html}"].body.is_html and not by_id[f"note:{plain}"].body.is_html
    # 3 e-mails and 4 notes of this case at 2 a page: @odata.nextLink followed to the end.
    assert dynamics_sim.count("GET", EMAILS) == 2
    assert dynamics_sim.count("GET", NOTES) == 2


def test_write_note_refused_completed_email_and_missing(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    iid = _incident(dynamics_sim)
    nid = dynamics_sim.add_note(iid, "CPR 070761-4285")
    dynamics.write_conversation(iid, f"note:{nid}", "CPR [CPR ••••••-••85]")
    assert dynamics_sim.annotations[nid]["notetext"] == "CPR [CPR ••••••-••85]"

    [eid] = [e for e, row in dynamics_sim.emails.items() if row["statecode"] == 1]
    before = dynamics_sim.emails[eid]["description"]
    with pytest.raises(AdapterError) as refused:
        dynamics.write_conversation(iid, f"email:{eid}", "<p>masked</p>")
    assert refused.value.status == 400 and not refused.value.retryable
    assert dynamics_sim.emails[eid]["description"] == before
    draft = dynamics_sim.add_email(iid, "<p>Udkast</p>", incoming=False, statecode=0)
    dynamics.write_conversation(iid, f"email:{draft}", "<p>Udkast 2</p>")  # open: editable
    assert dynamics_sim.emails[draft]["description"] == "<p>Udkast 2</p>"

    with pytest.raises(NotFound) as missing:
        dynamics.write_conversation(iid, "note:00000000-0000-4000-8000-000000000001", "x")
    assert missing.value.code == "0x80040217"
    with pytest.raises(AdapterError):
        dynamics.write_conversation(iid, "12345", "x")  # not an e-mail or note id
    assert dynamics_sim.count("PATCH", NOTE) == 2 and dynamics_sim.count("PATCH", EMAIL) == 2

    dynamics.delete_ticket(iid)  # a case's activities go with it
    assert nid not in dynamics_sim.annotations and eid not in dynamics_sim.emails


def test_activity_requests_malformed_or_unauthenticated(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    nid = dynamics_sim.add_note(_incident(dynamics_sim), "Intern note")
    url = f"{dynamics_sim.url}{NOTE.format(id=nid)}"
    session = dynamics.session  # carries a live token
    bad_json = session.patch(
        url, data=b"{not json", headers={"Content-Type": "application/json", "If-Match": "*"}
    )
    assert bad_json.status_code == 400 and bad_json.json()["error"]["code"] == "0x80040203"
    unknown = session.patch(url, json={"ownerid": "x"}, headers={"If-Match": "*"})
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "0x80060888"
    select = session.get(f"{dynamics_sim.url}{NOTES}", params={"$select": "nosuchcolumn"})
    assert select.status_code == 400
    where = session.get(f"{dynamics_sim.url}{EMAILS}", params={"$filter": "subject eq 'x'"})
    assert where.status_code == 400

    anonymous = requests.patch(url, json={"notetext": "x"}, timeout=5)
    assert anonymous.status_code == 401 and "WWW-Authenticate" in anonymous.headers
    assert requests.get(f"{dynamics_sim.url}{EMAILS}", timeout=5).status_code == 401
    assert dynamics_sim.annotations[nid]["notetext"] == "Intern note"
