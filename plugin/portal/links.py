"""Magic links: a random single-use token, stored as SHA-256, valid 15 minutes.

The link carries nothing but the token. Known and unknown addresses cost the same work on
the request thread (one lookup query, a token, the mail text, one insert, one commit); only a
known address gets a mail, handed to the mailer once the answer has gone out, so neither the
SMTP conversation nor the worker thread it wakes can slow the answer down.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from plugin.extensions import db
from plugin.mail import get_mailer
from plugin.mail.texts import login_mail
from plugin.models import DataSubject, PortalLoginToken, SubjectIdentifier
from plugin.models.types import utcnow
from plugin.subjects import blind_index

LINK_TTL = timedelta(minutes=15)
# Used and expired rows are kept a day (for support questions), then pruned.
KEEP_USED = timedelta(days=1)
LOGIN_PATH = "/portal/login/"
# The SMTP conversation starts a moment after the answer went out, so it never competes
# with the answer for the interpreter while the caller is still reading it.
MAIL_DELAY = 0.05


class LinkError(Exception):
    """A link that cannot log anyone in; deliberately one message for every reason."""


def hash_token(token: str) -> str:
    """SHA-256 (hex) of a token: what the database holds instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def email_index(email: str) -> str:
    """The blind index of an e-mail address (HMAC under the keyring's index key)."""
    return blind_index(current_app.extensions["datavagt.keyring"], "email", email)


def subject_for_index(index: str) -> DataSubject | None:
    """The live subject holding this e-mail index (merges followed), or None."""
    # One query whether or not the address is known (the same work for both answers).
    subject = db.session.scalars(
        sa.select(DataSubject)
        .join(SubjectIdentifier, SubjectIdentifier.subject_id == DataSubject.id)
        .where(
            SubjectIdentifier.kind == "email",
            SubjectIdentifier.vendor == "",
            SubjectIdentifier.blind_index == index,
        )
        .limit(1)
    ).first()
    seen: set[str] = set()
    while subject is not None and subject.merged_into_id and subject.id not in seen:
        seen.add(subject.id)
        subject = db.session.get(DataSubject, subject.merged_into_id)
    if subject is None or subject.erased_at is not None:
        return None
    return subject


def issue(email: str) -> tuple[str, str | None]:
    """Create a link token for ``email`` (also for unknown ones); returns (token, subject id)."""
    index = email_index(email)
    subject = subject_for_index(index)
    # Read before the commit: afterwards the expired row would cost a known address a query.
    subject_id = subject.id if subject is not None else None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.execute(
        sa.delete(PortalLoginToken).where(PortalLoginToken.expires_at < now - KEEP_USED)
    )
    db.session.add(
        PortalLoginToken(
            token_hash=hash_token(token),
            subject_id=subject_id,
            email_index=index,
            created_at=now,
            expires_at=now + LINK_TTL,
        )
    )
    db.session.commit()
    return token, subject_id


def link_url(base_url: str, token: str) -> str:
    """The URL the e-mail holds: base URL, the login path and the token."""
    return f"{base_url.rstrip('/')}{LOGIN_PATH}{token}"


def send_link(email: str, base_url: str | None, lang: str) -> Callable[[], None] | None:
    """Issue a link and write its mail for any address; returns the delivery to run once the
    answer is sent (None for an unknown address or without a public URL)."""
    token, subject_id = issue(email)
    controller = current_app.extensions["datavagt.manifest"].data["controller"]["name"]
    subject, text = login_mail(lang, link_url(base_url or "http://localhost", token), controller)
    if subject_id is None or base_url is None:
        return None
    mailer, to = get_mailer(), email.strip()

    def deliver() -> None:
        mailer.send_later(to, subject, text, delay=MAIL_DELAY)

    return deliver


def redeem(token: str) -> str:
    """Use a link once: the subject id it logs in, or LinkError (used, expired, unknown)."""
    if not token or len(token) > 128:
        raise LinkError("invalid link")
    now = utcnow()
    row = db.session.scalars(
        sa.select(PortalLoginToken).where(PortalLoginToken.token_hash == hash_token(token))
    ).first()
    if row is None or row.subject_id is None or row.used_at is not None or row.expires_at <= now:
        raise LinkError("invalid link")
    # Conditional update: of two concurrent uses of one link, exactly one wins.
    claimed = db.session.execute(
        sa.update(PortalLoginToken)
        .where(PortalLoginToken.id == row.id, PortalLoginToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    subject = subject_for_index(row.email_index)
    # The address must still lead to the person the link was made for (merges, splits).
    if claimed.rowcount != 1 or subject is None or subject.id != row.subject_id:
        db.session.commit()
        raise LinkError("invalid link")
    # The person opened a link sent to the address: a typed e-mail is now a verified one.
    db.session.execute(
        sa.update(SubjectIdentifier)
        .where(
            SubjectIdentifier.kind == "email",
            SubjectIdentifier.vendor == "",
            SubjectIdentifier.blind_index == row.email_index,
            SubjectIdentifier.verified.is_(False),
        )
        .values(verified=True)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return subject.id
