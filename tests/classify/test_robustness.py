"""Robustness: invalid UTF-8, empty input, odd characters and a 5 MB body."""

from __future__ import annotations

import time

import pytest

from plugin.classify import Classifier, Finding, Hints
from tests.classify.corpus_eval import load_corpus


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier()


@pytest.mark.parametrize("empty", ["", "   \n\t", b"", None])
def test_empty_input(classifier: Classifier, empty: str | bytes | None) -> None:
    assert classifier.classify(empty) == []  # type: ignore[arg-type]


def test_invalid_utf8_keeps_everything_after_the_bad_bytes(classifier: Classifier) -> None:
    raw = b"Hej \xff\xfe\xc3 mit cpr er 150372-1003, mail a@b.dk \xed\xa0\x80 tlf. 20123456"
    findings = classifier.classify(raw)
    text = raw.decode("utf-8", errors="replace")
    assert [(f.type, f.value_in(text)) for f in findings] == [
        ("cpr", "150372-1003"),
        ("email", "a@b.dk"),
        ("phone", "20123456"),
    ]


def test_offsets_are_characters_not_bytes(classifier: Classifier) -> None:
    text = "Ærø 😀 født 12.03.1985 og så"
    (finding,) = classifier.classify(text)
    assert text[finding.start : finding.end] == "12.03.1985"
    assert finding.start == text.index("12.03.1985")


def test_text_whose_lower_case_changes_length(classifier: Classifier) -> None:
    text = "İstanbul: Jeg har diabetes"
    (finding,) = classifier.classify(text)
    assert finding.value_in(text) == "diabetes"


def test_bad_lang_is_rejected(classifier: Classifier) -> None:
    with pytest.raises(ValueError, match="lang must be one of"):
        classifier.classify("hej", lang="de")


def test_finding_validates_itself() -> None:
    with pytest.raises(ValueError, match="category"):
        Finding("x", "misc", 0, 1, 1.0, "d")
    with pytest.raises(ValueError, match="span"):
        Finding("x", "contact", 3, 3, 1.0, "d")


def test_five_megabyte_body(classifier: Classifier) -> None:
    docs = load_corpus()
    chunk = "\n\n".join(d["text"] for d in docs) + "\n\n"
    body = (chunk * (5_000_000 // len(chunk) + 1))[:5_000_000]
    copies = len(body) // len(chunk)
    # CPU time, not wall time: the test must not fail because the machine is shared.
    cpu, wall = time.process_time(), time.perf_counter()
    findings = classifier.classify(body, hints=Hints(names=["Jens Hansen"]))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert cpu < 15, f"5 MB took {cpu:.1f}s of CPU"
    per_chunk = len(classifier.classify(chunk, hints=Hints(names=["Jens Hansen"])))
    # Every copy of the corpus is found in full: nothing is dropped on a long body.
    assert len(findings) >= per_chunk * copies
    assert findings == sorted(findings, key=lambda f: f.start)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))
    print(f"\n5 MB: {cpu:.2f}s CPU, {wall:.2f}s wall, {len(findings)} findings")


@pytest.mark.parametrize(
    "body",
    ["a@" * 100_000, "1234567890" * 20_000, "ab:" * 70_000, "1.2." * 50_000, "Hej " * 50_000],
    ids=["at-signs", "digits", "colons", "dots", "greetings"],
)
def test_pathological_bodies_stay_linear(classifier: Classifier, body: str) -> None:
    started = time.process_time()
    classifier.classify(body)
    assert time.process_time() - started < 3
