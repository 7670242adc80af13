"""Ingest one vendor ticket: classify, vault, record findings, write tokens back.

Crash safety: phase 1 commits the findings and vault items *before* the vendor write, so an
original value is never lost; phase 2 writes the tokens; phase 3 (the caller's transaction,
together with the inbox row) marks what was written. A re-run after a crash anywhere finds
the same findings by their dedupe key, and a field already tokenised yields no findings.

Restriction (Art. 18) or objection (Art. 21) for the ticket's purpose: restricted data may
only be *stored* (Art. 18(2)), while keeping it secure (Art. 32) stays a duty. So, when the
subject is restricted for the ticket's purpose:
- stored as usual: the ticket row (vendor ids, status, dates, subject) and its retention
  deadline (storage limitation still applies);
- still done, as protection: classifying the *writable* fields, vaulting the originals
  found there and writing tokens back, so the CRM copy does not show the values in clear
  (the findings are the bookkeeping of that: vault reference and token);
- not done: reading the unwritable fields and conversations (that would only add to what
  is recorded as used for the purpose; their earlier findings stay as they were), and the
  compliance scan of agents' plain replies. The write-back's audit event says
  ``restricted: true``. When the flag is lifted, the next event of the ticket catches up.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

import sqlalchemy as sa
from flask import current_app

from plugin.classify import Classifier, Hints
from plugin.classify import Finding as Detected
from plugin.extensions import db
from plugin.ingest.fields import CONVERSATION_PREFIX, TicketField, ticket_fields
from plugin.ingest.rewrite import render, substitute
from plugin.ingest.settings import IngestSettings, ingest_settings
from plugin.ingest.tickets import refresh_retention, upsert_ticket
from plugin.ingest.tokens import token_for
from plugin.ingest.writeback_audit import record_identity_link, record_write_back
from plugin.messages.outbound import record_plain_replies
from plugin.models import DataSubject, Finding, Ticket
from plugin.subjects.identity import resolve_contact
from plugin.subjects.pseudonym import subject_of_address
from plugin.subjects.restrictions import is_restricted
from plugin.vault import get_vault
from plugin.vendors.contract import Adapter, VendorContact, VendorTicket
from plugin.vendors.errors import AdapterError

log = logging.getLogger(__name__)
CLASSIFIER = "datavagt.classifier"


@dataclass
class IngestResult:
    """What one ingest did (ids and counts only)."""

    ticket_id: int
    new_findings: int = 0
    written_fields: list[str] = field(default_factory=list)
    unwritable_fields: list[str] = field(default_factory=list)
    restricted: bool = False


def get_classifier() -> Classifier:
    """The app's classifier, configured by the ``classify:`` settings key."""
    classifier = current_app.extensions.get(CLASSIFIER)
    if classifier is None:
        settings = current_app.extensions["datavagt.settings"]
        classifier = Classifier(settings.extra.get("classify"))
        current_app.extensions[CLASSIFIER] = classifier
    return classifier


def dedupe_key(ticket: Ticket, field_name: str, kind: str, value: str, ordinal: int) -> str:
    """Keyed hash naming one finding without revealing its value."""
    keyring = current_app.extensions["datavagt.keyring"]
    message = "\x1f".join(
        ("finding", ticket.vendor, ticket.external_id, field_name, kind, value, str(ordinal))
    )
    return hmac.new(keyring.index_key, message.encode(), hashlib.sha256).hexdigest()


def _subject(adapter: Adapter, vt: VendorTicket, ticket: Ticket | None) -> DataSubject:
    if vt.requester is not None:
        requester, into = vt.requester, None
        form_subject = subject_of_address(requester.email)
        if form_subject is not None:
            # A form's ticket back from the vendor: its requester is the pseudonym the form
            # gave, so the person is the form's subject; only the contact id is theirs.
            into = db.session.get(DataSubject, form_subject)
            requester = VendorContact(external_id=requester.external_id, name=None)
        found = resolve_contact(adapter.name, requester, into=into)
        if (found.matched_on is not None and found.added) or found.merged:
            record_identity_link(
                found.subject.id,
                adapter.name,
                found.matched_on,
                found.added,
                found.merged,
                found.verified_now,
            )
        return found.subject
    if ticket is not None and ticket.subject_id:
        subject = db.session.get(DataSubject, ticket.subject_id)
        if subject is not None:
            return subject
    # No requester: a subject of its own, so the ticket's data can still be shredded.
    subject = DataSubject()
    db.session.add(subject)
    db.session.flush()
    return subject


def _hints(vt: VendorTicket) -> Hints:
    requester = vt.requester
    if requester is None:
        return Hints()
    return Hints(names=[requester.name or ""], emails=[requester.email or ""])


