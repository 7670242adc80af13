"""The add-on manifest: schema, loading and validation at start-up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from marshmallow import (
    RAISE,
    Schema,
    ValidationError,
    fields,
    validate,
    validates_schema,
)

from plugin.access.manifest_schema import PoliciesSchema, VendorMappingSchema, access_references
from plugin.ingest.manifest_schema import IngestSchema, ingest_references
from plugin.ropa.manifest_schema import RopaSchema, check_cvr

CATEGORIES = ("identity", "contact", "location", "financial", "online", "special")
LEGAL_BASES = (
    "consent",
    "contract",
    "legal_obligation",
    "vital_interests",
    "public_task",
    "legitimate_interests",
)
RETENTION_FROM = ("closed", "last_activity", "consent_withdrawn", "created")
RETENTION_ACTIONS = ("delete_ticket", "anonymise_ticket", "delete_contact", "anonymise_contact")
SCHEDULE = re.compile(r"^(interval:\d+[smhd]|cron:(\S+\s+){4}\S+)$")


class ManifestError(Exception):
    """The manifest is missing or invalid; the message names the key and the problem."""


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class RoleSchema(_Strict):
    name = fields.String(required=True)
    implies = fields.List(fields.String(), load_default=list)


class CategoryRetentionSchema(_Strict):
    """A stricter rule for tickets holding one category; unset keys inherit the purpose's."""

    days = fields.Integer(validate=validate.Range(min=0, max=36500))
    start = fields.String(data_key="from", validate=validate.OneOf(RETENTION_FROM))
    action = fields.String(validate=validate.OneOf(RETENTION_ACTIONS))

    @validates_schema
    def _not_empty(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("set at least one of days, from, action")


class RetentionSchema(_Strict):
    days = fields.Integer(required=True, validate=validate.Range(min=0, max=36500))
    # "from" is a Python keyword, so the attribute is start and the key stays "from".
    start = fields.String(data_key="from", required=True, validate=validate.OneOf(RETENTION_FROM))
    action = fields.String(required=True, validate=validate.OneOf(RETENTION_ACTIONS))
    categories = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CATEGORIES)),
        values=fields.Nested(CategoryRetentionSchema),
        load_default=dict,
    )


class ErasureExemptionSchema(_Strict):
    """Why a purpose's cases survive an erasure request (Art. 17(3)), and the law behind it."""

    ground = fields.String(
        required=True, validate=validate.OneOf(("legal_obligation", "legal_claims"))
    )
    law = fields.Dict(
        keys=fields.String(validate=validate.OneOf(("da", "en"))),
        values=fields.String(validate=validate.Length(min=1, max=300)),
        load_default=dict,
    )


class PurposeSchema(_Strict):
    name = fields.String(required=True)
    legal_basis = fields.String(required=True, validate=validate.OneOf(LEGAL_BASES))
    allowed_categories = fields.List(
        fields.String(validate=validate.OneOf(CATEGORIES)), required=True
    )
    retention = fields.Nested(RetentionSchema, required=True)
    # Kept on erasure under Art. 17(3); a legal_obligation purpose is kept under (b) anyway.
    erasure_exemption = fields.Nested(ErasureExemptionSchema, load_default=None)


class JobSchema(_Strict):
    schedule = fields.String(
        required=True,
        validate=validate.Regexp(
            SCHEDULE, error="expected 'interval:<n>[smhd]' or 'cron:<5 fields>'"
        ),
    )
    enabled = fields.Boolean(load_default=True)


class ControllerSchema(_Strict):
    name = fields.String(required=True)
    contact = fields.String(required=True)
    country = fields.String(required=True, validate=validate.Length(equal=2))
    # Art. 30(1)(a): the controller's address and Danish company number (CVR).
    address = fields.String(load_default="")
    cvr = fields.String(load_default="", validate=check_cvr)


class ConsentTextSourceSchema(_Strict):
    """One language of a consent text: inline ``text`` or a ``file`` beside the manifest."""

    text = fields.String(validate=validate.Length(min=1, max=20000))
    file = fields.String(validate=validate.Length(min=1, max=500))
    # What this wording promises a withdrawal does: stop processing, or erase what was
    # collected under the consent (plugin.consent.withdrawal).
    on_withdrawal = fields.String(validate=validate.OneOf(("stop", "erase")))

    @validates_schema
    def _one_source(self, data: dict[str, Any], **_: Any) -> None:
        if ("text" in data) == ("file" in data):
            raise ValidationError("give exactly one of 'text' or 'file'")


