"""The manifest's ``ingest:`` section: retries, purpose rules, unwritable-field retention."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

# GDPR Art. 9(2) conditions a purpose may declare for special-category data.
ART9_BASES = (
    "explicit_consent",
    "employment_social_security",
    "vital_interests",
    "not_for_profit_body",
    "made_public",
    "legal_claims",
    "substantial_public_interest",
    "health_or_social_care",
    "public_health",
    "archiving_research",
)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class PurposeMatchSchema(_Strict):
    """Every key given must match; list values match any of their entries."""

    vendor = fields.List(fields.String())
    ticket_type = fields.List(fields.String())
    tags = fields.List(fields.String())
    pipeline = fields.List(fields.String())


class PurposeRuleSchema(_Strict):
    match = fields.Nested(PurposeMatchSchema, required=True)
    purpose = fields.String(required=True)


class IngestSchema(_Strict):
    """Inbox retries and how tickets map to purposes; every key has a documented default."""

    max_attempts = fields.Integer(load_default=8, validate=validate.Range(min=1, max=100))
    backoff_seconds = fields.Float(load_default=5, validate=validate.Range(min=0.01, max=3600))
    backoff_cap_seconds = fields.Float(
        load_default=3600, validate=validate.Range(min=0.01, max=86400)
    )
    lease_seconds = fields.Float(load_default=120, validate=validate.Range(min=1, max=86400))
    batch_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=1000))
    unwritable_retention_days = fields.Integer(
        load_default=30, validate=validate.Range(min=0, max=36500)
    )
    default_purpose = fields.String(load_default="support")
    purpose_rules = fields.List(fields.Nested(PurposeRuleSchema), load_default=list)
    group_commit_max_events = fields.Integer(
        load_default=1000, validate=validate.Range(min=1, max=10000)
    )
    group_commit_max_wait_ms = fields.Float(
        load_default=2.0, validate=validate.Range(min=0, max=50)
    )
    group_commit_timeout_seconds = fields.Float(
        load_default=20.0, validate=validate.Range(min=0.1, max=300)
    )


def ingest_references(data: dict[str, Any]) -> None:
    """Purposes named by ``ingest`` must exist; raise ValidationError naming the key."""
    section = data.get("ingest") or {}
    purposes = data.get("purposes", {})
    if section.get("default_purpose", "support") not in purposes:
        raise ValidationError("unknown purpose", field_name="ingest.default_purpose")
    for i, rule in enumerate(section.get("purpose_rules", [])):
        if rule["purpose"] not in purposes:
            raise ValidationError(
                f"unknown purpose {rule['purpose']!r}", field_name=f"ingest.purpose_rules.{i}"
            )
