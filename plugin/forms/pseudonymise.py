"""Turn a validated submission into CRM-safe text: personal data replaced by tokens."""

from __future__ import annotations

from dataclasses import dataclass

from plugin.classify import Classifier, Hints
from plugin.forms.definition import FormDefinition, FormField
from plugin.ingest.tokens import DOT, TOKENS, token_for

# Declared fields carry their category; the token type follows the field's input type.
CATEGORY_TOKENS = {"identity": "person_name", "location": "postal_address"}


@dataclass(frozen=True)
class Piece:
    """One original value that goes to the vault, and the token the CRM gets instead."""

    field: str
    type: str
    category: str
    start: int
    end: int
    value: str
    token: str
    detector: str
    score: float = 1.0


def _declared_type(item: FormField) -> str:
    if item.type in ("email", "phone"):
        return item.type
    return CATEGORY_TOKENS.get(item.category or "", item.category or "personal")


def _token(kind: str, value: str) -> str:
    # Unknown kinds (e.g. a declared "financial" field) get a kind-only mask.
    return token_for(kind, value) if kind in TOKENS else f"[{kind} {DOT * 3}]"


def _free_text(
    classifier: Classifier, item: FormField, value: str, hints: Hints
) -> tuple[str, list[Piece]]:
    """Classify free text and splice tokens in place of every finding."""
    findings = classifier.classify(value, lang="auto", hints=hints)
    pieces: list[Piece] = []
    out: list[str] = []
    cursor = 0
    for found in findings:
        original = found.value_in(value)
        token = _token(found.type, original)
        out.append(value[cursor : found.start])
        out.append(token)
        cursor = found.end
        pieces.append(
            Piece(
                field=item.name,
                type=found.type,
                category=found.category,
                start=found.start,
                end=found.end,
                value=original,
                token=token,
                detector=found.detector,
                score=found.score,
            )
        )
    out.append(value[cursor:])
    return "".join(out), pieces


def pseudonymise(
    form: FormDefinition, values: dict[str, str], classifier: Classifier
) -> tuple[dict[str, str], list[Piece]]:
    """(field -> CRM-safe text, pieces to vault) for a validated submission."""
    names = [values[f.name] for f in form.fields if f.category == "identity" and f.name in values]
    emails = [values[f.name] for f in form.fields if f.type == "email" and f.name in values]
    hints = Hints(names=tuple(names), emails=tuple(emails))
    safe: dict[str, str] = {}
    pieces: list[Piece] = []
    for item in form.fields:
        value = values.get(item.name)
        if value is None:
            continue
        if item.category:
            kind = _declared_type(item)
            token = _token(kind, value)
            safe[item.name] = token
            pieces.append(
                Piece(item.name, kind, item.category, 0, len(value), value, token, "form")
            )
        elif item.type == "choice":
            safe[item.name] = value  # one of the form's own words, never personal data
        else:
            safe[item.name], found = _free_text(classifier, item, value, hints)
            pieces.extend(found)
    return safe, pieces