class ComplianceSchema(_Strict):
    """Receipt policy URL and Art. 9(2) bases other than explicit consent, per purpose."""

    policy_url = fields.String(load_default=None)
    special_category_bases = fields.Dict(
        keys=fields.String(), values=fields.String(), load_default=dict
    )
    # DPIA screening: live data subjects from which the processing counts as "large scale".
    dpia_large_scale_subjects = fields.Integer(
        load_default=5000, validate=validate.Range(min=1, max=1_000_000_000)
    )


class ThresholdSchema(_Strict):
    """How many reveals or exports by one employee within ``window_seconds`` raise an alert."""

    reveals = fields.Integer(load_default=None, validate=validate.Range(min=1, max=1_000_000))
    exports = fields.Integer(load_default=None, validate=validate.Range(min=1, max=1_000_000))
    window_seconds = fields.Integer(load_default=None, validate=validate.Range(min=10, max=86400))


class SigninRuleSchema(_Strict):
    count = fields.Integer(load_default=20, validate=validate.Range(min=1, max=1_000_000))
    window_seconds = fields.Integer(load_default=600, validate=validate.Range(min=60, max=86400))


class AlertsSchema(_Strict):
    """Alert rules (thresholds per role, ``default`` for the rest) and where alerts go."""

    thresholds = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ThresholdSchema),
        load_default=lambda: {"default": {"reveals": 50, "exports": 20, "window_seconds": 3600}},
    )
    failed_signins = fields.Nested(
        SigninRuleSchema, load_default=lambda: SigninRuleSchema().load({})
    )
    # A repeat of an open alert is delivered again at most this often.
    throttle_minutes = fields.Integer(load_default=15, validate=validate.Range(min=1, max=10080))
    email = fields.List(fields.Email(), load_default=list)


RECIPIENT_ROLES = ("processor", "controller", "joint_controller")


class RecipientSchema(_Strict):
    name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(RECIPIENT_ROLES))
    country = fields.String(required=True, validate=validate.Length(equal=2))
    # e.g. "EEA (no transfer)", "EU-US Data Privacy Framework", "SCCs (2021/914)".
    transfer_mechanism = fields.String(required=True)
    service = fields.String(load_default="")


class AuditSchema(_Strict):
    """The audit trail: checkpoint cadence, retention of the log, bulk-reveal alert."""

    checkpoint_every_events = fields.Integer(
        load_default=1000, validate=validate.Range(min=1, max=1_000_000)
    )
    checkpoint_every_minutes = fields.Integer(
        load_default=60, validate=validate.Range(min=1, max=10080)
    )
    retention_years = fields.Integer(load_default=5, validate=validate.Range(min=1, max=100))
    bulk_reveal_per_hour = fields.Integer(
        load_default=50, validate=validate.Range(min=1, max=100_000)
    )
    # The sequencer's pass interval and batch size: a committed event is chained within
    # one interval plus one batch (docs/audit.md: the delay bound).
    sequence_interval_ms = fields.Integer(
        load_default=200, validate=validate.Range(min=10, max=1000)
    )
    sequence_batch = fields.Integer(load_default=2000, validate=validate.Range(min=1, max=5000))


