"""The consent service: publishing, giving, withdrawing, re-giving, audit, immutability."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa
from flask import Flask

from plugin.auth import Actor
from plugin.consent import service
from plugin.consent.texts import current_text
from plugin.extensions import db
from plugin.models import AuditEvent, ConsentText

DPO = Actor(id="dpo-1", role="dpo")
AGENT = Actor(id="agent-7", role="agent")


def _actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_publish_versions_and_never_changes_old(app: Flask) -> None:
    first = service.publish_text("marketing", "da", "Ja tak til nyhedsbrev.\r\n", DPO)
    second = service.publish_text("marketing", "da", "Ja tak til nyhedsbrev og tilbud.", DPO)
    assert (first.version, second.version) == (1, 2)
    assert first.text == "Ja tak til nyhedsbrev."
    assert first.sha256 == hashlib.sha256(b"Ja tak til nyhedsbrev.").hexdigest()
    db.session.expire_all()
    again = db.session.get(ConsentText, first.id)
    assert again.text == "Ja tak til nyhedsbrev." and again.version == 1
    assert current_text("marketing", "da").id == second.id
    assert _actions() == ["admin_action", "admin_action"]


def test_unknown_purpose_and_empty_text_refused(app: Flask) -> None:
    with pytest.raises(service.ConsentTextError, match="unknown purpose"):
        service.publish_text("nope", "da", "x", DPO)
    with pytest.raises(service.ConsentTextError, match="empty"):
        service.publish_text("marketing", "da", "  \n ", DPO)


@pytest.mark.parametrize("statement", ["UPDATE", "DELETE"])
def test_database_refuses_changing_a_published_text(app: Flask, statement: str) -> None:
    row = service.publish_text("marketing", "en", "Yes please.", DPO)
    sql = (
        "UPDATE consent_texts SET text = 'changed' WHERE id = :id"
        if statement == "UPDATE"
        else "DELETE FROM consent_texts WHERE id = :id"
    )
    with pytest.raises(sa.exc.DatabaseError, match="immutable"):
        db.session.execute(sa.text(sql), {"id": row.id})
        db.session.commit()
    db.session.rollback()
    assert db.session.get(ConsentText, row.id).text == "Yes please."


def test_give_withdraw_regive_keeps_history(seeded: Flask, subject_id: str) -> None:
    text = current_text("marketing", "da")
    given = service.give(
        subject_id,
        "marketing",
        text.id,
        channel="phone",
        evidence={"agent_id": "agent-7"},
        actor=AGENT,
    )
    assert service.active(subject_id, "marketing").id == given.id
    assert given.receipt and given.withdrawal_receipt is None
    withdrawn = service.withdraw(given.id, channel="portal", actor=Actor(id="s", role=None))
    assert withdrawn.withdrawn_at is not None and withdrawn.given_at == given.given_at
    assert withdrawn.withdrawal_receipt and withdrawn.receipt == given.receipt
    assert service.active(subject_id, "marketing") is None
    with pytest.raises(service.ConsentError) as info:
        service.withdraw(given.id, channel="portal", actor=AGENT)
    assert info.value.code == "already_withdrawn"
    again = service.give(subject_id, "marketing", text.id, channel="form", actor=AGENT)
    assert again.id != given.id
    rows = service.history(subject_id)
    assert [r["active"] for r in rows] == [False, True]
    assert rows[0]["text"]["text"] == text.text and rows[0]["text"]["sha256"] == text.sha256
    assert rows[0]["evidence"] == {"agent_id": "agent-7"}
    assert [a for a in _actions() if a.startswith("consent")] == [
        "consent_given",
        "consent_withdrawn",
        "consent_given",
    ]


def test_explicit_consent_flag(seeded: Flask, subject_id: str) -> None:
    text = current_text("support", "en")
    assert not service.has_explicit(subject_id, "support")
    service.give(subject_id, "support", text.id, channel="form", explicit=False, actor=AGENT)
    assert not service.has_explicit(subject_id, "support")
    consent = service.give(
        subject_id, "support", text.id, channel="form", explicit=True, actor=AGENT
    )
    assert service.has_explicit(subject_id, "support")
    service.withdraw(consent.id, channel="email", actor=AGENT)
    assert not service.has_explicit(subject_id, "support")


@pytest.mark.parametrize(
    ("purpose", "channel", "evidence", "code"),
    [
        ("support", "phone", None, "text_purpose_mismatch"),
        ("marketing", "fax", None, "bad_channel"),
        ("marketing", "phone", {"ip": "10.0.0.1"}, "bad_evidence"),
    ],
)
def test_give_refusals(
    seeded: Flask, subject_id: str, purpose: str, channel: str, evidence: dict | None, code: str
) -> None:
    text = current_text("marketing", "da")
    with pytest.raises(service.ConsentError) as info:
        service.give(subject_id, purpose, text.id, channel=channel, evidence=evidence, actor=AGENT)
    assert info.value.code == code


def test_ip_is_only_kept_as_keyed_hash(app: Flask) -> None:
    hashed = service.hash_ip("192.0.2.10")
    assert hashed and "192.0.2.10" not in hashed and len(hashed) == 64
    assert hashed == service.hash_ip("192.0.2.10") != service.hash_ip("192.0.2.11")


def test_seeding_is_idempotent_and_keeps_api_versions(seeded: Flask) -> None:
    from plugin.consent.seed import seed_now

    newer = service.publish_text("marketing", "da", "Ny ordlyd fra API.", DPO)
    assert seed_now(seeded) == 0
    assert current_text("marketing", "da").id == newer.id
