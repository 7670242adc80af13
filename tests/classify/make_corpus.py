"""Generate the labelled classification corpus (tests/classify/corpus/corpus.jsonl).

Run: .venv/bin/python tests/classify/make_corpus.py  (fixed seed: the output is stable).
Generated documents come from templates filled with Faker values; hand-written ones
(corpus/handwritten.txt) carry their gold spans inline as ``[[type|text]]``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.classify.corpus_templates import DA, EN, EXTRA_DA, EXTRA_EN  # noqa: E402
from tests.classify.corpus_values import Values  # noqa: E402

HERE = Path(__file__).resolve().parent
OUT = HERE / "corpus" / "corpus.jsonl"
HANDWRITTEN = HERE / "corpus" / "handwritten.txt"
SEED = 20240611
DOCS_PER_TEMPLATE = 4

MARKUP = re.compile(r"\[\[(\w+)\|(.*?)\]\]", re.DOTALL)
SLOT = re.compile(r"\{(\w+)\}")

# Slot name -> gold type (None: a hard negative that must not be found).
SLOT_TYPES: dict[str, str | None] = {
    "name": "person_name",
    "name2": "person_name",
    "first": "person_name",
    "agent": "person_name",
    "email": "email",
    "phone": "phone",
    "cpr": "cpr",
    "cvr": "cvr",
    "dob": "date_of_birth",
    "iban": "iban",
    "card": "payment_card",
    "ip": "ip_address",
    "address": "postal_address",
    "account": "bank_account",
    "passport": "passport",
    "order": None,
    "invoice": None,
    "tracking": None,
    "price": None,
    "ts": None,
    "date": None,
    "code": None,
    "code2": None,
}


def parse_markup(marked: str) -> tuple[str, list[dict[str, Any]]]:
    """Strip ``[[type|text]]`` markup, returning the text and its gold spans."""
    parts: list[str] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    length = 0
    for match in MARKUP.finditer(marked):
        plain = marked[pos : match.start()]
        parts.append(plain)
        length += len(plain)
        value = match.group(2)
        spans.append({"type": match.group(1), "start": length, "end": length + len(value)})
        parts.append(value)
        length += len(value)
        pos = match.end()
    parts.append(marked[pos:])
    return "".join(parts), spans


def slot_values(values: Values, lang: str) -> dict[str, str]:
    """Draw one consistent set of values for a document (one requester, one agent)."""
    first = values.first(lang)
    name = f"{first} {values.f(lang).last_name()}"
    return {
        "name": name,
        "first": first,
        "name2": values.full(lang),
        "agent": values.first(lang),
        "email": values.email(lang, name),
        "phone": values.phone(lang),
        "cpr": values.cpr(),
        "cvr": values.cvr(),
        "dob": values.dob(lang),
        "iban": values.iban(lang),
        "card": values.card(),
        "ip": values.ip(),
        "address": values.address(lang),
        "order": values.order_no(),
        "invoice": values.invoice_no(),
        "tracking": values.tracking_no(),
        "price": values.price(lang),
        "ts": values.timestamp(),
        "date": values.other_date(),
    }


def render(template: str, slots: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
    """Fill a template's slots (as markup where they are gold) and resolve the markup."""

    def fill(match: re.Match[str]) -> str:
        slot = match.group(1)
        gold = SLOT_TYPES[slot]
        value = slots[slot]
        return f"[[{gold}|{value}]]" if gold else value

    return parse_markup(SLOT.sub(fill, template))


def handwritten() -> list[dict[str, Any]]:
    """Read the hand-written documents (``=== id lang`` headers, inline markup)."""
    docs = []
    chunks = re.split(r"^=== (\S+) (da|en)\n", HANDWRITTEN.read_text("utf-8"), flags=re.M)
    for doc_id, lang, body in zip(chunks[1::3], chunks[2::3], chunks[3::3], strict=True):
        text, spans = parse_markup(body.rstrip("\n"))
        docs.append({"id": doc_id, "lang": lang, "source": "handwritten", "text": text,
                     "spans": spans})  # fmt: skip
    return docs


def generate() -> list[dict[str, Any]]:
    """Build every document of the corpus, generated first, then hand-written."""
    values = Values(SEED)
    docs: list[dict[str, Any]] = []
    for lang, templates in (("da", DA), ("en", EN)):
        for number, template in enumerate(templates):
            for copy in range(DOCS_PER_TEMPLATE):
                text, spans = render(template, slot_values(values, lang))
                docs.append({"id": f"gen-{lang}-{number:02d}-{copy}", "lang": lang,
                             "source": "generated", "text": text, "spans": spans})  # fmt: skip
    # Later templates draw from their own seed: the documents above never change.
    extra = Values(SEED + 1)
    for lang, templates in (("da", EXTRA_DA), ("en", EXTRA_EN)):
        for number, template in enumerate(templates):
            for copy in range(DOCS_PER_TEMPLATE):
                slots = slot_values(extra, lang) | {
                    "account": extra.bank_account(),
                    "passport": extra.passport(lang),
                    "code": extra.dk_number(),
                    "code2": extra.dk_number(),
                }
                text, spans = render(template, slots)
                docs.append({"id": f"gen-{lang}-x{number:02d}-{copy}", "lang": lang,
                             "source": "generated", "text": text, "spans": spans})  # fmt: skip
    return docs + handwritten()


def main() -> None:
    """Write the corpus as JSON lines."""
    docs = generate()
    with OUT.open("w", encoding="utf-8") as out:
        for doc in docs:
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"wrote {len(docs)} documents to {OUT}")


if __name__ == "__main__":
    main()
