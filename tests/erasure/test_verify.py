"""`datavagt erasure verify`: after an erasure, each vendor is asked again; copies the
certificate names (before their date) are expected, anything else fails the check."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from plugin.cli.main import cli
from plugin.erasure.errors import ErasureError
from plugin.erasure.verify import verify_erasure
from plugin.extensions import db
from plugin.models import OutboxJob
from plugin.retention.dispatcher import Dispatcher
from tests.retention.test_api import headers
from tests.rights.conftest import person, sims, vendor_app
from tests.rights.seeding import CPR, EMAIL, Person, Sims, vendor_settings

__all__ = ["person", "sims", "vendor_app"]


@pytest.fixture
def env(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path, sims: Sims
) -> CliRunner:
    """The CLI pointed at the test database, key file and simulators."""
    monkeypatch.setenv("DATAVAGT_DATABASE_URL", database_url)
    monkeypatch.setenv("DATAVAGT_KEY_FILE", str(tmp_path / "datavagt.keys"))
    monkeypatch.setenv("DATAVAGT_SCHEDULER", "off")
    for vendor, values in vendor_settings(sims).items():
        for key, value in values.items():
            monkeypatch.setenv(f"DATAVAGT_{vendor.upper()}_{key.upper()}", value)
    return CliRunner()


def _erase(app: Flask, person: Person) -> None:
    answer = app.test_client().post(
        f"/api/subjects/{person.subject_id}/erase", headers=headers(app), json={}
    )
    assert answer.status_code == 202
    Dispatcher(app, threads=3).run_until_idle(timeout=60)


def _by_ref(report: dict, ref: str) -> dict:
    return next(i for i in report["items"] if i["object_ref"] == ref)


def test_after_erasure_only_named_copies_remain_and_the_cli_says_so(
    env: CliRunner, vendor_app: Flask, sims: Sims, person: Person
) -> None:
    _erase(vendor_app, person)
    report = verify_erasure(person.subject_id)
    assert report["ok"], report
    hubspot_ticket = _by_ref(report, person.tickets["hubspot"])
    assert hubspot_ticket["status"] == "expected"
    assert [f["store"] for f in hubspot_ticket["found"]] == ["recycle_bin"]
    assert _by_ref(report, person.tickets["dynamics"])["status"] == "clean"  # audit gone too
    assert _by_ref(report, person.tickets["freshdesk"])["status"] == "clean"

    readable = env.invoke(cli, ["erasure", "verify", person.subject_id])
    assert readable.exit_code == 0, readable.output
    assert "recycle_bin (until / indtil" in readable.output
    as_json = env.invoke(cli, ["erasure", "verify", person.subject_id, "--json"])
    assert as_json.exit_code == 0 and json.loads(as_json.output)["ok"] is True
    for value in (EMAIL, CPR, "Holm"):
        assert value not in readable.output + as_json.output


def test_a_restored_record_or_a_leftover_audit_entry_fails_the_check(
    env: CliRunner, vendor_app: Flask, sims: Sims, person: Person
) -> None:
    _erase(vendor_app, person)
    # An agent restores the HubSpot ticket from the recycling bin; Dynamics still has an
    # audit entry for the deleted case (e.g. written after our DeleteRecordChangeHistory).
    sims.hubspot.tickets[person.tickets["hubspot"]]["archived"] = False
    sims.dynamics.audit("incident", person.tickets["dynamics"], "Update", {"title": "x"})
    report = verify_erasure(person.subject_id)
    assert not report["ok"] and report["unexpected"] == 2
    assert _by_ref(report, person.tickets["hubspot"])["found"][0]["store"] == "record"
    assert _by_ref(report, person.tickets["dynamics"])["status"] == "unexpected"
    failed = env.invoke(cli, ["erasure", "verify", person.subject_id])
    assert failed.exit_code == 2
    assert "STILL HELD" in failed.output


def test_a_copy_kept_past_its_date_or_with_forged_evidence_is_unexpected(
    vendor_app: Flask, sims: Sims, person: Person
) -> None:
    _erase(vendor_app, person)
    item = _by_ref(verify_erasure(person.subject_id), person.tickets["hubspot"])
    until = date.fromisoformat(item["found"][0]["until"])
    late = verify_erasure(person.subject_id, today=until + timedelta(days=1))
    assert _by_ref(late, person.tickets["hubspot"])["status"] == "unexpected"
    # Evidence whose signature fails promises nothing: the recycle-bin copy is unexpected.
    job = db.session.query(OutboxJob).filter_by(target=person.tickets["hubspot"]).one()
    head, body, sig = (job.evidence or "").split(".")
    job.evidence = f"{head}.{body}.{sig[::-1]}"
    db.session.commit()
    forged = verify_erasure(person.subject_id)
    assert _by_ref(forged, person.tickets["hubspot"])["status"] == "unexpected"


def test_unreachable_vendor_fails_and_bad_subjects_are_one_line_errors(
    env: CliRunner, vendor_app: Flask, sims: Sims, person: Person
) -> None:
    with pytest.raises(ErasureError) as not_erased:
        verify_erasure(person.subject_id)
    assert not_erased.value.status == 409
    refused = env.invoke(cli, ["erasure", "verify", person.subject_id])
    assert refused.exit_code == 1 and "has not been erased" in refused.output
    unknown = env.invoke(cli, ["erasure", "verify", "no-such-subject"])
    assert unknown.exit_code == 1 and "Traceback" not in unknown.output
    _erase(vendor_app, person)
    sims.freshdesk.configure(fail_next=10, fail_status=403)
    report = verify_erasure(person.subject_id)
    statuses = {i["status"] for i in report["items"] if i["vendor"] == "freshdesk"}
    assert statuses == {"unreachable"} and not report["ok"]


def test_a_contact_left_soft_deleted_is_found(
    vendor_app: Flask, sims: Sims, person: Person
) -> None:
    _erase(vendor_app, person)
    # As if the hard delete had never run: the contact sits among "deleted contacts".
    cid = sims.freshdesk.add_contact("Karen Holm", EMAIL)
    sims.freshdesk.contacts[cid]["deleted"] = True
    job = db.session.query(OutboxJob).filter_by(vendor="freshdesk", kind="erase_contact").one()
    job.target = str(cid)
    db.session.commit()
    item = _by_ref(verify_erasure(person.subject_id), str(cid))
    assert item["status"] == "unexpected"
    assert [f["store"] for f in item["found"]] == ["soft_deleted"]
