"""The vocabulary of audited actions: every event's ``action`` is one of these words."""

from __future__ import annotations

VIEW = "view"
REVEAL = "reveal"
REVEAL_DENIED = "reveal_denied"
EXPORT = "export"
RECTIFY = "rectify"
ERASE = "erase"
RESTRICT = "restrict"
OBJECT = "object"
CONSENT_GIVEN = "consent_given"
CONSENT_WITHDRAWN = "consent_withdrawn"
RETENTION_DELETE = "retention_delete"
RETENTION_ANONYMISE = "retention_anonymise"
LEGAL_HOLD_SET = "legal_hold_set"
LEGAL_HOLD_LIFTED = "legal_hold_lifted"
POLICY_CHANGE = "policy_change"
ROLE_CHANGE = "role_change"
KEY_ROTATION = "key_rotation"
ADMIN_ACTION = "admin_action"
LOGIN = "login"
MESSAGE_SENT = "message_sent"
SUBJECT_MERGE = "subject_merge"
SUBJECT_SPLIT = "subject_split"
REQUEST_CREATED = "request_created"
REQUEST_UPDATED = "request_updated"
# Ingestion rewrote a ticket in the vendor with tokens (fields and counts, never values).
PSEUDONYMISE = "pseudonymise"
# A vendor event asked for a deletion the vendor's own API did not confirm (forged/replayed).
WEBHOOK_REJECTED = "webhook_rejected"
# A signed version of the record of processing (Art. 30) was saved.
ROPA_SAVED = "ropa_saved"
# Breach register (Art. 33/34): an incident recorded, its status changed, a 72-hour reminder.
BREACH_RECORDED = "breach_recorded"
BREACH_UPDATED = "breach_updated"
BREACH_REMINDER = "breach_reminder"
# An agent confirmed sending a reply holding CPR, card, IBAN or Art. 9 data as plain e-mail
# (outbound check in "confirm" mode; types only, never the text).
OUTBOUND_CONFIRMED = "outbound_confirmed"

ACTIONS: frozenset[str] = frozenset(
    {
        VIEW,
        REVEAL,
        REVEAL_DENIED,
        EXPORT,
        RECTIFY,
        ERASE,
        RESTRICT,
        OBJECT,
        CONSENT_GIVEN,
        CONSENT_WITHDRAWN,
        RETENTION_DELETE,
        RETENTION_ANONYMISE,
        LEGAL_HOLD_SET,
        LEGAL_HOLD_LIFTED,
        POLICY_CHANGE,
        ROLE_CHANGE,
        ROPA_SAVED,
        BREACH_RECORDED,
        BREACH_UPDATED,
        BREACH_REMINDER,
        KEY_ROTATION,
        ADMIN_ACTION,
        LOGIN,
        MESSAGE_SENT,
        SUBJECT_MERGE,
        SUBJECT_SPLIT,
        REQUEST_CREATED,
        REQUEST_UPDATED,
        PSEUDONYMISE,
        WEBHOOK_REJECTED,
        OUTBOUND_CONFIRMED,
    }
)
