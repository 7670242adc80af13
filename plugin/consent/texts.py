"""Consent texts: publish a new immutable version, look versions up, seed from the manifest."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import sqlalchemy as sa

from plugin import audit
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.manifest import Manifest, ManifestError
from plugin.models import ConsentText, Purpose
from plugin.models.types import utcnow

MAX_TEXT_CHARS = 20000


class ConsentTextError(ValueError):
    """A text that cannot be published (unknown purpose, empty, too long)."""


def normalise(text: str) -> str:
    """The canonical form stored and hashed: NFC, unified line ends, no outer blank space."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def text_sha256(text: str) -> str:
    """SHA-256 (hex) of the exact wording's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


ON_WITHDRAWAL = ("stop", "erase")


def publish_text(
    purpose: str, language: str, text: str, actor: Actor, on_withdrawal: str = "stop"
) -> ConsentText:
    """Publish the next version for purpose × language (commits); old versions stay as they were.

    ``on_withdrawal`` is what this wording promises a withdrawal does: ``stop`` processing,
    or ``erase`` the data collected under the consent.
    """
    if on_withdrawal not in ON_WITHDRAWAL:
        raise ConsentTextError(f"on_withdrawal must be one of {', '.join(ON_WITHDRAWAL)}")
    wording = normalise(text)
    if not wording:
        raise ConsentTextError("the text is empty")
    if len(wording) > MAX_TEXT_CHARS:
        raise ConsentTextError(f"the text is longer than {MAX_TEXT_CHARS} characters")
    if db.session.get(Purpose, purpose) is None:
        raise ConsentTextError(f"unknown purpose {purpose!r}")
    row = _insert_next(purpose, language, wording, on_withdrawal)
    audit.record(
        audit.actions.ADMIN_ACTION,
        actor=actor,
        details={
            "op": "consent_text_published",
            "consent_text_id": row.id,
            "purpose": purpose,
            "language": language,
            "version": row.version,
            "on_withdrawal": row.on_withdrawal,
        },
    )
    db.session.commit()
    return row


def _insert_next(purpose: str, language: str, wording: str, on_withdrawal: str) -> ConsentText:
    """Insert version max+1; the unique constraint turns a concurrent publish into an error."""
    latest = db.session.scalar(
        sa.select(sa.func.max(ConsentText.version)).where(
            ConsentText.purpose == purpose, ConsentText.language == language
        )
    )
    row = ConsentText(
        purpose=purpose,
        language=language,
        version=int(latest or 0) + 1,
        text=wording,
        sha256=text_sha256(wording),
        published_at=utcnow(),
        on_withdrawal=on_withdrawal,
    )
    db.session.add(row)
    db.session.flush()
    return row


def current_text(purpose: str, language: str) -> ConsentText | None:
    """The newest published version for purpose × language."""
    return db.session.scalars(
        sa.select(ConsentText)
        .where(ConsentText.purpose == purpose, ConsentText.language == language)
        .order_by(ConsentText.version.desc())
        .limit(1)
    ).first()


def list_texts(purpose: str | None = None) -> list[ConsentText]:
    """Every published version, grouped by purpose and language, newest first."""
    query = sa.select(ConsentText).order_by(
        ConsentText.purpose, ConsentText.language, ConsentText.version.desc()
    )
    if purpose:
        query = query.where(ConsentText.purpose == purpose)
    return list(db.session.scalars(query))


def manifest_wording(manifest: Manifest, purpose: str, language: str) -> str:
    """The wording the manifest gives for purpose × language (inline or from its file)."""
    source = manifest.data["consent_texts"][purpose][language]
    if "text" in source:
        return normalise(source["text"])
    path = (manifest.path.parent / source["file"]).resolve()
    try:
        return normalise(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(
            f"manifest {manifest.path}: consent_texts.{purpose}.{language}: "
            f"cannot read {source['file']}"
        ) from exc


def seed_texts(manifest: Manifest, actor: Actor) -> int:
    """Publish manifest wording no version has had yet; returns how many were published.

    Comparing with every version (not only the newest) keeps a version published through
    the API current across restarts until the manifest's wording itself changes.
    """
    published = 0
    for purpose, languages in manifest.data.get("consent_texts", {}).items():
        for language in languages:
            wording = manifest_wording(manifest, purpose, language)
            known = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(ConsentText)
                .where(
                    ConsentText.purpose == purpose,
                    ConsentText.language == language,
                    ConsentText.sha256 == text_sha256(wording),
                )
            )
            if known:
                continue
            promise = languages[language].get("on_withdrawal", "stop")
            publish_text(purpose, language, wording, actor, promise)
            published += 1
    return published
