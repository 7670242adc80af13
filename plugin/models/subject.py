"""Data subjects (the people whose data Datavagt guards) and their identifiers."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plugin.extensions import db
from plugin.models.types import UTCDateTime, new_uuid, utcnow


class DataSubject(db.Model):
    """A person, identified across vendors by verified identifiers."""

    __tablename__ = "data_subjects"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when identities were merged into another subject; kept so a wrong merge can be split.
    merged_into_id: Mapped[str | None] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subjects.id"), index=True
    )
    legal_hold: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    legal_hold_reason: Mapped[str | None] = mapped_column(sa.String(500))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    identifiers: Mapped[list[SubjectIdentifier]] = relationship(
        back_populates="subject", cascade="all, delete-orphan"
    )


class SubjectIdentifier(db.Model):
    """One identifier of a subject, stored as a keyed blind index (never in clear)."""

    __tablename__ = "subject_identifiers"
    __table_args__ = (
        # A strong identifier (vendor contact id, e-mail) names one subject; a weak one (a
        # phone number, shared by families and firms) may be held by several.
        sa.UniqueConstraint(
            "kind", "vendor", "blind_index", "subject_id", name="uq_subject_identifiers_holder"
        ),
        sa.Index(
            "uq_subject_identifiers_strong",
            "kind",
            "vendor",
            "blind_index",
            unique=True,
            sqlite_where=sa.text("kind <> 'phone'"),
            postgresql_where=sa.text("kind <> 'phone'"),
        ),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    subject_id: Mapped[str] = mapped_column(
        sa.String(36), sa.ForeignKey("data_subjects.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(32))  # email, phone, vendor_contact
    vendor: Mapped[str] = mapped_column(sa.String(32), default="")  # "" = any vendor
    # HMAC-SHA256 of the normalised value: lets us look a person up without storing the value.
    blind_index: Mapped[str] = mapped_column(sa.String(64))
    vault_item_id: Mapped[str | None] = mapped_column(
        sa.String(36), sa.ForeignKey("vault_items.id", ondelete="SET NULL")
    )
    verified: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    subject: Mapped[DataSubject] = relationship(back_populates="identifiers")
