"""All models, imported here so metadata (and Alembic) sees every table."""

from __future__ import annotations

from plugin.models.admin import AdminSession
from plugin.models.alert import Alert, SigninFailure
from plugin.models.audit import AuditCheckpoint, AuditEvent, AuditQueued, AuditVerified
from plugin.models.breach import Breach
from plugin.models.consent import Consent, ConsentText
from plugin.models.dpia import Dpia
from plugin.models.erasure import ErasureCertificate
from plugin.models.message import PlainReply, SecureMessage
from plugin.models.portal import PortalLoginToken, PortalSession
from plugin.models.processor import ProcessorAgreement
from plugin.models.purpose import Purpose
from plugin.models.queue import InboxEvent, OutboxJob
from plugin.models.rate import RateLimit, RateSlot
from plugin.models.request import DataSubjectRequest
from plugin.models.restriction import ProcessingRestriction
from plugin.models.ropa import RopaVersion
from plugin.models.subject import DataSubject, SubjectIdentifier
from plugin.models.ticket import Finding, Ticket
from plugin.models.vault import SubjectKey, VaultItem

__all__ = [
    "AdminSession",
    "Alert",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditQueued",
    "AuditVerified",
    "Breach",
    "Consent",
    "ConsentText",
    "Dpia",
    "DataSubject",
    "DataSubjectRequest",
    "ErasureCertificate",
    "Finding",
    "InboxEvent",
    "OutboxJob",
    "PlainReply",
    "PortalLoginToken",
    "PortalSession",
    "ProcessingRestriction",
    "ProcessorAgreement",
    "Purpose",
    "RateLimit",
    "RateSlot",
    "RopaVersion",
    "SecureMessage",
    "SigninFailure",
    "SubjectIdentifier",
    "SubjectKey",
    "Ticket",
    "VaultItem",
]
