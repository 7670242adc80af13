"""Classifier throughput and structured-identifier recall against Presidio, in one run.

Run: .venv/bin/python bench/classify.py   (needs the `bench` extra: presidio-analyzer, spacy)

Ticket texts of about 1 KB, 10 KB and 100 KB are built from the labelled corpus
(tests/classify/corpus/corpus.jsonl) so both engines see identical texts with known gold
spans. Presidio runs its predefined rule-based recognizers (pattern recognizers plus its
phonenumbers-based phone recognizer, given the same regions as ours: DK, GB, US) on an NLP
engine built from ``spacy.blank("en")``; its NER recognizer is removed (no model download).
Throughput is CPU time of this process (both engines are single-threaded), which keeps the
ratio meaningful on a shared, noisy machine; wall time is printed for reference. Even CPU
time swings by a third on a loaded host, so each size is measured in paired rounds (ours,
then Presidio, each for at least ROUND_SECONDS) and the table shows medians: the ratio
column is the median of the per-round ratios, with the lowest and highest round beside it.

Two rows of ours are measured against the same Presidio rounds: "all" is the default
classifier with every detector, "like-for-like" leaves out the detectors whose types Presidio
finds only with the spaCy NER model removed here (person names, addresses, Art. 9 special
categories), so both engines do the same job: rule-based identifiers and dates.
"""

from __future__ import annotations

import logging
import random
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from statistics import median
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plugin.classify import Classifier  # noqa: E402
from tests.classify.corpus_eval import load_corpus, match  # noqa: E402

SIZES = {"1 KB": (1_000, 30), "10 KB": (10_000, 5), "100 KB": (100_000, 1)}
ROUNDS = {"1 KB": 7, "10 KB": 5, "100 KB": 3}
# Presidio entity -> our type, for the identifiers both engines claim to find.
PRESIDIO_TYPES = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "payment_card",
    "IBAN_CODE": "iban",
    "IP_ADDRESS": "ip_address",
}
STRUCTURED = (
    "email", "phone", "payment_card", "iban", "ip_address", "cpr", "cvr", "bank_account", "passport"
)  # fmt: skip
ROUND_SECONDS = 0.3  # each engine repeats the set at least this long in every round
# Presidio finds PERSON, LOCATION and NRP only through its NER model, which is removed here.
NER_ONLY_DETECTORS = frozenset({"person_name", "requester", "postal_address", "special_category"})
TARGET = 20.0

Text = dict[str, Any]
Predict = Callable[[str], list[tuple[str, int, int]]]


def build_texts(docs: list[dict[str, Any]], size: int, count: int, seed: int) -> list[Text]:
    """Concatenate shuffled corpus documents into ``count`` texts of at least ``size`` chars."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts: list[str] = []
        spans: list[tuple[str, int, int]] = []
        length = 0
        while length < size:
            doc = rng.choice(docs)
            spans += [(s["type"], length + s["start"], length + s["end"]) for s in doc["spans"]]
            parts.append(doc["text"] + "\n\n")
            length += len(doc["text"]) + 2
        texts.append({"text": "".join(parts), "spans": spans})
    return texts


def presidio_engine() -> Predict:
    """Presidio's analyzer with rule-based recognizers on a blank spaCy pipeline."""
    import spacy
    import tldextract
    import tldextract.tldextract
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer, SpacyRecognizer

    # Offline: use tldextract's bundled suffix list instead of fetching it on first use.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": "blank"}])
    nlp_engine.nlp = {"en": spacy.blank("en")}
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
    registry.remove_recognizer(SpacyRecognizer.__name__)
    registry.remove_recognizer(PhoneRecognizer.__name__)
    registry.add_recognizer(PhoneRecognizer(supported_regions=("DK", "GB", "US")))
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=["en"])

    def predict(text: str) -> list[tuple[str, int, int]]:
        return [
            (PRESIDIO_TYPES.get(r.entity_type, r.entity_type), r.start, r.end)
            for r in analyzer.analyze(text, language="en")
        ]

    return predict


def ours_engine(like_for_like: bool = False) -> Predict:
    """Datavagt's default classifier, or only its detectors with a Presidio counterpart."""
    config = {}
    if like_for_like:
        names = Classifier().registry.names
        config = {"enabled": [n for n in names if n not in NER_ONLY_DETECTORS]}
    classifier = Classifier(config)

    def predict(text: str) -> list[tuple[str, int, int]]:
        return [(f.type, f.start, f.end) for f in classifier.classify(text)]

    return predict


