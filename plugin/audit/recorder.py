"""``record``: the one write API for audit events, used by every capability."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context

from plugin.audit.actions import ACTIONS
from plugin.audit.free_text import check_free_text
from plugin.audit.guard import check_details
from plugin.audit.sequencer import PENDING
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models.audit import AuditQueued
from plugin.models.types import utcnow

_INSERT = sa.insert(AuditQueued.__table__)
_TICKET_REF = re.compile(r"^[a-z0-9_-]{1,32}:[^\s:][^\s]{0,136}$")


def record(
    action: str,
    *,
    actor: Actor,
    subject_id: str | None = None,
    ticket_ref: str | None = None,
    field: str | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    source: str | None = None,
) -> int:
    """Queue an event in the caller's transaction (caller commits); returns its queue id.

    The sequencer chains it (seq, prev_hash, hash) within ``audit.sequence_interval_ms``
    of the commit; readers that need it at once call ``plugin.audit.sequencer.flush``.

    ``details`` holds ids, counts and codes only; never personal data values (a value that
    looks like an e-mail address or CPR number raises ValueError). ``ticket_ref`` is
    ``"<vendor>:<external id>"``. When the flush fails the exception propagates, so the
    caller's transaction rolls back and the audited action does not happen.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if ticket_ref is not None and not _TICKET_REF.match(ticket_ref):
        raise ValueError("ticket_ref must be '<vendor>:<external id>'")
    details = dict(details or {})
    check_details(details)
    check_free_text(reason)  # PersonalDataInText: the caller's transaction rolls back
    session = db.session
    session.flush()  # the caller's own pending rows first, as before (nothing to do: free)
    # One INSERT, no lock, no ORM unit of work: the sequencer gives the event its seq and
    # hash after the commit. One cached statement, so the driver prepares it once.
    result = session.connection().execute(
        _INSERT,
        {
            "occurred_at": utcnow(),
            "actor_id": actor.id,
            "actor_role": actor.role,
            "vendor_user": actor.vendor_user,
            "action": action,
            "subject_id": subject_id,
            "ticket_ref": ticket_ref,
            "field": field,
            "reason": reason,
            "request_id": g.get("request_id") if has_request_context() else None,
            "source": source or actor.source,
            "details": details,
        },
    )
    session.info[PENDING] = True
    return int(result.inserted_primary_key[0])
