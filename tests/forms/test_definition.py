"""Form definitions: over-collection and incoherent forms stop start-up with a clear message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from plugin.config import ROOT
from plugin.forms.definition import load_forms
from plugin.manifest import ManifestError, load_manifest

FIELD_EMAIL = {
    "name": "email",
    "type": "email",
    "category": "contact",
    "label": {"da": "E", "en": "E"},
}


def _manifest(tmp_path: Path, form: dict[str, Any]) -> Path:
    data = yaml.safe_load((ROOT / "manifest.yaml").read_text(encoding="utf-8"))
    # Consent text files are named relative to the manifest: point them at the shipped ones.
    for languages in data["consent_texts"].values():
        for source in languages.values():
            if "file" in source:
                source["file"] = str(ROOT / source["file"])
    data["forms"] = {"probe": form}
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _form(**changes: Any) -> dict[str, Any]:
    form = {
        "purpose": "support",
        "title": {"da": "T", "en": "T"},
        "ticket_subject": {"da": "S", "en": "S"},
        "fields": [FIELD_EMAIL],
    }
    form.update(changes)
    return form


def test_shipped_forms_load() -> None:
    forms = load_forms(load_manifest(ROOT / "manifest.yaml"))
    assert set(forms) == {"contact", "newsletter"}
    assert forms["contact"].field("message").limit == 4000


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            _form(fields=[FIELD_EMAIL, {**FIELD_EMAIL, "name": "iban", "category": "financial"}]),
            "category 'financial' is not allowed for purpose 'support'",
        ),
        (_form(purpose="nope"), "unknown purpose 'nope'"),
        (_form(fields=[FIELD_EMAIL, FIELD_EMAIL]), "duplicate field names"),
        (
            _form(fields=[{**FIELD_EMAIL, "type": "text", "name": "x"}]),
            "needs an email or phone field",
        ),
        (_form(purpose="marketing"), "must be required"),
        (_form(consents=[{"purpose": "complaint"}]), "has no consent_texts entry"),
        (_form(fields=[{**FIELD_EMAIL, "name": "csrf_token"}]), "reserved field name"),
        (_form(fields=[{**FIELD_EMAIL, "colour": "red"}]), "colour"),
        (_form(fields=[{**FIELD_EMAIL, "type": "choice"}]), "needs choices"),
    ],
)
def test_bad_forms_are_refused(tmp_path: Path, form: dict[str, Any], message: str) -> None:
    with pytest.raises(ManifestError, match="forms.probe") as info:
        load_forms(load_manifest(_manifest(tmp_path, form)))
    assert message in str(info.value)
