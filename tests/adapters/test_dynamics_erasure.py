"""Dynamics erasure reaches every store: case, e-mails with their activity parties, notes
with attachments, the contact (cascade or Restrict), and the audit history."""

from __future__ import annotations

import json

import pytest

from adapters.dynamics import DynamicsAdapter
from plugin.vendors.errors import AdapterError, NotFound
from simulators.dynamics.sim_gdpr import RESTRICT
from simulators.dynamics.simulator import DynamicsSimulator
from tests.adapters.conftest import dynamics_adapter

EMAIL2 = "karen.privat@example.dk"
PHONE2 = "+45 55 66 77 88"
GOVID = "050482-1234"
STREET2 = "Sommerhusvej 3"
NOTE_FILE = "Q1BSIDA1MDQ4Mi0xMjM0"  # base64 of "CPR 050482-1234"


def _person(sim: DynamicsSimulator) -> tuple[str, str]:
    cid = sim.add_contact(
        "Karen",
        "Holm",
        "karen.holm@example.dk",
        "+45 31 41 59 26",
        emailaddress2=EMAIL2,
        telephone2=PHONE2,
        governmentid=GOVID,
        address2_line1=STREET2,
        birthdate="1982-04-05",
        gendercode=2,
    )
    case = sim.add_incident("Faktura", f"CPR {GOVID}", cid)
    sim.add_email(case, f"<p>Skriv til {EMAIL2}</p>")
    sim.add_note(case, f"Ringet på {PHONE2}", filename="id.pdf", documentbody=NOTE_FILE)
    sim.add_note(cid, f"Privat adresse {STREET2}")  # a note on the contact itself
    return cid, case


def _held(sim: DynamicsSimulator) -> str:
    return json.dumps(sim.snapshot(), ensure_ascii=False)


def test_delete_case_takes_activities_parties_and_audit(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    cid, case = _person(dynamics_sim)
    mails = {e for e, row in dynamics_sim.emails.items() if row["_regardingobjectid_value"] == case}
    parties = [p for p in dynamics_sim.activityparties.values() if p["_activityid_value"] in mails]
    assert any(p["addressused"] == "karen.holm@example.dk" for p in parties)
    dynamics.write_fields(case, {"description": "[masked]"})  # audited with the old value
    assert any(a["changedata"].get("description") == f"CPR {GOVID}" for a in dynamics_sim.audits)
    stores = dynamics.delete_ticket(case)
    assert {s["store"] for s in stores} == {"record", "activities", "audit"}
    assert all(s["state"] == "destroyed" for s in stores)
    assert case not in dynamics_sim.incidents
    assert not [p for p in dynamics_sim.activityparties.values() if p["_activityid_value"] in mails]
    assert not [a for a in dynamics_sim.audits if a["_objectid_value"] == case]
    held = _held(dynamics_sim)
    # The contact (still there: its own job) holds the id; the case's words are gone.
    assert f"CPR {GOVID}" not in held and NOTE_FILE not in held and "Ringet" not in held
    with pytest.raises(NotFound):
        dynamics.delete_ticket(case)


def test_contact_delete_under_restrict_deletes_the_cases_first(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    cid, case = _person(dynamics_sim)
    dynamics_sim.contact_case_delete = RESTRICT
    with pytest.raises(AdapterError) as refused:  # a plain DELETE is refused while cases exist
        dynamics.http.delete(f"contacts({cid})")
    assert refused.value.status == 400 and cid in dynamics_sim.contacts
    stores = dynamics.erase_contact(cid)
    assert {s["store"] for s in stores} == {"contact", "cases", "notes", "audit"}
    assert cid not in dynamics_sim.contacts and case not in dynamics_sim.incidents
    held = _held(dynamics_sim)
    for value in (EMAIL2, PHONE2, GOVID, STREET2, "karen.holm@example.dk"):
        assert value not in held


def test_contact_delete_cascades_to_cases_as_documented(
    dynamics_sim: DynamicsSimulator, dynamics: DynamicsAdapter
) -> None:
    cid, case = _person(dynamics_sim)
    dynamics.http.delete(f"contacts({cid})")  # incident_customer_contacts: Delete Cascade
    assert case not in dynamics_sim.incidents
    # ...but the audit history keeps what was deleted: the adapter's job, see above.
    assert GOVID in json.dumps(dynamics_sim.audits)


def test_anonymise_blanks_every_personal_column_the_metadata_lists(
    dynamics_sim: DynamicsSimulator,
) -> None:
    dynamics_sim.custom_contact_attributes.append(("new_loyaltynumber", "String"))
    cid, _ = _person(dynamics_sim)
    dynamics_sim.contacts[cid]["new_loyaltynumber"] = "LOY-998877"
    adapter = dynamics_adapter(dynamics_sim, erase_mode="anonymise")
    try:
        stores = adapter.erase_contact(cid)
    finally:
        adapter.close()
    contact = dynamics_sim.contacts[cid]
    for column in (
        "emailaddress1",
        "emailaddress2",
        "telephone2",
        "governmentid",
        "address2_line1",
        "birthdate",
        "gendercode",
        "new_loyaltynumber",
    ):
        assert contact[column] is None, column
    assert (contact["firstname"], contact["lastname"]) == ("Anonymised", "Contact")
    assert {s["store"] for s in stores} == {"record", "audit"}
    # The audit entry of the PATCH held every old value: it is gone too.
    assert not [a for a in dynamics_sim.audits if a["_objectid_value"] == cid]
    contact_part = json.dumps([contact, dynamics_sim.audits])
    for value in (EMAIL2, PHONE2, GOVID, STREET2, "LOY-998877"):
        assert value not in contact_part


def test_delete_record_change_history_rejects_a_malformed_target(
    dynamics: DynamicsAdapter,
) -> None:
    with pytest.raises(AdapterError) as bad:
        dynamics.http.post("DeleteRecordChangeHistory", json={"Target": {"incidentid": "x"}})
    assert bad.value.status == 400


def test_pacing_follows_the_documented_limit_not_the_debug_headers() -> None:
    from adapters.dynamics import config

    assert config.RATE_LIMIT.remaining is None  # x-ms-ratelimit-* are not relied on
    with DynamicsSimulator(rate_limit=8, rate_window=1.0) as sim:
        sim.seed_demo()
        adapter = dynamics_adapter(sim, rate_limit=8, rate_window=1.0)
        try:
            for _ in range(20):
                adapter.record_exists("contact", min(sim.contacts))
        finally:
            adapter.close()
        assert sim.rejected == 0


def test_a_retry_after_the_delete_still_clears_the_audit_history(
    dynamics: DynamicsAdapter, dynamics_sim: DynamicsSimulator
) -> None:
    _cid, case = _person(dynamics_sim)
    dynamics.http.delete(f"incidents({case})")  # a first try that stopped right here
    assert [a for a in dynamics_sim.audits if a["_objectid_value"] == case]
    with pytest.raises(NotFound) as gone:
        dynamics.delete_ticket(case)
    assert not [a for a in dynamics_sim.audits if a["_objectid_value"] == case]
    assert [s["store"] for s in gone.value.stores] == ["audit"]
