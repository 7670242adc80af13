"""Find or create the DataSubject behind a vendor contact, without storing identifiers in clear."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import phonenumbers
import sqlalchemy as sa
from flask import current_app

from plugin.extensions import db
from plugin.keys import Keyring
from plugin.models import DataSubject, SubjectIdentifier
from plugin.vault import get_vault
from plugin.vendors.contract import VendorContact

DEFAULT_REGION = "DK"
# Match order: a vendor's own contact id is the strongest link, then e-mail, then phone.
PRIORITY = ("vendor_contact", "email", "phone")
# Identifiers that may tie a new contact to a person already known. A phone number (like a
# name or an address, which are never matched at all) is shared by families and firms:
# it is indexed so the person can be found by it, but two contacts sharing only a phone
# number stay two people unless a DPO merges them (audited, undone by a split).
STRONG = frozenset({"vendor_contact", "email"})


def normalise_identifier(kind: str, value: str) -> str:
    """The canonical form indexed for a kind: e-mail lowercased, phone as E.164."""
    value = value.strip()
    if kind == "email":
        return value.lower()
    if kind == "phone":
        try:
            number = phonenumbers.parse(value, DEFAULT_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_possible_number(number):
            # Not a dialable number: index its digits so the same input still matches.
            return "".join(ch for ch in value if ch.isdigit() or ch == "+")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return value


def blind_index(keyring: Keyring, kind: str, value: str) -> str:
    """HMAC-SHA256 (hex) of the normalised value, domain-separated by kind."""
    message = f"{kind}\x1f{normalise_identifier(kind, value)}".encode()
    return hmac.new(keyring.index_key, message, hashlib.sha256).hexdigest()


def _keyring() -> Keyring:
    return current_app.extensions["datavagt.keyring"]


def _identifiers(vendor: str, contact: VendorContact) -> list[tuple[str, str, str]]:
    """(kind, vendor scope, clear value) for each identifier the contact carries."""
    found: list[tuple[str, str, str]] = []
    if contact.external_id:
        found.append(("vendor_contact", vendor, str(contact.external_id)))
    if contact.email and "@" in contact.email:
        found.append(("email", "", contact.email))
    if contact.phone and any(ch.isdigit() for ch in contact.phone):
        found.append(("phone", "", contact.phone))
    return found


def _resolve(subject: DataSubject) -> DataSubject:
    """Follow merges to the surviving subject."""
    seen = {subject.id}
    while subject.merged_into_id and subject.merged_into_id not in seen:
        target = db.session.get(DataSubject, subject.merged_into_id)
        if target is None:
            break
        seen.add(target.id)
        subject = target
    return subject


def _holders(kind: str, scope: str, index: str) -> list[SubjectIdentifier]:
    """Rows holding an identifier: at most one for a strong kind, any number for a phone."""
    return list(
        db.session.scalars(
            sa.select(SubjectIdentifier)
            .where(
                SubjectIdentifier.kind == kind,
                SubjectIdentifier.vendor == scope,
                SubjectIdentifier.blind_index == index,
            )
            .order_by(SubjectIdentifier.id)
        )
    )


@dataclass(frozen=True)
class Resolution:
    """Whom a contact was resolved to, and how (for the caller's audit trail)."""

    subject: DataSubject
    matched_on: str | None  # the strong identifier kind that found an existing subject
    added: tuple[str, ...]  # identifier kinds newly recorded for the subject
    # Subjects found to be this same person and merged into it: (subject id, identifier kind).
    merged: tuple[tuple[str, str], ...] = ()
    verified_now: tuple[str, ...] = ()  # identifier kinds a vendor record has now confirmed


def resolve_contact(
    vendor: str,
    contact: VendorContact,
    *,
    verified: bool = True,
    into: DataSubject | None = None,
) -> Resolution:
    """The subject matching the contact's strong identifiers, created when none does.

    No commit. ``verified=False`` is for identifiers a person merely typed (intake forms).
    A typed e-mail Datavagt already knows lands on the subject holding it, so one person's
    form submissions, consents and tickets are one record (found by My pages, the export,
    search and erasure); a typed claim never marks an identifier verified, never adds a strong
    identifier another subject holds, and never merges two subjects.

    A vendor's own contact record (``verified=True``) confirms its identifiers: an e-mail held
    only as typed is marked verified, and a subject that holds one of the contact's strong
    identifiers only as typed is this same person, so it is merged into the matched subject
    (the caller audits ``merged``; a DPO can split it). Two subjects whose holdings are both
    verified stay apart: which one the identifier now belongs to is a DPO's decision.
    """
    keyring = _keyring()
    wanted = [(k, s, v, blind_index(keyring, k, v)) for k, s, v in _identifiers(vendor, contact)]
    wanted.sort(key=lambda row: PRIORITY.index(row[0]))
    subject: DataSubject | None = None
    matched_on: str | None = None
    holders = {(k, s, i): _holders(k, s, i) for k, s, _v, i in wanted}
    for kind, scope, _value, index in wanted:
        row = next(iter(holders[(kind, scope, index)]), None)
        if subject is None and row is not None and kind in STRONG:
            resolved = _resolve(row.subject)
            if resolved.erased_at is None:  # an erased person is never brought back
                subject, matched_on = resolved, kind
    if subject is None and into is not None and into.erased_at is None:
        subject = _resolve(into)
    if subject is None:
        subject = DataSubject()
        db.session.add(subject)
        db.session.flush()
    vault = get_vault()
    added: list[str] = []
    merged: list[tuple[str, str]] = []
    confirmed: list[str] = []
    for kind, scope, value, index in wanted:
        rows = holders[(kind, scope, index)]
        if any(_resolve(row.subject).id == subject.id for row in rows):
            for row in rows:
                if verified and kind in STRONG and not row.verified:
                    row.verified = True  # the vendor's record confirms what was typed
                    confirmed.append(kind)
            continue  # this subject (or one merged into it) holds it already
        if rows and kind in STRONG:
            other = _resolve(rows[0].subject)
            if verified and not rows[0].verified and _mergeable(other, subject):
                other.merged_into_id = subject.id
                rows[0].verified = True
                merged.append((other.id, kind))
                confirmed.append(kind)
            continue  # otherwise another person's: tying the two together is a DPO's merge
        try:
            # A savepoint: a concurrent worker may insert the same identifier first.
            with db.session.begin_nested():
                item = vault.encrypt(subject.id, value, field=f"identifier.{kind}", kind=kind)
                db.session.add(
                    SubjectIdentifier(
                        subject_id=subject.id,
                        kind=kind,
                        vendor=scope,
                        blind_index=index,
                        vault_item_id=item.id,
                        verified=verified,  # True: read from the vendor's own contact record
                    )
                )
            added.append(kind)
        except sa.exc.IntegrityError:
            continue
    db.session.flush()
    return Resolution(subject, matched_on, tuple(added), tuple(merged), tuple(confirmed))


def _mergeable(other: DataSubject, into: DataSubject) -> bool:
    """Whether ``other`` may be merged into ``into`` automatically (live, not the same)."""
    return (
        other.id != into.id
        and other.erased_at is None
        and into.erased_at is None
        and other.merged_into_id is None
    )


def find_or_create_subject(
    vendor: str, contact: VendorContact, *, verified: bool = True
) -> DataSubject:
    """``resolve_contact(...).subject``: the matching or a new subject (no commit)."""
    return resolve_contact(vendor, contact, verified=verified).subject


def find_subjects(
    email: str | None = None,
    phone: str | None = None,
    vendor_id: tuple[str, str] | str | None = None,
) -> list[DataSubject]:
    """Subjects holding any given identifier; ``vendor_id`` is (vendor, id) or 'vendor:id'."""
    keyring = _keyring()
    clauses = []
    if email:
        clauses.append(("email", "", blind_index(keyring, "email", email)))
    if phone:
        clauses.append(("phone", "", blind_index(keyring, "phone", phone)))
    if vendor_id:
        vendor, _, external = (
            vendor_id.partition(":")
            if isinstance(vendor_id, str)
            else (vendor_id[0], "", vendor_id[1])
        )
        clauses.append(("vendor_contact", vendor, blind_index(keyring, "vendor_contact", external)))
    subjects: dict[str, DataSubject] = {}
    for kind, scope, index in clauses:
        for row in _holders(kind, scope, index):  # a phone number may name several people
            subject = _resolve(row.subject)
            subjects.setdefault(subject.id, subject)
    return list(subjects.values())