def throughput(predict: Predict, texts: list[Text], min_seconds: float) -> float:
    """Characters per CPU second over the texts, repeating the set until ``min_seconds``."""
    chars = sum(len(t["text"]) for t in texts)
    rounds = 0
    started = time.process_time()
    while True:
        for text in texts:
            predict(text["text"])
        rounds += 1
        elapsed = time.process_time() - started
        if elapsed >= min_seconds:
            return chars * rounds / elapsed


def recall(predict: Predict, texts: list[Text]) -> dict[str, tuple[int, int]]:
    """(found, gold) per structured type over the texts."""
    counts = {kind: [0, 0] for kind in STRUCTURED}
    for text in texts:
        found = predict(text["text"])
        for kind in STRUCTURED:
            gold = [s for s in text["spans"] if s[0] == kind]
            tp, _fp, fn = match(gold, [f for f in found if f[0] == kind])
            counts[kind][0] += tp
            counts[kind][1] += tp + fn
    return {kind: (tp, total) for kind, (tp, total) in counts.items()}


def main() -> None:
    """Measure both engines on the same texts and print throughput, ratio and recall."""
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    docs = load_corpus()
    sets = {
        label: build_texts(docs, size, count, seed=i)
        for i, (label, (size, count)) in enumerate(SIZES.items())
    }
    engines = {"all": ours_engine(), "like-for-like": ours_engine(like_for_like=True)}
    started = time.perf_counter()
    presidio = presidio_engine()
    print(f"presidio set-up: {time.perf_counter() - started:.1f}s")
    # Warm every engine (lazy lexicons, compiled patterns, spaCy vocab) before timing.
    for text in sets["1 KB"]:
        for predict in (*engines.values(), presidio):
            predict(text["text"])

    wall = time.perf_counter()
    print(
        f"\n{'size':>7} {'texts':>5} {'ours':>13} {'ours KB/s':>10} {'presidio KB/s':>14} "
        f"{'ratio':>7}  {'rounds min..max':>15}"
    )
    missed = []
    for label, texts in sets.items():
        rates: dict[str, list[float]] = {name: [] for name in (*engines, "presidio")}
        ratios: dict[str, list[float]] = {name: [] for name in engines}
        for _ in range(ROUNDS[label]):
            # Paired rounds: every engine meets the same stretch of machine noise.
            presidio_rate = throughput(presidio, texts, ROUND_SECONDS)
            rates["presidio"].append(presidio_rate)
            for name, predict in engines.items():
                rate = throughput(predict, texts, ROUND_SECONDS)
                rates[name].append(rate)
                ratios[name].append(rate / presidio_rate)
        for name in engines:
            ratio = median(ratios[name])
            if name == "like-for-like" and ratio < TARGET:
                missed.append(label)
            print(
                f"{label:>7} {len(texts):5d} {name:>13} {median(rates[name]) / 1000:10.1f} "
                f"{median(rates['presidio']) / 1000:14.1f} {ratio:6.1f}x  "
                f"{min(ratios[name]):6.1f}x..{max(ratios[name]):.1f}x"
            )

    print(f"(KB/s of CPU time; timing took {time.perf_counter() - wall:.0f}s wall)")
    verdict = f"missed at {', '.join(missed)}" if missed else "met at every size"
    print(f"target >= {TARGET:.0f}x like-for-like: {verdict}")
    everything = [t for texts in sets.values() for t in texts]
    ours_recall = recall(engines["all"], everything)
    presidio_recall = recall(presidio, everything)
    print(f"\n{'recall':14} {'gold':>5} {'ours':>7} {'presidio':>9}")
    both_ours = both_presidio = both_gold = 0
    for kind in STRUCTURED:
        tp, gold = ours_recall[kind]
        ptp, _ = presidio_recall[kind]
        note = "" if kind in PRESIDIO_TYPES.values() else "  (no Presidio recognizer)"
        if gold:
            print(f"{kind:14} {gold:5d} {tp / gold:7.3f} {ptp / gold:9.3f}{note}")
        if kind in PRESIDIO_TYPES.values():
            both_ours += tp
            both_presidio += ptp
            both_gold += gold
    print(
        f"{'shared types':14} {both_gold:5d} {both_ours / both_gold:7.3f} "
        f"{both_presidio / both_gold:9.3f}"
    )
    # The like-for-like engine runs the same structured detectors: its recall must match.
    if recall(engines["like-for-like"], everything) != ours_recall:
        print("like-for-like recall differs from the full classifier's")


if __name__ == "__main__":
    main()
