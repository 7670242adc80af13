"""The dev and frozen test sets of bench/corpora: unchanged, consistent, reproducible."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

CORPORA = Path(__file__).resolve().parents[2] / "bench" / "corpora"
sys.path.insert(0, str(CORPORA))

import make_sets as build  # noqa: E402
import templates_dev  # noqa: E402
import templates_test  # noqa: E402

MANIFEST = json.loads((CORPORA / "MANIFEST.json").read_text())


def load(split: str) -> list[dict[str, Any]]:
    with (CORPORA / f"{split}.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_set_matches_its_manifest(split: str) -> None:
    digest = hashlib.sha256((CORPORA / f"{split}.jsonl").read_bytes()).hexdigest()
    assert digest == MANIFEST["sha256"][split], "set changed: rebuild and update MANIFEST.json"


@pytest.mark.parametrize("split", ["dev", "test"])
def test_gold_spans_cover_trimmed_text(split: str) -> None:
    docs = load(split)
    assert 800 <= len(docs) <= 3000
    for doc in docs:
        assert doc["scored"] is None or doc["scored"] == ["person_name"]
        for span in doc["spans"]:
            value = doc["text"][span["start"] : span["end"]]
            assert value and value == value.strip(), (doc["id"], span)
            assert doc["scored"] is None or span["type"] in doc["scored"]


def test_dev_and_test_share_no_template_text_or_seed() -> None:
    assert not set(templates_dev.DA + templates_dev.EN) & set(templates_test.DA + templates_test.EN)
    assert build.SPLITS["dev"][1] != build.SPLITS["test"][1]
    dev_texts = {d["text"] for d in load("dev")}
    shared = [d["id"] for d in load("test") if d["text"] in dev_texts]
    assert not shared


@pytest.mark.parametrize("split", ["dev", "test"])
def test_synthetic_part_rebuilds_from_templates_and_seed(split: str) -> None:
    import faker

    if faker.VERSION != MANIFEST["faker"]:
        pytest.skip(f"built with Faker {MANIFEST['faker']}, installed {faker.VERSION}")
    committed = [d for d in load(split) if d["source"].startswith("faker:")]
    assert build.synthetic(split) == committed


def test_render_labels_slots_and_inline_spans() -> None:
    fill = build.Fillers("en_GB", 1)
    text, spans = build.render("Hi [[age|{-|age} years]] {person_name|first}.", fill)
    kinds = [(s["type"], text[s["start"] : s["end"]]) for s in spans]
    assert kinds[0][0] == "age" and kinds[0][1].endswith(" years")
    assert kinds[1][0] == "person_name" and text.endswith(kinds[1][1] + ".")
