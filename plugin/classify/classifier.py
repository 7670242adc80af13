"""The classifier: runs the configured detectors over a text and resolves overlaps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from plugin.classify.document import Document
from plugin.classify.finding import Finding, Hints
from plugin.classify.html import html_to_text
from plugin.classify.language import resolve_language
from plugin.classify.overlap import resolve_overlaps
from plugin.classify.registry import DetectorRegistry

#: Findings scoring below this are dropped (context-less weak matches).
DEFAULT_MIN_SCORE = 0.5
# Hints are frozen: one empty instance serves every call without hints.
_NO_HINTS = Hints()


def as_text(value: str | bytes | None) -> str:
    """Decode input to text; invalid UTF-8 becomes U+FFFD instead of failing."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", errors="replace")
    return value


def field_text(value: str | bytes | None, is_html: bool = False) -> str:
    """Return the text form of a field: the text that findings' offsets refer to."""
    text = as_text(value)
    return html_to_text(text) if is_html else text


class Classifier:
    """Finds personal data in text with the detectors the configuration switches on."""

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        config = dict(config or {})
        self.registry = DetectorRegistry.from_config(config)
        self.min_score = float(config.get("min_score", DEFAULT_MIN_SCORE))
        self.disabled_types = frozenset(config.get("disabled_types", ()))

    def classify(
        self, text: str | bytes, lang: str = "auto", hints: Hints | None = None
    ) -> list[Finding]:
        """Return non-overlapping findings in ``text``, ordered by start offset."""
        text = as_text(text)
        resolve_language("", lang if lang != "auto" else "da")  # reject a bad lang early
        if not text or text.isspace():  # no stripped copy of a long body
            return []
        doc = Document(text, lang, hints or _NO_HINTS)
        found: list[Finding] = []
        keep = found.append
        min_score, disabled = self.min_score, self.disabled_types
        for detector in self.registry:
            for finding in detector.detect(doc):
                if finding.score >= min_score and finding.type not in disabled:
                    keep(finding)
        return resolve_overlaps(found)

    def classify_field(
        self,
        field_name: str,
        value: str | bytes | None,
        is_html: bool = False,
        lang: str = "auto",
        hints: Hints | None = None,
    ) -> list[Finding]:
        """Classify one ticket field; offsets refer to :func:`field_text` of the value."""
        text = field_text(value, is_html)
        return [replace(f, field=field_name) for f in self.classify(text, lang, hints)]