def _record(
    ticket: Ticket, subject_id: str, tf: TicketField, hints: Hints, allowed: set[str]
) -> tuple[list[Finding], int]:
    """Findings of one field and how many are new; rows a previous run stored are reused."""
    found = get_classifier().classify(tf.text, hints=hints)
    ordinals: Counter[tuple[str, str]] = Counter()
    planned: list[tuple[str, Detected, str]] = []
    for hit in found:
        value = hit.value_in(tf.text)
        ordinals[(hit.type, value)] += 1
        key = dedupe_key(ticket, tf.name, hit.type, value, ordinals[(hit.type, value)])
        planned.append((key, hit, value))
    if not planned:
        return [], 0
    existing = {
        row.dedupe_key: row
        for row in db.session.scalars(
            sa.select(Finding).where(Finding.dedupe_key.in_([key for key, _, _ in planned]))
        )
    }
    vault = get_vault()
    rows: list[Finding] = []
    new = 0
    for key, hit, value in planned:
        row = existing.get(key)
        if row is None:
            new += 1
            item = vault.encrypt(
                subject_id, value, field=tf.name, kind=hit.type, ticket_id=ticket.id
            )
            row = Finding(
                ticket_id=ticket.id,
                subject_id=subject_id,
                field=tf.name,
                type=hit.type,
                category=hit.category,
                score=float(hit.score),
                detector=hit.detector,
                vault_item_id=item.id,
                masked=token_for(hit.type, value)[:255],
                written_back=False,
                over_collection=hit.category not in allowed,
                dedupe_key=key,
            )
            db.session.add(row)
        # Offsets of this run's text (they may differ from when the row was first stored).
        row.start, row.end = hit.start, hit.end
        rows.append(row)
    db.session.flush()
    return rows, new


def ingest_ticket(
    adapter: Adapter, vt: VendorTicket, settings: IngestSettings | None = None
) -> IngestResult:
    """Classify, vault and tokenise one ticket; the caller commits the last phase."""
    settings = settings or ingest_settings()
    # Phase 1: subject, ticket, findings and vault items, committed before any vendor write.
    ticket = upsert_ticket(vt, settings)
    subject = _subject(adapter, vt, ticket)
    ticket.subject_id = subject.id
    purposes = current_app.extensions["datavagt.manifest"].purposes
    allowed = set(purposes.get(ticket.purpose or "", {}).get("allowed_categories", []))
    hints = _hints(vt)
    restricted = is_restricted(subject.id, ticket.purpose)
    # While restricted only what protection needs: the fields whose tokens we can write.
    fields = [tf for tf in ticket_fields(adapter, vt) if tf.writable or not restricted]
    per_field: dict[str, list[Finding]] = {}
    new = 0
    for tf in fields:
        per_field[tf.name], created = _record(ticket, subject.id, tf, hints, allowed)
        new += created
    db.session.commit()

    # Phase 2: rewrite writable fields and conversations that still hold personal data.
    ticket_values: dict[str, str] = {}
    conversation_values: dict[str, str] = {}
    for tf in fields:
        rows = per_field.get(tf.name) or []
        if rows and tf.writable:
            text = substitute(tf.text, [(r.start, r.end, r.masked) for r in rows])
            is_conversation = tf.name.startswith(CONVERSATION_PREFIX)
            target = conversation_values if is_conversation else ticket_values
            target[tf.name] = render(text, tf.is_html)
    result = IngestResult(ticket_id=ticket.id, new_findings=new, restricted=restricted)
    written: set[str] = set()
    if ticket_values:
        write = partial(adapter.write_fields, vt.external_id, ticket_values)
        written |= _vendor_write(adapter, write, ticket_values)
    # One call per conversation, so a refusal keeps only that one in clear.
    for name, body in conversation_values.items():
        conversation_id = name.removeprefix(CONVERSATION_PREFIX)
        write = partial(adapter.write_conversation, vt.external_id, conversation_id, body)
        written |= _vendor_write(adapter, write, [name])
    # Phase 3 (caller's transaction): what was written, what stays in clear at the vendor.
    by_field = {tf.name: tf for tf in fields}
    for name, rows in per_field.items():
        for row in rows:
            row.written_back = name in written
    recovered = _recover_written(ticket, by_field)
    unwritable = set(ticket.unwritable_fields or [])
    unwritable |= {name for name, rows in per_field.items() if rows and name not in written}
    unwritable -= written
    ticket.unwritable_fields = sorted(unwritable)
    refresh_retention(ticket, settings)
    if not restricted:
        # Agents' public replies mailed in clear with personal data: compliance report.
        record_plain_replies(ticket, vt)
    if written:
        rows = [row for name in written for row in per_field.get(name, [])]
        record_write_back(ticket, written, rows, restricted)
    if recovered:
        # A write-back whose phase 3 never committed (crash) is audited when found.
        record_write_back(ticket, {r.field for r in recovered}, recovered, restricted)
    result.written_fields = sorted(written)
    result.unwritable_fields = ticket.unwritable_fields
    db.session.flush()
    return result


def _vendor_write(adapter: Adapter, write: Callable[[], None], names: Iterable[str]) -> set[str]:
    """Run one vendor write; return the names it wrote, none if the vendor refuses for good.

    Transient failures (and ones a retry or a changed ticket may fix) propagate so the event
    is retried; a final refusal keeps the data in clear, which shortens retention instead.
    """
    try:
        write()
    except AdapterError as exc:
        if exc.retryable or exc.status in (None, 401, 403, 404, 409, 429) or exc.status >= 500:
            raise
        log.warning(
            "vendor refused write-back", extra={"vendor": adapter.name, "status": exc.status}
        )
        return set()
    return set(names)


def _recover_written(ticket: Ticket, fields: dict[str, TicketField]) -> list[Finding]:
    """After a crash between the vendor write and the commit, the vendor already shows the
    tokens: findings whose token is in the field's current text were written back.
    Returns those rows (the write-back's audit event was lost with the crash)."""
    pending = db.session.scalars(
        sa.select(Finding).where(Finding.ticket_id == ticket.id, Finding.written_back.is_(False))
    )
    recovered = []
    for row in pending:
        tf = fields.get(row.field)
        if tf is not None and tf.writable and row.masked in tf.text:
            row.written_back = True
            recovered.append(row)
    return recovered
