"""Telling the person about their request: a secure message in My pages (Danish and English)
plus the "a message waits" e-mail (no content in the mail). Used for extensions (Art. 12(3)),
lifting a restriction (Art. 18(3)) and the recipients told of a change (Art. 19)."""

from __future__ import annotations

from flask import g

from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models import DataSubject, DataSubjectRequest

EXTENSION = {
    "da": (
        "Vi har brug for mere tid til din anmodning",
        "Vi har modtaget din anmodning om {kind} den {received}. Vi forlænger fristen med "
        "{months} måned(er) til den {due} (databeskyttelsesforordningen art. 12, stk. 3).\n"
        "Begrundelse: {reason}",
    ),
    "en": (
        "We need more time for your request",
        "We received your request ({kind}) on {received}. We extend the deadline by {months} "
        "month(s) to {due} (GDPR Art. 12(3)).\nReason: {reason}",
    ),
}
LIFT = {
    "da": (
        "Begrænsningen af dine oplysninger ophæves",
        "Vi har begrænset behandlingen af dine oplysninger{purpose}. Begrænsningen ophæves nu "
        "(databeskyttelsesforordningen art. 18, stk. 3).\nBegrundelse: {reason}",
    ),
    "en": (
        "The restriction of your data is being lifted",
        "We restricted the processing of your data{purpose}. The restriction is now being "
        "lifted (GDPR Art. 18(3)).\nReason: {reason}",
    ),
}
RECIPIENTS = {
    "da": (
        "Hvem vi har givet besked",
        "Vi har gennemført {what} af dine oplysninger. Disse modtagere har fået besked "
        "(databeskyttelsesforordningen art. 19):\n{recipients}",
    ),
    "en": (
        "Who we told",
        "We carried out the {what} of your data. These recipients were told (GDPR Art. 19):"
        "\n{recipients}",
    ),
}
NONE = {
    "da": "ingen (oplysningerne var ikke givet videre)",
    "en": "none (the data was not passed on)",
}
WHAT = {
    "rectification": {"da": "berigtigelse", "en": "rectification"},
    "erasure": {"da": "sletning", "en": "erasure"},
    "restriction": {"da": "begrænsning", "en": "restriction"},
}
KINDS = {
    "access": {"da": "indsigt", "en": "access"},
    "rectification": {"da": "berigtigelse", "en": "rectification"},
    "erasure": {"da": "sletning", "en": "erasure"},
    "restriction": {"da": "begrænsning", "en": "restriction"},
    "objection": {"da": "indsigelse", "en": "objection"},
    "portability": {"da": "dataportabilitet", "en": "data portability"},
}


def _both(table: dict[str, tuple[str, str]], **values: dict[str, str] | str) -> str:
    parts = []
    for lang in ("da", "en"):
        title, text = table[lang]
        filled = {k: (v[lang] if isinstance(v, dict) else v) for k, v in values.items()}
        parts.append(f"{title}\n\n{text.format(**filled)}")
    return "\n\n---\n\n".join(parts)


def _send(actor: Actor, subject_id: str | None, body: str) -> bool:
    """Seal the message (the caller commits) and mail the notice after commit; False when
    there is no one to tell (no subject, or the data is erased)."""
    from plugin.messages.service import store_for_subject

    subject = db.session.get(DataSubject, subject_id) if subject_id else None
    if subject is None or subject.erased_at is not None:
        return False
    _message, address = store_for_subject(actor, subject.id, body)
    if address:
        g.setdefault("rights_notices", []).append(address)
    return True


def mail_pending() -> int:
    """After the commit: mail "a message waits" to everyone told in this request."""
    from plugin.messages.service import mail_notices

    pending = g.pop("rights_notices", [])
    return mail_notices(pending) if pending else 0


def extension(actor: Actor, row: DataSubjectRequest) -> bool:
    """Art. 12(3): the extension and its reason, told to the person."""
    return _send(
        actor,
        row.subject_id,
        _both(
            EXTENSION,
            kind=KINDS.get(row.kind, {"da": row.kind, "en": row.kind}),
            received=row.received_on.isoformat(),
            due=row.due_on.isoformat(),
            months=str(row.extension_months or ""),
            reason=row.extension_reason or "",
        ),
    )


def lifting(actor: Actor, subject_id: str, purpose_name: str | None, reason: str) -> bool:
    """Art. 18(3): the person is told before the restriction is lifted."""
    purpose = (
        {"da": f" til formålet {purpose_name}", "en": f" for {purpose_name}"}
        if purpose_name
        else ""
    )
    return _send(actor, subject_id, _both(LIFT, purpose=purpose or "", reason=reason or "-"))


def recipients(actor: Actor, subject_id: str, what: str, names: list[str]) -> bool:
    """Art. 19: which recipients were told of the rectification, erasure or restriction."""
    listed = {
        lang: ("\n".join(f"- {n}" for n in names) if names else NONE[lang]) for lang in ("da", "en")
    }
    return _send(actor, subject_id, _both(RECIPIENTS, what=WHAT[what], recipients=listed))
