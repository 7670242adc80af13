"""Withdrawal carries out what the consent wording promised, per text version (issue 19).

The explicit (Art. 9) support consent says "the information is then removed from the case":
withdrawing it must destroy the health data collected under it (not the rest of the case,
not a case under legal hold or kept under Art. 17(3)), and the person gets a receipt in
Danish and English saying what was done. A wording that promises nothing more than "you can
withdraw" only stops processing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.auth.guard import Actor
from plugin.consent import service
from plugin.consent.receipt import verify_receipt
from plugin.consent.seed import seed_now
from plugin.consent.texts import current_text
from plugin.extensions import db
from plugin.models import DataSubject, Finding, OutboxJob, Ticket, VaultItem
from plugin.models.types import utcnow
from plugin.vault import get_vault

AGENT = Actor(id="agent-7", role="agent")
PERSON = Actor(id="subject", role=None, source="portal")
CODES = ("legal_hold", "legal_claims", "freshdesk:", "_", "special", "erase", "restriction")


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """An app whose erasure jobs are only queued (no vendor is called in these tests)."""
    built = make_app(erasure_dispatch="off")
    with built.app_context():
        seed_now(built)
        yield built


def _person() -> str:
    subject = DataSubject()
    db.session.add(subject)
    db.session.flush()
    return subject.id


def _case(
    subject_id: str,
    purpose: str,
    values: dict[str, str],
    *,
    held: bool = False,
    written_back: bool = True,
) -> Ticket:
    """A closed case with sealed findings: kind -> value (health is special, cpr identity)."""
    ticket = Ticket(
        vendor="freshdesk",
        external_id=str(db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) + 100),
        subject_id=subject_id,
        purpose=purpose,
        status="closed",
        closed_at=utcnow() - timedelta(days=2),
        legal_hold=held,
        legal_hold_reason="retssag" if held else None,
    )
    db.session.add(ticket)
    db.session.flush()
    for kind, value in values.items():
        item = get_vault().encrypt(
            subject_id, value, field="description", kind=kind, ticket_id=ticket.id
        )
        db.session.add(
            Finding(
                ticket_id=ticket.id,
                subject_id=subject_id,
                field="description",
                type=kind,
                category="special" if kind == "health" else "identity",
                start=0,
                end=len(value),
                score=1.0,
                detector=kind,
                vault_item_id=item.id,
                masked=f"[{kind}]",
                written_back=written_back,
            )
        )
    db.session.flush()
    return ticket


def _kinds(ticket: Ticket) -> list[str]:
    return sorted(db.session.scalars(sa.select(Finding.type).where(Finding.ticket_id == ticket.id)))


def _give(subject_id: str, purpose: str, lang: str = "da", explicit: bool = False) -> str:
    text = current_text(purpose, lang)
    return service.give(
        subject_id, purpose, text.id, channel="form", explicit=explicit, actor=AGENT
    ).id


def test_withdrawing_the_explicit_health_consent_erases_the_health_data_it_covered(
    app: Flask,
) -> None:
    subject_id = _person()
    first = _case(subject_id, "support", {"health": "diabetes", "cpr": "010190-1234"})
    second = _case(subject_id, "support", {"health": "insulin"})
    held = _case(subject_id, "support", {"health": "astma"}, held=True)
    complaint = _case(subject_id, "complaint", {"health": "migræne"})
    consent_id = _give(subject_id, "support", explicit=True)
    db.session.commit()
    assert current_text("support", "da").on_withdrawal == "erase"

    client = app.test_client()
    from tests.retention.test_api import headers

    answer = client.post(
        f"/api/consents/{consent_id}/withdraw", json={"channel": "email"}, headers=headers(app)
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    db.session.expire_all()
    # The health data went from both open-to-erase cases; the CPR number stays (it was not
    # collected under the consent); the case under legal hold and the complaint are untouched.
    assert _kinds(first) == ["cpr"] and _kinds(second) == []
    assert _kinds(held) == ["health"] and _kinds(complaint) == ["health"]
    values = {get_vault().decrypt(v) for v in db.session.scalars(sa.select(VaultItem))}
    assert values == {"010190-1234", "astma", "migræne"}
    # Tokens were written back, so the vendor holds no clear value: nothing to queue.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxJob)) == 0

    effect = body["withdrawal_effect"]
    assert effect["promised"] == "erase" and effect["values_erased"] == 2
    assert effect["cases"] == 2 and effect["vendor_jobs"] == 0
    assert [(k["reference"], k["reason"]) for k in effect["kept"]] == [
        (f"DV-{held.id}", "legal_hold")
    ]
    da, en = body["withdrawal_receipt_text"]["da"], body["withdrawal_receipt_text"]["en"]
    assert "slettet de følsomme oplysninger" in da and "2 oplysning(er) i 2 sag(er)" in da
    assert f"Sagen DV-{held.id} er ikke slettet endnu" in da and "bevaring" in da
    assert "«Kundeservice»" in da
    assert "deleted the sensitive data" in en and "2 item(s) in 2 case(s)" in en
    assert f"The case DV-{held.id} is not deleted yet" in en
    for text in (da, en):
        for code in CODES:
            assert code not in text, (code, text)
    assert "support" not in da.lower()
    # The signed withdrawal receipt says what was done, as counts and references.
    consent = db.session.get(service.Consent, consent_id)
    signed = verify_receipt(app.extensions["datavagt.keyring"], consent.withdrawal_receipt)
    assert signed["consentText"]["onWithdrawal"] == "erase"
    assert signed["withdrawalEffect"]["valuesErased"] == 2
    assert signed["withdrawalEffect"]["kept"][0]["reference"] == f"DV-{held.id}"


def test_a_clear_value_left_at_the_vendor_is_anonymised_through_the_erasure_queue(
    app: Flask,
) -> None:
    subject_id = _person()
    unwritten = _case(subject_id, "support", {"health": "diabetes"}, written_back=False)
    consent_id = _give(subject_id, "support", "en", explicit=True)
    db.session.commit()
    consent = service.withdraw(consent_id, channel="portal", actor=PERSON)
    [job] = db.session.scalars(sa.select(OutboxJob)).all()
    assert (job.kind, job.reason, job.ticket_id) == ("anonymise_ticket", "erasure", unwritten.id)
    assert consent.withdrawal_effect["vendor_jobs"] == 1
    assert (
        "being cleared now (1 case(s))" in service.to_dict(consent)["withdrawal_receipt_text"]["en"]
    )


def test_a_wording_that_promises_only_stop_stops_and_says_when_data_goes(app: Flask) -> None:
    subject_id = _person()
    case = _case(subject_id, "marketing", {"person_name": "Mette"})
    consent_id = _give(subject_id, "marketing")
    db.session.commit()
    consent = service.withdraw(consent_id, channel="portal", actor=PERSON)
    assert consent.withdrawal_effect["promised"] == "stop"
    assert _kinds(case) == ["person_name"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxJob)) == 0
    texts = service.to_dict(consent)["withdrawal_receipt_text"]
    due = (consent.withdrawn_at + timedelta(days=30)).date().isoformat()
    assert "Vi behandler ikke længere" in texts["da"]
    assert f"anonymiseres senest den {due}" in texts["da"]
    assert f"is anonymised by {due}" in texts["en"]


def test_the_promise_belongs_to_the_text_version_the_person_accepted(app: Flask) -> None:
    subject_id = _person()
    old_case = _case(subject_id, "marketing", {"person_name": "Mette"})
    old = _give(subject_id, "marketing")
    db.session.commit()
    stricter = service.publish_text(
        "marketing",
        "da",
        "Ja tak til nyhedsbreve. Trækker jeg samtykket tilbage, sletter I mine oplysninger.",
        AGENT,
        on_withdrawal="erase",
    )
    assert stricter.version == 2
    other = _person()
    new_case = _case(other, "marketing", {"person_name": "Bo"})
    new = _give(other, "marketing")
    db.session.commit()
    service.withdraw(old, channel="portal", actor=PERSON)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxJob)) == 0
    withdrawn = service.withdraw(new, channel="portal", actor=PERSON)
    [job] = db.session.scalars(sa.select(OutboxJob)).all()
    assert (job.kind, job.ticket_id) == ("delete_ticket", new_case.id)
    assert old_case.id != new_case.id
    assert "sletter vi de 1 sag(er)" in service.to_dict(withdrawn)["withdrawal_receipt_text"]["da"]


def test_cases_kept_under_article_17_3_are_named_with_their_ground(app: Flask) -> None:
    subject_id = _person()
    kept = _case(subject_id, "complaint", {"health": "migræne"})
    text = service.publish_text(
        "complaint", "da", "Jeg giver udtrykkeligt samtykke ... slettes.", AGENT, "erase"
    )
    consent = service.give(
        subject_id, "complaint", text.id, channel="form", explicit=True, actor=AGENT
    )
    withdrawn = service.withdraw(consent.id, channel="portal", actor=PERSON)
    assert _kinds(kept) == ["health"]
    [entry] = withdrawn.withdrawal_effect["kept"]
    assert entry["reason"] == "legal_claims" and entry["until"]
    da = service.to_dict(withdrawn)["withdrawal_receipt_text"]["da"]
    assert "retskrav" in da and f"senest den {entry['until']}" in da


def test_publishing_a_text_with_an_unknown_promise_is_refused(
    app: Flask,
) -> None:
    from tests.retention.test_api import headers

    answer = app.test_client().post(
        "/api/consents/texts",
        headers=headers(app),
        json={"purpose": "marketing", "language": "da", "text": "x", "on_withdrawal": "maybe"},
    )
    assert answer.status_code == 422
    assert "on_withdrawal" in answer.get_data(as_text=True)