class ManifestSchema(_Strict):
    name = fields.String(required=True)
    version = fields.String(required=True, validate=validate.Regexp(r"^\d+\.\d+\.\d+"))
    summary = fields.String(required=True)
    license = fields.String(required=True)
    author = fields.String(required=True)
    depends = fields.List(fields.String(), required=True)
    controller = fields.Nested(ControllerSchema, required=True)
    categories = fields.Dict(
        keys=fields.String(validate=validate.OneOf(CATEGORIES)),
        values=fields.String(),
        required=True,
    )
    roles = fields.Dict(keys=fields.String(), values=fields.Nested(RoleSchema), required=True)
    purposes = fields.Dict(keys=fields.String(), values=fields.Nested(PurposeSchema), required=True)
    jobs = fields.Dict(keys=fields.String(), values=fields.Nested(JobSchema), required=True)
    assets = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    # Role x category access levels and vendor user -> role mapping (plugin/access).
    policies = fields.Nested(PoliciesSchema, load_default=None)
    agent_mapping = fields.Dict(
        keys=fields.String(), values=fields.Nested(VendorMappingSchema), load_default=dict
    )
    recipients = fields.Dict(
        keys=fields.String(), values=fields.Nested(RecipientSchema), load_default=dict
    )
    security_measures = fields.List(fields.String(), load_default=list)
    consent_texts = fields.Dict(
        keys=fields.String(),
        values=fields.Dict(
            keys=fields.String(validate=validate.Regexp(r"^[a-z]{2}$")),
            values=fields.Nested(ConsentTextSourceSchema),
        ),
        load_default=dict,
    )
    # Form name -> YAML file (relative to the manifest) or an inline definition.
    forms = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^[a-z0-9][a-z0-9_-]{0,63}$")),
        values=fields.Raw(),
        load_default=dict,
    )
    compliance = fields.Nested(ComplianceSchema, load_default=dict)
    ingest = fields.Nested(IngestSchema, load_default=lambda: IngestSchema().load({}))
    audit = fields.Nested(AuditSchema, load_default=lambda: AuditSchema().load({}))
    alerts = fields.Nested(AlertsSchema, load_default=lambda: AlertsSchema().load({}))
    # Record of processing (Art. 30): DPO, Datavagt as processor, Art. 30(2), Danish names.
    ropa = fields.Nested(RopaSchema, load_default=lambda: RopaSchema().load({}))

    @validates_schema
    def _cross_references(self, data: dict[str, Any], **_: Any) -> None:
        roles = data.get("roles", {})
        access_references(data)
        ingest_references(data)
        purposes = data.get("purposes", {})
        for section in ("consent_texts",):
            for purpose in data.get(section, {}):
                if purpose not in purposes:
                    raise ValidationError(
                        f"unknown purpose {purpose!r}", field_name=f"{section}.{purpose}"
                    )
        for purpose in data.get("compliance", {}).get("special_category_bases", {}):
            if purpose not in purposes:
                raise ValidationError(
                    f"unknown purpose {purpose!r}",
                    field_name=f"compliance.special_category_bases.{purpose}",
                )
        for role, spec in roles.items():
            for implied in spec["implies"]:
                if implied not in roles:
                    raise ValidationError(
                        f"implies unknown role {implied!r}", field_name=f"roles.{role}.implies"
                    )


@dataclass(frozen=True)
class Manifest:
    """The validated manifest; ``data`` keeps the loaded mapping for later sections."""

    data: dict[str, Any]
    path: Path

    @property
    def purposes(self) -> dict[str, dict[str, Any]]:
        """Purpose code -> purpose definition."""
        return self.data["purposes"]

    @property
    def roles(self) -> dict[str, dict[str, Any]]:
        """Role name -> role definition."""
        return self.data["roles"]

    def implied_roles(self, role: str) -> set[str]:
        """The role itself and every role it implies, transitively."""
        seen: set[str] = set()
        stack = [role]
        while stack:
            current = stack.pop()
            if current in seen or current not in self.roles:
                continue
            seen.add(current)
            stack.extend(self.roles[current]["implies"])
        return seen


def _first_error(messages: Any, prefix: str = "") -> str:
    """Flatten marshmallow's nested messages to 'key.path: problem' for the first error."""
    if isinstance(messages, dict):
        key, value = next(iter(messages.items()))
        if key == "_schema":
            return _first_error(value, prefix)
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and set(value) <= {"key", "value"}:
            return _first_error(value.get("key") or value.get("value"), path)
        return _first_error(value, path)
    if isinstance(messages, list):
        text = messages[0] if messages else "invalid"
        if isinstance(text, dict | list):
            return _first_error(text, prefix)
        return f"{prefix}: {text}" if prefix else str(text)
    return f"{prefix}: {messages}"


def load_manifest(path: Path) -> Manifest:
    """Read and validate the manifest, or raise ManifestError naming the key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(f"manifest {path}: cannot read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ManifestError(f"manifest {path}: not valid YAML") from exc
    if not isinstance(raw, dict):
        raise ManifestError(f"manifest {path}: expected a mapping at the top level")
    try:
        data = ManifestSchema().load(raw)
    except ValidationError as exc:
        raise ManifestError(f"manifest {path}: {_first_error(exc.messages)}") from exc
    return Manifest(data=data, path=path)
