"""Form definitions from the manifest's ``forms:`` section (inline or YAML files it names)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from plugin.manifest import CATEGORIES, Manifest, ManifestError, _first_error

LANGUAGES = ("da", "en")
FIELD_TYPES = ("text", "textarea", "email", "phone", "choice")
RESERVED = frozenset({"csrf_token", "consent_shown", "consent_given", "lang"})


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class LabelSchema(_Strict):
    da = fields.String(required=True, validate=validate.Length(min=1, max=500))
    en = fields.String(required=True, validate=validate.Length(min=1, max=500))


class FieldSchema(_Strict):
    name = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,39}$"))
    type = fields.String(required=True, validate=validate.OneOf(FIELD_TYPES))
    category = fields.String(load_default=None, validate=validate.OneOf(CATEGORIES))
    required = fields.Boolean(load_default=False)
    max_length = fields.Integer(load_default=None, validate=validate.Range(min=1, max=20000))
    choices = fields.List(fields.String(), load_default=list)
    choice_labels = fields.Dict(keys=fields.String(), values=fields.Nested(LabelSchema))
    label = fields.Nested(LabelSchema, required=True)

    @validates_schema
    def _coherent(self, data: dict[str, Any], **_: Any) -> None:
        if data["type"] == "choice" and not data["choices"]:
            raise ValidationError("a choice field needs choices", field_name="choices")
        if data["name"] in RESERVED:
            raise ValidationError("reserved field name", field_name="name")


class ConsentBoxSchema(_Strict):
    purpose = fields.String(required=True)
    explicit = fields.Boolean(load_default=False)
    required = fields.Boolean(load_default=False)


class FormSchema(_Strict):
    purpose = fields.String(required=True)
    vendor = fields.String(load_default=None)
    title = fields.Nested(LabelSchema, required=True)
    intro = fields.Nested(LabelSchema, load_default=None)
    ticket_subject = fields.Nested(LabelSchema, required=True)
    fields_ = fields.List(
        fields.Nested(FieldSchema),
        data_key="fields",
        required=True,
        validate=validate.Length(1, 40),
    )
    consents = fields.List(fields.Nested(ConsentBoxSchema), load_default=list)


@dataclass(frozen=True)
class FormField:
    """One input: its data category (None: not personal by itself) and validation."""

    name: str
    type: str
    label: dict[str, str]
    category: str | None = None
    required: bool = False
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    choice_labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def limit(self) -> int:
        """The longest value accepted."""
        defaults = {"email": 254, "phone": 32, "choice": 64, "text": 200, "textarea": 4000}
        return self.max_length or defaults[self.type]


@dataclass(frozen=True)
class ConsentBox:
    """A consent checkbox bound to a purpose's current text (explicit for special data)."""

    purpose: str
    explicit: bool = False
    required: bool = False


@dataclass(frozen=True)
class FormDefinition:
    """A validated intake form."""

    name: str
    purpose: str
    title: dict[str, str]
    ticket_subject: dict[str, str]
    fields: tuple[FormField, ...]
    consents: tuple[ConsentBox, ...] = ()
    intro: dict[str, str] | None = None
    vendor: str | None = None

    def field(self, name: str) -> FormField | None:
        """The declared field called ``name``."""
        return next((f for f in self.fields if f.name == name), None)


def _raw(manifest: Manifest, name: str, spec: Any) -> dict[str, Any]:
    if isinstance(spec, dict):
        return spec
    if not isinstance(spec, str):
        raise ManifestError(f"manifest {manifest.path}: forms.{name}: expected a file or mapping")
    path = manifest.path.parent / spec
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ManifestError(
            f"manifest {manifest.path}: forms.{name}: cannot read {spec} as YAML"
        ) from exc
    if not isinstance(data, dict):
        raise ManifestError(f"manifest {manifest.path}: forms.{name}: {spec} is not a mapping")
    return data


def _check(manifest: Manifest, name: str, data: dict[str, Any]) -> None:
    """Cross-checks that make over-collection a start-up error, not a runtime surprise."""
    where = f"manifest {manifest.path}: forms.{name}"
    purpose = manifest.purposes.get(data["purpose"])
    if purpose is None:
        raise ManifestError(f"{where}.purpose: unknown purpose {data['purpose']!r}")
    for item in data["fields_"]:
        if item["category"] and item["category"] not in purpose["allowed_categories"]:
            raise ManifestError(
                f"{where}.fields.{item['name']}: category {item['category']!r} is not allowed "
                f"for purpose {data['purpose']!r} (data minimisation)"
            )
    names = [item["name"] for item in data["fields_"]]
    if len(set(names)) != len(names):
        raise ManifestError(f"{where}.fields: duplicate field names")
    if not {"email", "phone"} & {item["type"] for item in data["fields_"]}:
        raise ManifestError(f"{where}.fields: needs an email or phone field to identify the person")
    for box in data["consents"]:
        if box["purpose"] not in manifest.data.get("consent_texts", {}):
            raise ManifestError(
                f"{where}.consents: purpose {box['purpose']!r} has no consent_texts entry"
            )
    if purpose["legal_basis"] == "consent" and not any(
        b["purpose"] == data["purpose"] and b["required"] for b in data["consents"]
    ):
        raise ManifestError(
            f"{where}.consents: purpose {data['purpose']!r} rests on consent, so its box "
            "must be required"
        )


def load_forms(manifest: Manifest) -> dict[str, FormDefinition]:
    """Every form the manifest names, validated; ManifestError names the bad key."""
    forms: dict[str, FormDefinition] = {}
    for name, spec in manifest.data.get("forms", {}).items():
        try:
            data = FormSchema().load(_raw(manifest, name, spec))
        except ValidationError as exc:
            raise ManifestError(
                f"manifest {manifest.path}: forms.{name}.{_first_error(exc.messages)}"
            ) from exc
        _check(manifest, name, data)
        forms[name] = FormDefinition(
            name=name,
            purpose=data["purpose"],
            title=data["title"],
            ticket_subject=data["ticket_subject"],
            intro=data["intro"],
            vendor=data["vendor"],
            fields=tuple(
                FormField(
                    name=f["name"],
                    type=f["type"],
                    label=f["label"],
                    category=f["category"],
                    required=f["required"],
                    max_length=f["max_length"],
                    choices=tuple(f["choices"]),
                    choice_labels=f.get("choice_labels") or {},
                )
                for f in data["fields_"]
            ),
            consents=tuple(ConsentBox(**box) for box in data["consents"]),
        )
    return forms
