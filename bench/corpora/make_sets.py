"""Build the frozen evaluation sets bench/corpora/{dev,test}.jsonl (see README.md).

Run: .venv/bin/python bench/corpora/make_sets.py --dane DIR --ewt DIR
(DIR: checkouts of the public NER repositories named in README.md). The output is
committed; rebuilding with the same inputs gives byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

import time_machine

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import templates_dev  # noqa: E402
import templates_test  # noqa: E402
from fillers import Fillers  # noqa: E402

LOCALES = ("da_DK", "en_GB", "en_US", "de_DE", "sv_SE", "no_NO", "fr_FR")
NATIONAL_ID = {
    "da_DK": ("cpr", "cpr"), "en_GB": ("uk_nino", "nino"), "en_US": ("us_ssn", "ssn_us"),
    "de_DE": ("de_steuer_id", "steuer_id"), "sv_SE": ("se_personnummer", "personnummer"),
    "no_NO": ("no_fodselsnummer", "fodselsnummer"), "fr_FR": ("cpr", "cpr"),
}  # fmt: skip
SPLITS = {"dev": (templates_dev, 1801), "test": (templates_test, 1802)}
DOCS_PER_LOCALE = 80
# Faker dates birth dates (CPR, SSN, personnummer …) back from today: pin the day the sets
# were built, so a rebuild on any later day gives the committed files byte for byte.
BUILT_ON = "2026-12-07 12:00:00+00:00"
TOKEN = re.compile(r"\[\[([a-z_]+)\||\]\]|\{([a-z_\-]+)\|([a-z_0-9]+)\}")
# Public NER corpora label persons only: score just that type on them.
NER_TYPES = ["person_name"]


def render(template: str, fill: Fillers) -> tuple[str, list[dict[str, Any]]]:
    """Fill the slots of ``template``; return the text and its gold spans."""
    out: list[str] = []
    spans: list[dict[str, Any]] = []
    open_spans: list[tuple[str, int]] = []
    length = 0
    pos = 0
    for token in TOKEN.finditer(template):
        literal = template[pos : token.start()]
        out.append(literal)
        length += len(literal)
        pos = token.end()
        if token.group(1):
            open_spans.append((token.group(1), length))
        elif token.group(0) == "]]":
            kind, start = open_spans.pop()
            spans.append({"type": kind, "start": start, "end": length})
        else:
            kind, generator = token.group(2), token.group(3)
            if kind == "natid":
                kind, generator = NATIONAL_ID[fill.locale]
            value = fill.fill(generator)
            out.append(value)
            if kind != "-":
                spans.append({"type": kind, "start": length, "end": length + len(value)})
            length += len(value)
    out.append(template[pos:])
    assert not open_spans, template
    return "".join(out), sorted(spans, key=lambda s: (s["start"], s["end"]))


def synthetic(split: str) -> list[dict[str, Any]]:
    """Support e-mails: each locale fills its language's templates from its own seed."""
    with time_machine.travel(BUILT_ON, tick=False):
        return _synthetic(split)


def _synthetic(split: str) -> list[dict[str, Any]]:
    module, seed = SPLITS[split]
    docs = []
    for index, locale in enumerate(LOCALES):
        fill = Fillers(locale, seed * 100 + index)
        lang = "da" if locale == "da_DK" else "en"
        templates = module.DA if lang == "da" else module.EN
        rng = random.Random(seed * 100 + index)
        for n in range(DOCS_PER_LOCALE):
            text, spans = render(templates[rng.randrange(len(templates))], fill)
            docs.append(
                {"id": f"{split}-faker-{locale}-{n:03d}", "source": f"faker:{locale}",
                 "lang": lang, "text": text, "spans": spans, "scored": None}
            )  # fmt: skip
    return docs


def uner(path: Path, split: str, source: str, lang: str, per_doc: int) -> list[dict[str, Any]]:
    """Universal NER sentences in their original text, ``per_doc`` sentences to a text.

    A ``newdoc`` line (EWT: one web answer, e-mail or review) starts a new text."""
    docs: list[tuple[str, list[tuple[str, list[dict[str, Any]]]]]] = [("0", [])]
    tokens: list[str] = []
    tags: list[str] = []
    sentence_text = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("# newdoc id"):
            docs.append((line.split("=", 1)[1].strip(), []))
        elif line.startswith("# text ="):
            sentence_text = line.split("=", 1)[1].strip()
        elif line.startswith("#"):
            continue
        elif not line.strip():
            if tokens:
                docs[-1][1].append(_aligned(sentence_text, tokens, tags))
                if len(docs[-1][1]) == per_doc:
                    docs.append((f"{docs[-1][0]}.", []))
            tokens, tags = [], []
        else:
            fields = line.split("\t")
            tokens.append(fields[1])
            tags.append(fields[2])
    out = []
    for n, (_doc_id, sentences) in enumerate(d for d in docs if d[1]):
        out += _group(sentences, f"{split}-{source}-{n:04d}", source, lang, per_doc)
    return out


def _aligned(text: str, tokens: list[str], tags: list[str]) -> tuple[str, list[dict[str, Any]]]:
    """PER spans of a tokenised sentence, located in its original text."""
    spans: list[dict[str, Any]] = []
    cursor = 0
    previous = "O"
    for token, tag in zip(tokens, tags, strict=True):
        start = text.find(token, cursor)
        if start < 0:  # the treebank normalised the token; keep the cursor
            previous = tag
            continue
        end = cursor = start + len(token)
        if tag == "B-PER" or (tag == "I-PER" and previous not in ("B-PER", "I-PER")):
            spans.append({"type": "person_name", "start": start, "end": end})
        elif tag == "I-PER" and spans:
            spans[-1]["end"] = end
        previous = tag
    return text, spans


def _group(sentences, prefix, source, lang, per_doc):  # type: ignore[no-untyped-def]
    docs = []
    for n in range(0, len(sentences), per_doc):
        text = ""
        spans: list[dict[str, Any]] = []
        for sentence, sentence_spans in sentences[n : n + per_doc]:
            if text:
                text += " "
            spans += [{**s, "start": s["start"] + len(text), "end": s["end"] + len(text)}
                      for s in sentence_spans]  # fmt: skip
            text += sentence
        docs.append({"id": f"{prefix}-{n // per_doc:03d}", "source": source, "lang": lang,
                     "text": text, "spans": spans, "scored": NER_TYPES})  # fmt: skip
    return docs


def main() -> None:
    """Write dev.jsonl and test.jsonl."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ddt", type=Path, required=True, help="UniversalNER/UNER_Danish-DDT")
    parser.add_argument("--ewt", type=Path, required=True, help="UniversalNER/UNER_English-EWT")
    args = parser.parse_args()
    files = {
        "dev": (args.ddt / "da_ddt-ud-dev.iob2", args.ewt / "en_ewt-ud-dev.iob2"),
        "test": (args.ddt / "da_ddt-ud-test.iob2", args.ewt / "en_ewt-ud-test.iob2"),
    }
    for split, (ddt_file, ewt_file) in files.items():
        docs = synthetic(split)
        docs += uner(ddt_file, split, "uner-ddt", "da", 4)
        docs += uner(ewt_file, split, "uner-ewt", "en", 12)
        with (HERE / f"{split}.jsonl").open("w", encoding="utf-8") as out:
            for doc in docs:
                out.write(json.dumps(doc, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"{split}: {len(docs)} texts, {sum(len(d['spans']) for d in docs)} gold spans")


if __name__ == "__main__":
    main()
