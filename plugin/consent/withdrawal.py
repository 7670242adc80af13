"""Withdrawal does what the consent wording promised (per text version), with a receipt text.

Each published wording says what withdrawing it does (``ConsentText.on_withdrawal``):

* ``stop``: processing for the purpose stops; what is held is deleted by the purpose's
  retention rule (``from: consent_withdrawn`` counts from the withdrawal).
* ``erase``: the data collected under the consent goes now. For an explicit (Art. 9)
  consent that is the special-category data in the person's cases of the purpose: the
  sealed originals and findings in Datavagt are destroyed at once, and a case whose vendor
  copy still holds a value in clear is anonymised at the vendor through the erasure queue.
  For an ordinary consent the cases of the purpose are deleted through the erasure queue.

Either way a case under legal hold, under an Art. 18 restriction or kept under Art. 17(3)
(the purpose's erasure exemption) is not touched; the outcome names it with the reason and
the date retention deletes it. ``receipt_text`` says in Danish or English what was done.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin.erasure.scope import exemption, ticket_until
from plugin.erasure.texts import ground_text
from plugin.extensions import db
from plugin.models import Consent, DataSubject, Finding, Ticket, VaultItem
from plugin.retention import outbox
from plugin.subjects.groups import group_ids, root_id
from plugin.subjects.restrictions import restricted_pairs

ERASURE = "erasure"


def _job(consent: Consent, kind: str, ticket: Ticket) -> dict[str, Any]:
    return {
        "dedupe_key": f"{ERASURE}:consent:{consent.id}:{kind}:{ticket.id}"[:255],
        "kind": kind,
        "vendor": ticket.vendor,
        "target": ticket.external_id,
        "subject_id": ticket.subject_id,
        "ticket_id": ticket.id,
        "reason": ERASURE,
        "params": {"consent_id": consent.id},
    }


def _why_kept(ticket: Ticket, held: bool, restricted: set[tuple[str, str | None]]) -> str | None:
    if held or ticket.legal_hold:
        return "legal_hold"
    if (ticket.subject_id, None) in restricted or (ticket.subject_id, ticket.purpose) in restricted:
        return "restriction"
    return None


def carry_out(consent: Consent) -> dict[str, Any]:
    """Do what the wording promised; returns the outcome stored on the consent (no values).

    Runs in the withdrawing transaction (no commit); queued vendor jobs run afterwards.
    """
    promise = consent.text.on_withdrawal or "stop"
    outcome: dict[str, Any] = {
        "promised": promise,
        "explicit": bool(consent.explicit),
        "values_erased": 0,
        "cases": 0,
        "vendor_jobs": 0,
        "kept": [],
    }
    if promise != "erase":
        return outcome
    ids = group_ids(root_id(consent.subject_id))
    held = bool(
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(DataSubject)
            .where(DataSubject.id.in_(ids), DataSubject.legal_hold.is_(True))
        )
    )
    restricted = restricted_pairs("restriction")
    exempt = exemption(consent.purpose)
    tickets = list(
        db.session.scalars(
            sa.select(Ticket)
            .where(
                Ticket.subject_id.in_(ids),
                Ticket.purpose == consent.purpose,
                Ticket.deleted_at.is_(None),
            )
            .order_by(Ticket.id)
        )
    )
    jobs: list[dict[str, Any]] = []
    for ticket in tickets:
        reason = _why_kept(ticket, held, restricted)
        if reason is None and exempt is not None:
            reason = exempt["ground"]
        if reason is not None:
            until = ticket_until(ticket)
            outcome["kept"].append(
                {
                    "ticket_ref": f"{ticket.vendor}:{ticket.external_id}",
                    "reference": f"DV-{ticket.id}",  # what the person was told at intake
                    "reason": reason,
                    "until": until.date().isoformat() if until else None,
                }
            )
            continue
        if not consent.explicit:
            jobs.append(_job(consent, "delete_ticket", ticket))
            outcome["cases"] += 1
            continue
        special = list(
            db.session.scalars(
                sa.select(Finding).where(
                    Finding.ticket_id == ticket.id,
                    Finding.subject_id.in_(ids),
                    Finding.category == "special",
                )
            )
        )
        if not special:
            continue
        outcome["cases"] += 1
        outcome["values_erased"] += len(special)
        if any(not f.written_back for f in special):
            # The vendor's copy still holds a value in clear: anonymise the case there.
            jobs.append(_job(consent, "anonymise_ticket", ticket))
        items = [f.vault_item_id for f in special if f.vault_item_id]
        db.session.execute(sa.delete(Finding).where(Finding.id.in_([f.id for f in special])))
        if items:
            db.session.execute(sa.delete(VaultItem).where(VaultItem.id.in_(items)))
    outcome["vendor_jobs"] = outbox.enqueue(jobs) if jobs else 0
    return outcome


def after_commit(outcome: dict[str, Any] | None) -> None:
    """Once committed: clear destroyed values out of the database files, start the jobs."""
    if not outcome or outcome.get("promised") != "erase":
        return
    from plugin.database import purge_residue
    from plugin.erasure.service import kick

    if outcome.get("values_erased"):
        purge_residue()
    if outcome.get("vendor_jobs"):
        kick(current_app._get_current_object())  # type: ignore[attr-defined]


TEXTS: dict[str, dict[str, str]] = {
    "da": {
        "withdrawn": "Du trak dit samtykke til «{purpose}» tilbage den {date}.",
        "stopped": "Vi behandler ikke længere dine oplysninger til dette formål.",
        "retention_from_withdrawal": "Det, vi har gemt til formålet, {action} senest den {date}.",
        "retention_later": "Det, vi har gemt til formålet, slettes efter vores faste "
        "opbevaringsregler for sagerne.",
        "erased_special": "Som samtykketeksten lovede, har vi slettet de følsomme oplysninger "
        "(fx helbredsoplysninger), du gav os under samtykket: {values} oplysning(er) i "
        "{cases} sag(er).",
        "erased_cases": "Som samtykketeksten lovede, sletter vi de {cases} sag(er), vi havde "
        "til formålet.",
        "nothing_to_erase": "Som samtykketeksten lovede, har vi kigget efter oplysninger "
        "givet under samtykket; vi havde ingen tilbage at slette.",
        "vendor_jobs": "Kopien i vores kundeservicesystem bliver renset nu ({jobs} sag(er)).",
        "kept": "Sagen {ref} er ikke slettet endnu: {why}. Den slettes {until}.",
        "until_date": "senest den {date}",
        "until_unknown": "når opbevaringsperioden udløber",
        "legal_hold": "den er omfattet af et krav om bevaring (fx en verserende retssag)",
        "restriction": "du har bedt os begrænse behandlingen i stedet for at slette",
        "delete": "slettes",
        "anonymise": "anonymiseres",
    },
    "en": {
        "withdrawn": "You withdrew your consent to “{purpose}” on {date}.",
        "stopped": "We no longer process your data for this purpose.",
        "retention_from_withdrawal": "What we hold for the purpose is {action} by {date}.",
        "retention_later": "What we hold for the purpose is deleted under our fixed retention "
        "rules for the cases.",
        "erased_special": "As the consent wording promised, we have deleted the sensitive data "
        "(such as health data) you gave us under the consent: {values} item(s) in {cases} "
        "case(s).",
        "erased_cases": "As the consent wording promised, we are deleting the {cases} case(s) "
        "we held for the purpose.",
        "nothing_to_erase": "As the consent wording promised, we looked for data given under "
        "the consent; we held none to delete.",
        "vendor_jobs": "The copy in our customer-service system is being cleared now "
        "({jobs} case(s)).",
        "kept": "The case {ref} is not deleted yet: {why}. It is deleted {until}.",
        "until_date": "by {date}",
        "until_unknown": "when its retention period ends",
        "legal_hold": "it is under a duty to preserve it (such as a pending court case)",
        "restriction": "you asked us to restrict processing instead of deleting",
        "delete": "deleted",
        "anonymise": "anonymised",
    },
}


def _purpose_name(purpose: str, lang: str) -> str:
    manifest = current_app.extensions["datavagt.manifest"]
    names = manifest.data.get("ropa", {}).get("names", {}).get(lang, {})
    spec = manifest.purposes.get(purpose, {})
    return str(names.get(purpose) or spec.get("name") or purpose)


def _day(moment: datetime) -> str:
    return moment.date().isoformat()


def _retention_line(consent: Consent, words: dict[str, str]) -> str:
    spec = current_app.extensions["datavagt.manifest"].purposes.get(consent.purpose, {})
    rule = spec.get("retention") or {}
    if rule.get("start") == "consent_withdrawn" and consent.withdrawn_at is not None:
        action = words["anonymise"] if "anonymise" in rule.get("action", "") else words["delete"]
        due = consent.withdrawn_at + timedelta(days=int(rule.get("days", 0)))
        return words["retention_from_withdrawal"].format(action=action, date=_day(due))
    return words["retention_later"]


def receipt_text(consent: Consent, lang: str) -> str | None:
    """What the withdrawal did, in plain Danish or English (None while not withdrawn)."""
    if consent.withdrawn_at is None:
        return None
    words = TEXTS.get(lang, TEXTS["en"])
    outcome = consent.withdrawal_effect or {"promised": "stop"}
    lines = [
        words["withdrawn"].format(
            purpose=_purpose_name(consent.purpose, lang), date=_day(consent.withdrawn_at)
        ),
        words["stopped"],
    ]
    if outcome.get("promised") == "erase":
        if not outcome.get("cases"):
            lines.append(words["nothing_to_erase"])
        elif outcome.get("explicit"):
            lines.append(
                words["erased_special"].format(
                    values=outcome.get("values_erased", 0), cases=outcome["cases"]
                )
            )
        else:
            lines.append(words["erased_cases"].format(cases=outcome["cases"]))
        if outcome.get("vendor_jobs"):
            lines.append(words["vendor_jobs"].format(jobs=outcome["vendor_jobs"]))
        for kept in outcome.get("kept", []):
            reason = kept["reason"]
            why = words[reason] if reason in words else ground_text(reason, lang)
            until = (
                words["until_date"].format(date=kept["until"])
                if kept.get("until")
                else words["until_unknown"]
            )
            lines.append(words["kept"].format(ref=kept["reference"], why=why, until=until))
    else:
        lines.append(_retention_line(consent, words))
    return " ".join(lines)
