"""Draft, edit, sign off and revise DPIAs; a signed-off assessment is never changed.

Sign-off signs the whole assessment (scope, screening, risks, advice) with the controller's
signing key as a detached JWS, so the file the DPO hands the Datatilsynet can be checked
with ``datavagt verify`` and the public key alone.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app

from plugin import audit
from plugin.audit import actions
from plugin.auth.guard import Actor
from plugin.dpia import draft
from plugin.extensions import db
from plugin.models.dpia import Dpia

__all__ = ["Dpia", "DpiaError"]
from plugin.models.types import utcnow
from plugin.signing.jws import KeySource, sign_detached, verify_detached

TYP = "datavagt-dpia"
FILE_TYPE = "datavagt.dpia"
# Art. 35(11): review when the risk changes; yearly is the usual default.
REVIEW_AFTER = timedelta(days=365)
MEASURES = (
    "vault_encryption",
    "role_masking",
    "audit_trail",
    "reveal_alerts",
    "special_retention",
    "pseudonymisation",
    "retention_policies",
    "erasure_certificates",
    "portal",
    "request_deadlines",
    "transfer_basis",
    "processor_review",
)
RISK_KEYS = (
    "special_disclosure",
    "cpr_misuse",
    "staff_access",
    "excessive_retention",
    "rights_not_met",
    "third_country_access",
    "custom",
)


class DpiaError(Exception):
    """A change the workspace refuses; the message is safe to show."""

    def __init__(self, status: int, message: str, missing: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.missing = missing or []


def _audit(actor: Actor, operation: str, dpia: Dpia, **extra: Any) -> None:
    audit.record(
        actions.ADMIN_ACTION,
        actor=actor,
        details={"operation": operation, "dpia": dpia.id, **extra},
    )


def create(title: str, actor: Actor, revision_of: Dpia | None = None) -> Dpia:
    """A draft pre-filled from the live inventory (or carrying a revised one's work)."""
    facts = draft.scope()
    criteria = dict.fromkeys(draft.CRITERIA, False)
    risks = draft.suggested_risks(facts)
    necessity = dpo_advice = ""
    if revision_of is not None:
        criteria.update(revision_of.criteria)
        risks = [dict(r, residual=None) for r in revision_of.risks]  # assessed afresh
        necessity, dpo_advice = revision_of.necessity, revision_of.dpo_advice
    criteria.update(draft.derived_criteria(facts))
    dpia = Dpia(
        title=title,
        status="draft",
        revision_of=revision_of.id if revision_of else None,
        scope=facts,
        criteria=criteria,
        risks=risks,
        necessity=necessity,
        dpo_advice=dpo_advice,
        created_by=actor.id,
    )
    db.session.add(dpia)
    db.session.flush()
    _audit(actor, "dpia_drafted", dpia, revision_of=dpia.revision_of)
    return dpia


def get(dpia_id: str) -> Dpia:
    """One assessment or DpiaError 404."""
    dpia = db.session.get(Dpia, dpia_id[:36])
    if dpia is None:
        raise DpiaError(404, "No such impact assessment")
    return dpia


def list_all() -> list[Dpia]:
    """Every assessment, newest first."""
    return list(db.session.scalars(sa.select(Dpia).order_by(Dpia.created_at.desc(), Dpia.id)))


def update(dpia: Dpia, changes: dict[str, Any], actor: Actor) -> Dpia:
    """Amend a draft (title, screening answers, risks, necessity, advice, review date)."""
    if dpia.status != "draft":
        raise DpiaError(409, "This assessment is signed off; start a revision to change it")
    if "criteria" in changes:
        dpia.criteria = {**dpia.criteria, **changes["criteria"]}
    if "risks" in changes:
        for risk in changes["risks"]:
            if risk["key"] == "custom" and not risk.get("description"):
                raise DpiaError(422, "A risk of your own needs a description")
        dpia.risks = [dict(r) for r in changes["risks"]]
    for field in ("title", "necessity", "dpo_advice", "review_on"):
        if field in changes:
            setattr(dpia, field, changes[field])
    dpia.updated_at = utcnow()
    db.session.flush()
    _audit(actor, "dpia_changed", dpia, fields=sorted(changes))
    return dpia


def missing(dpia: Dpia) -> list[str]:
    """What sign-off still needs, as codes the console and CLI translate."""
    out = []
    if not dpia.risks:
        out.append("need_risk")
    if any(r.get("residual") not in draft.LEVELS for r in dpia.risks):
        out.append("need_residual")
    if not dpia.necessity.strip():
        out.append("need_necessity")
    if not dpia.dpo_advice.strip():
        out.append("need_advice")
    return out


def sign_off(dpia: Dpia, actor: Actor) -> Dpia:
    """Sign the assessment as it stands; afterwards it can only be revised."""
    if dpia.status != "draft":
        raise DpiaError(409, "This assessment is already signed off")
    gaps = missing(dpia)
    if gaps:
        raise DpiaError(409, "The assessment is not ready for sign-off", gaps)
    now = utcnow()
    dpia.status = "signed_off"
    dpia.signed_off_by = actor.id
    dpia.signed_off_at = now
    if dpia.review_on is None:
        dpia.review_on = (now + REVIEW_AFTER).date()
    keyring = current_app.extensions["datavagt.keyring"]
    dpia.signature = sign_detached(keyring, document(dpia), TYP)
    db.session.flush()
    _audit(actor, "dpia_signed_off", dpia)
    return dpia


def revise(dpia: Dpia, actor: Actor) -> Dpia:
    """A new draft from a signed-off assessment, with today's inventory."""
    if dpia.status != "signed_off":
        raise DpiaError(409, "Only a signed-off assessment is revised; edit the draft instead")
    return create(dpia.title, actor, revision_of=dpia)


def required(dpia: Dpia) -> bool:
    """WP248: two or more criteria met makes a DPIA likely required."""
    return sum(1 for code in draft.CRITERIA if dpia.criteria.get(code)) >= 2


def as_dict(dpia: Dpia, today: date | None = None) -> dict[str, Any]:
    """The JSON form, with what follows from it (levels, Art. 36, review due)."""
    today = today or utcnow().date()
    risks = [{**r, "level": draft.level(r["likelihood"], r["severity"])} for r in dpia.risks]
    return {
        "id": dpia.id,
        "title": dpia.title,
        "status": dpia.status,
        "revision_of": dpia.revision_of,
        "scope": dpia.scope,
        "criteria": {code: bool(dpia.criteria.get(code)) for code in draft.CRITERIA},
        "derived_criteria": list(draft.DERIVED),
        "required": required(dpia),
        "risks": risks,
        "prior_consultation": any(r.get("residual") == "high" for r in dpia.risks),
        "necessity": dpia.necessity,
        "dpo_advice": dpia.dpo_advice,
        "review_on": dpia.review_on.isoformat() if dpia.review_on else None,
        "review_due": bool(dpia.review_on and dpia.review_on <= today),
        "missing": missing(dpia) if dpia.status == "draft" else [],
        "signed_off_by": dpia.signed_off_by,
        "signed_off_at": dpia.signed_off_at.isoformat() if dpia.signed_off_at else None,
        "created_by": dpia.created_by,
        "created_at": dpia.created_at.isoformat() if dpia.created_at else None,
    }


def document(dpia: Dpia) -> dict[str, Any]:
    """What the signature covers: the assessment without its changing review flags."""
    body = as_dict(dpia)
    for volatile in ("review_due", "missing"):
        body.pop(volatile)
    controller = current_app.extensions["datavagt.manifest"].data["controller"]
    return {"controller": controller["name"], **body}


def export(dpia: Dpia) -> dict[str, Any]:
    """The signed file: ``datavagt verify`` accepts it."""
    if dpia.status != "signed_off" or not dpia.signature:
        raise DpiaError(409, "Only a signed-off assessment can be exported as a signed file")
    return {"type": FILE_TYPE, "dpia": document(dpia), "jws": dpia.signature}


def verify_file(document_file: dict[str, Any], keys: KeySource) -> str:
    """``datavagt verify`` for an exported DPIA."""
    body = verify_detached(
        keys, document_file.get("dpia"), document_file.get("jws"), TYP, "impact assessment"
    )
    return (
        f"impact assessment OK: {body['title']!r}, signed off by {body['signed_off_by']} "
        f"on {body['signed_off_at']}"
    )
