"""Shared helpers for the classifier tests."""

from __future__ import annotations

from functools import cache

from plugin.classify import Classifier, Finding, Hints


@cache
def only(detector: str) -> Classifier:
    """A classifier with just one detector switched on."""
    return Classifier({"enabled": [detector]})


def spans(
    detector: str, text: str, lang: str = "auto", hints: Hints | None = None
) -> list[tuple[str, str]]:
    """Return (type, covered text) of each finding of one detector."""
    findings = only(detector).classify(text, lang=lang, hints=hints)
    for finding in findings:
        assert isinstance(finding, Finding)
        assert finding.detector == detector
    return [(f.type, f.value_in(text)) for f in findings]
