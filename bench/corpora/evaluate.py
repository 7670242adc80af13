"""Score an engine on the frozen sets: per type, per group, and the issue's targets.

A found span is right when it overlaps an unused gold span of the same type (or, for a
group row, of a type in the same group). Texts from public NER corpora carry
``scored: ["person_name"]``: only that type is counted on them, since they label nothing
else (their e-mail addresses and phone numbers are not annotated).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
Span = tuple[str, int, int]
Predict = Callable[[str], list[Span]]

SPECIAL = frozenset(
    {"health", "religion", "trade_union", "ethnicity", "politics", "sexual_orientation",
     "biometric", "genetic"}
)  # fmt: skip
INDIRECT = frozenset({"age", "profession", "family_relation", "nationality"})
NATIONAL_IDS = frozenset(
    {"cpr", "us_ssn", "uk_nino", "se_personnummer", "no_fodselsnummer", "de_steuer_id"}
)


def load(split: str) -> list[dict[str, Any]]:
    """The texts of ``split`` ("dev" or "test")."""
    with (HERE / f"{split}.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@dataclass
class Score:
    """Counts for one row and the derived metrics."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: tuple[int, int, int]) -> None:
        self.tp += other[0]
        self.fp += other[1]
        self.fn += other[2]


def match(gold: Iterable[Span], found: Iterable[Span]) -> tuple[int, int, int]:
    """(tp, fp, fn): each found span takes at most one overlapping gold span of its type."""
    left = list(gold)
    tp = fp = 0
    for kind, start, end in sorted(found, key=lambda s: s[1]):
        hit = next((g for g in left if g[0] == kind and g[1] < end and start < g[2]), None)
        if hit is None:
            fp += 1
        else:
            tp += 1
            left.remove(hit)
    return tp, fp, len(left)


def group_of(kind: str) -> str:
    """The row a type counts in for grouped targets."""
    if kind in SPECIAL:
        return "art9"
    if kind in INDIRECT:
        return "indirect"
    return "direct"


@dataclass
class Run:
    """Gold and found spans of one engine on one split, per text."""

    docs: list[dict[str, Any]]
    found: list[list[Span]]

    def pairs(self, where: Callable[[dict[str, Any]], bool] = lambda d: True):  # type: ignore[no-untyped-def]
        """(doc, gold, found) restricted to each text's scored types."""
        for doc, found in zip(self.docs, self.found, strict=True):
            if not where(doc):
                continue
            scored = doc["scored"]
            gold = [(s["type"], s["start"], s["end"]) for s in doc["spans"]]
            if scored is not None:
                found = [f for f in found if f[0] in scored]
            yield doc, gold, found

    def per_type(self) -> dict[str, Score]:
        """Score per finding type."""
        scores: dict[str, Score] = {}
        for _doc, gold, found in self.pairs():
            for kind in {g[0] for g in gold} | {f[0] for f in found}:
                scores.setdefault(kind, Score()).add(
                    match([g for g in gold if g[0] == kind], [f for f in found if f[0] == kind])
                )
        return scores

    def grouped(
        self,
        where: Callable[[dict[str, Any]], bool],
        types: Callable[[str], bool] = lambda k: True,
        by_group: bool = False,
    ) -> Score:
        """One score over the texts ``where`` and the types ``types`` (optionally by group)."""
        score = Score()
        rename = group_of if by_group else (lambda k: k)
        for _doc, gold, found in self.pairs(where):
            g = [(rename(k), s, e) for k, s, e in gold if types(k)]
            f = [(rename(k), s, e) for k, s, e in found if types(k)]
            for kind in {x[0] for x in g} | {x[0] for x in f}:
                score.add(match([x for x in g if x[0] == kind], [x for x in f if x[0] == kind]))
        return score


def run(predict: Predict, docs: list[dict[str, Any]]) -> Run:
    """Apply ``predict`` to every text."""
    return Run(docs, [predict(doc["text"]) for doc in docs])


def english(doc: dict[str, Any]) -> bool:
    return doc["lang"] == "en"


def danish_mail(doc: dict[str, Any]) -> bool:
    return doc["source"] == "faker:da_DK"


def danish(doc: dict[str, Any]) -> bool:
    return doc["lang"] == "da"


def danish_news(doc: dict[str, Any]) -> bool:
    return doc["source"] == "uner-ddt"


def _type(name: str) -> Callable[[str], bool]:
    return lambda kind: kind == name


def _direct(kind: str) -> bool:
    return group_of(kind) == "direct"


#: (label, target, metric, texts, types, by group) -- the issue's table.
TARGETS: tuple[tuple[str, float, str, Callable[..., bool], Callable[[str], bool], bool], ...] = (
    *(
        (f"en {kind} recall", goal, "recall", english, _type(kind), False)
        for kind, goal in (
            ("email", 0.98),
            ("phone", 0.90),
            ("payment_card", 0.95),
            ("iban", 0.95),
            ("ip_address", 0.95),
            ("person_name", 0.85),
            ("postal_address", 0.60),
            ("us_ssn", 0.90),
        )  # fmt: skip
    ),
    ("en precision (all findings)", 0.90, "precision", english, lambda k: True, True),
    ("da direct identifiers recall", 0.90, "recall", danish_mail, _direct, True),
    ("da persons in news recall", 0.80, "recall", danish_news, _type("person_name"), False),
    ("da precision (all findings)", 0.90, "precision", danish, lambda k: True, True),
    ("da indirect recall", 0.50, "recall", danish_mail, lambda k: k in INDIRECT, True),
    ("art9 precision", 0.90, "precision", lambda d: True, lambda k: k in SPECIAL, True),
    ("art9 recall", 0.90, "recall", lambda d: True, lambda k: k in SPECIAL, True),
)


def target_rows(result: Run) -> list[tuple[str, float, Score, float]]:
    """(label, target, score, value) for every target."""
    rows = []
    for label, goal, metric, where, types, by_group in TARGETS:
        score = result.grouped(where, types, by_group)
        rows.append((label, goal, score, getattr(score, metric)))
    return rows
