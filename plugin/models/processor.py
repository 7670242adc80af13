"""The register of processors and sub-processors (Art. 28) with their agreements."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from plugin.extensions import db
from plugin.models.types import UTCDateTime, utcnow

PROCESSOR_ROLES = ("processor", "sub_processor")
# Chapter V ground for data leaving the EU/EEA: none needed, adequacy decision (the EU-US
# Data Privacy Framework is one), standard contractual clauses, binding corporate rules.
TRANSFER_BASES = ("eea", "adequacy", "scc", "bcr", "unknown")


class ProcessorAgreement(db.Model):
    """One processor or sub-processor: what it does, where, under which agreement, reviewed when."""

    __tablename__ = "processor_agreements"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16))
    parent_key: Mapped[str | None] = mapped_column(sa.String(64), nullable=True)
    country: Mapped[str] = mapped_column(sa.String(2))
    service: Mapped[str] = mapped_column(sa.String(500), default="")
    transfer_basis: Mapped[str] = mapped_column(sa.String(16))
    transfer_mechanism: Mapped[str] = mapped_column(sa.String(500), default="")
    agreement_date: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    dpa_url: Mapped[str] = mapped_column(sa.String(500), default="")
    data_categories: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    last_review_on: Mapped[date | None] = mapped_column(sa.Date, nullable=True)
    last_review_by: Mapped[str] = mapped_column(sa.String(200), default="")
    review_note: Mapped[str] = mapped_column(sa.String(2000), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
