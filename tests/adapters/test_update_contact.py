"""``Adapter.update_contact`` (Art. 16) against each vendor simulator over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from plugin.vendors.contract import Adapter
from plugin.vendors.errors import AdapterError, NotFound
from simulators.dynamics.simulator import DynamicsSimulator
from simulators.freshdesk.simulator import FreshdeskSimulator
from simulators.hubspot.simulator import HubSpotSimulator
from tests.adapters.conftest import dynamics_adapter

NEW = {"email": "karen.holm@example.com", "phone": "+45 70 10 20 30", "name": "Karen Holm-Berg"}


@dataclass
class Case:
    """One vendor: its adapter, simulator, the contact endpoint and how to read a contact."""

    adapter: Adapter
    sim: Any
    method: str
    endpoint: str
    contact_id: str
    missing_id: str

    def fields(self, contact_id: str | None = None) -> dict[str, str | None]:
        """The contact as {email, phone, first, last} from the simulator's records."""
        cid = contact_id or self.contact_id
        if isinstance(self.sim, FreshdeskSimulator):
            c = self.sim.contacts[int(cid)]
            first, _, last = c["name"].partition(" ")
            return {"email": c["email"], "phone": c["phone"], "first": first, "last": last}
        if isinstance(self.sim, HubSpotSimulator):
            p = self.sim.contacts[cid]["properties"]
            return {
                "email": p.get("email"),
                "phone": p.get("phone"),
                "first": p.get("firstname"),
                "last": p.get("lastname"),
            }
        c = self.sim.contacts[cid]
        return {
            "email": c["emailaddress1"],
            "phone": c["telephone1"],
            "first": c["firstname"],
            "last": c["lastname"],
        }


@pytest.fixture(params=["freshdesk", "hubspot", "dynamics"])
def case(
    request: pytest.FixtureRequest,
    freshdesk: Adapter,
    freshdesk_sim: FreshdeskSimulator,
    hubspot: Adapter,
    hubspot_sim: HubSpotSimulator,
    dynamics: Adapter,
    dynamics_sim: DynamicsSimulator,
) -> Iterator[Case]:
    """Each vendor in turn, with a demo contact to correct."""
    if request.param == "freshdesk":
        cid = str(min(freshdesk_sim.contacts))
        yield Case(freshdesk, freshdesk_sim, "PUT", "/api/v2/contacts/{id}", cid, "987654")
    elif request.param == "hubspot":
        cid = min(hubspot_sim.contacts, key=int)
        yield Case(hubspot, hubspot_sim, "PATCH", "/crm/v3/objects/contacts/{contactId}", cid, "9")
    else:
        cid = sorted(dynamics_sim.contacts)[0]
        missing = "00000000-0000-4000-8000-0000000000aa"
        yield Case(dynamics, dynamics_sim, "PATCH", "/api/data/v9.2/contacts({id})", cid, missing)


def test_email_and_phone_are_corrected(case: Case) -> None:
    before = case.fields()
    case.adapter.update_contact(case.contact_id, {"email": NEW["email"], "phone": NEW["phone"]})
    after = case.fields()
    assert after["email"] == NEW["email"] and after["phone"] == NEW["phone"]
    assert (after["first"], after["last"]) == (before["first"], before["last"])  # untouched
    assert case.sim.count(case.method, case.endpoint) == 1


def test_name_is_split_where_the_vendor_has_first_and_last(case: Case) -> None:
    case.adapter.update_contact(case.contact_id, {"name": NEW["name"]})
    assert case.fields()["first"] == "Karen" and case.fields()["last"] == "Holm-Berg"
    assert case.sim.count(case.method, case.endpoint) == 1


def test_unknown_contact_is_not_found_and_not_created(case: Case) -> None:
    count = len(case.sim.contacts)
    with pytest.raises(NotFound):
        case.adapter.update_contact(case.missing_id, {"email": NEW["email"]})
    assert len(case.sim.contacts) == count  # Dynamics: If-Match: * stops the upsert


