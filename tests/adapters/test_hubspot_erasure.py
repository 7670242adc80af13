"""HubSpot erasure reaches every store the API offers a way into: property history, files
attached to e-mails and notes (GDPR delete), archived activities, inbox threads, and the
contact; what cannot be purged is reported with the date HubSpot drops it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from adapters.hubspot import HubSpotAdapter
from plugin.vendors.errors import NotFound
from simulators.hubspot.simulator import HubSpotSimulator

CPR = "050482-1234"
IBAN = "DK5000400440116243"
EMAIL = "karen.holm@example.dk"


def _person(sim: HubSpotSimulator) -> tuple[str, str, str]:
    cid = sim.add_contact(email=EMAIL, firstname="Karen", lastname="Holm", phone="+4531415926")
    tid = sim.add_ticket("Faktura", f"Mit CPR er {CPR}", cid)
    payslip = sim.add_file("loenseddel.pdf", f"CPR {CPR}".encode())
    sim.add_email(
        tid,
        html=f"<p>Kontoen er {IBAN}</p>",
        hs_email_from_email=EMAIL,
        hs_attachment_ids=payslip,
    )
    sim.add_note(tid, f"Ringet op, CPR {CPR}")
    thread = sim.add_thread(cid, f"Hej, det er Karen, {IBAN}")
    return cid, tid, thread


def _held(sim: HubSpotSimulator) -> str:
    return json.dumps(sim.snapshot(), ensure_ascii=False)


def test_property_history_keeps_the_value_before_pseudonymisation(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    _cid, tid, _ = _person(hubspot_sim)
    hubspot.write_fields(tid, {"content": "Mit CPR er [CPR-1]"})
    answer = hubspot.http.get(
        f"crm/v3/objects/tickets/{tid}", params={"propertiesWithHistory": "content"}
    ).json()
    assert answer["properties"]["content"] == "Mit CPR er [CPR-1]"
    values = [v["value"] for v in answer["propertiesWithHistory"]["content"]]
    assert values == ["Mit CPR er [CPR-1]", f"Mit CPR er {CPR}"]  # newest first
    assert "history" not in answer  # the simulator's own bookkeeping is not shown


def test_delete_ticket_gdpr_deletes_files_and_archives_activities(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    _cid, tid, _ = _person(hubspot_sim)
    stores = {s["store"]: s for s in hubspot.delete_ticket(tid)}
    assert stores["attachments"]["reason"].startswith("1 ")
    assert hubspot_sim.files == {}
    assert hubspot_sim.count("DELETE", "/files/v3/files/{fileId}/gdpr-delete") == 1
    mine = [
        hubspot_sim.engagements[kind][rid]
        for kind in ("emails", "notes")
        for rid in hubspot_sim.activity_links[(tid, kind)]
    ]
    assert len(mine) == 2 and all(r["archived"] for r in mine)
    bin_ = stores["recycle_bin"]
    assert bin_["state"] == "remains" and "2 e-mails and notes" in bin_["reason"]
    # The recycling bin still holds the ticket, its history and the e-mail's from address...
    assert CPR in _held(hubspot_sim)
    # ...until HubSpot's own clean-up, the date the certificate names.
    later = datetime.fromisoformat(bin_["until"]).replace(tzinfo=UTC) + timedelta(days=1)
    hubspot_sim.purge_recycle_bin(later)
    held = _held(hubspot_sim)
    assert CPR not in held and "loenseddel" not in held
    with pytest.raises(NotFound):
        hubspot.delete_ticket(tid)


def test_erase_contact_archives_threads_and_gdpr_deletes(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    cid, _tid, thread = _person(hubspot_sim)
    hubspot.update_contact(cid, {"phone": "+4599999999"})  # history keeps the old number
    stores = {s["store"]: s for s in hubspot.erase_contact(EMAIL)}
    assert cid not in hubspot_sim.contacts
    assert "+4531415926" not in _held(hubspot_sim)  # the GDPR delete took the history too
    assert hubspot_sim.threads[thread]["archived"]
    left = stores["conversations"]
    assert left["state"] == "remains" and left["until"]
    hubspot_sim.purge_threads(datetime.now(UTC) + timedelta(days=31))
    assert IBAN not in json.dumps(hubspot_sim.threads)


def test_gdpr_delete_of_an_unknown_file_is_not_found(hubspot: HubSpotAdapter) -> None:
    with pytest.raises(NotFound):
        hubspot.http.delete("files/v3/files/999999/gdpr-delete")


def test_a_ticket_already_archived_is_gone_but_its_recycle_bin_copy_is_named(
    hubspot: HubSpotAdapter, hubspot_sim: HubSpotSimulator
) -> None:
    _cid, tid, _ = _person(hubspot_sim)
    hubspot.http.delete(f"crm/v3/objects/tickets/{tid}")  # an agent (or an earlier try)
    with pytest.raises(NotFound) as gone:
        hubspot.delete_ticket(tid)
    (copy,) = gone.value.stores
    assert (copy["store"], copy["state"]) == ("recycle_bin", "remains") and copy["until"]
    assert hubspot.find_copies("ticket", tid) == ["recycle_bin"]
    with pytest.raises(NotFound) as never:
        hubspot.delete_ticket("987654")
    assert never.value.stores == ()
