"""Precision, recall and F1 per type of classifier findings against the gold corpus."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "corpus" / "corpus.jsonl"

Span = tuple[str, int, int]


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    """Read the JSONL corpus."""
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@dataclass
class Score:
    """Counts for one type and the derived metrics."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def match(gold: Iterable[Span], found: Iterable[Span]) -> tuple[int, int, int]:
    """Count (tp, fp, fn): a found span matches one unused gold span of its type it overlaps."""
    gold_left = list(gold)
    tp = fp = 0
    for kind, start, end in sorted(found, key=lambda s: s[1]):
        hit = next(
            (g for g in gold_left if g[0] == kind and g[1] < end and start < g[2]),
            None,
        )
        if hit is None:
            fp += 1
        else:
            tp += 1
            gold_left.remove(hit)
    return tp, fp, len(gold_left)


def evaluate(
    docs: list[dict[str, Any]], predict: Callable[[dict[str, Any]], list[Span]]
) -> dict[str, Score]:
    """Score ``predict`` (document -> spans) on every document, per type."""
    scores: dict[str, Score] = {}
    for doc in docs:
        gold = [(s["type"], s["start"], s["end"]) for s in doc["spans"]]
        found = predict(doc)
        for kind in {g[0] for g in gold} | {f[0] for f in found}:
            tp, fp, fn = match(
                [g for g in gold if g[0] == kind], [f for f in found if f[0] == kind]
            )
            score = scores.setdefault(kind, Score())
            score.tp += tp
            score.fp += fp
            score.fn += fn
    return scores


def table(scores: dict[str, Score]) -> str:
    """Render the scores as a fixed-width table."""
    rows = [
        f"{'type':20} {'gold':>5} {'tp':>5} {'fp':>5} {'fn':>5} {'prec':>6} {'rec':>6} {'f1':>6}"
    ]
    for kind in sorted(scores):
        s = scores[kind]
        rows.append(
            f"{kind:20} {s.tp + s.fn:5d} {s.tp:5d} {s.fp:5d} {s.fn:5d} "
            f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
        )
    return "\n".join(rows)


def type_counts(docs: list[dict[str, Any]]) -> Counter[str]:
    """Count gold spans per type."""
    return Counter(s["type"] for doc in docs for s in doc["spans"])