@pytest.mark.parametrize("values", [{"address": "Vestergade 1"}, {"email": "x", "mobile": "1"}])
def test_other_keys_are_refused_before_any_call(case: Case, values: Mapping[str, str]) -> None:
    with pytest.raises(AdapterError, match="cannot be updated"):
        case.adapter.update_contact(case.contact_id, values)
    assert case.sim.count(case.method, case.endpoint) == 0


def test_nothing_to_change_makes_no_call(case: Case) -> None:
    case.adapter.update_contact(case.contact_id, {})
    assert case.sim.count(case.method, case.endpoint) == 0


def test_vendor_5xx_is_retried(case: Case) -> None:
    case.sim.configure(fail_next=1, fail_status=503)
    case.adapter.update_contact(case.contact_id, {"phone": NEW["phone"]})
    assert case.fields()["phone"] == NEW["phone"]
    assert case.sim.count(case.method, case.endpoint) == 2


def test_freshdesk_refuses_an_email_in_use_with_409(
    freshdesk: Adapter, freshdesk_sim: FreshdeskSimulator
) -> None:
    first, second = sorted(freshdesk_sim.contacts)[:2]
    taken = freshdesk_sim.contacts[second]["email"]
    with pytest.raises(AdapterError) as info:
        freshdesk.update_contact(str(first), {"email": taken.upper()})
    assert info.value.status == 409 and info.value.code == "duplicate_value"
    assert taken not in str(info.value)  # messages name no personal data
    assert freshdesk_sim.contacts[first]["email"] != taken


def test_simulators_refuse_fields_the_vendor_does_not_have(
    freshdesk_sim: FreshdeskSimulator,
    hubspot_sim: HubSpotSimulator,
    dynamics_sim: DynamicsSimulator,
) -> None:
    fd = requests.put(
        f"{freshdesk_sim.url}/api/v2/contacts/{min(freshdesk_sim.contacts)}",
        json={"emailaddress1": "a@b.dk"},
        auth=(freshdesk_sim.api_key, "X"),
        timeout=5,
    )
    assert fd.status_code == 400 and fd.json()["errors"][0]["code"] == "invalid_field"
    hs = requests.patch(
        f"{hubspot_sim.url}/crm/v3/objects/contacts/{min(hubspot_sim.contacts, key=int)}",
        json={"properties": {"telephone1": "1"}},
        headers={"Authorization": f"Bearer {hubspot_sim.token}"},
        timeout=5,
    )
    assert hs.status_code == 400 and hs.json()["category"] == "VALIDATION_ERROR"
    assert "PROPERTY_DOESNT_EXIST" in hs.json()["message"]
    adapter = dynamics_adapter(dynamics_sim)
    with pytest.raises(AdapterError) as info:
        adapter.http.patch(
            f"contacts({sorted(dynamics_sim.contacts)[0]})",
            json={"email": "a@b.dk"},
            headers={"If-Match": "*"},
        )
    assert info.value.status == 400 and info.value.code == "0x80060888"
    adapter.close()


def test_dynamics_patch_without_if_match_is_an_upsert(dynamics_sim: DynamicsSimulator) -> None:
    # Why the adapter sends If-Match: * - without it Dataverse creates the missing record.
    adapter = dynamics_adapter(dynamics_sim)
    missing = "00000000-0000-4000-8000-0000000000bb"
    adapter.http.patch(f"contacts({missing})", json={"emailaddress1": "new@example.dk"})
    assert dynamics_sim.contacts[missing]["emailaddress1"] == "new@example.dk"
    adapter.close()


def test_contract_default_says_not_supported(freshdesk: Adapter) -> None:
    class ReadOnly(type(freshdesk)):  # type: ignore[misc]
        update_contact = Adapter.update_contact

    adapter = ReadOnly.__new__(ReadOnly)
    with pytest.raises(AdapterError, match="not supported"):
        adapter.update_contact("1", {"email": NEW["email"]})
