"""`datavagt scan`: classify text from stdin and print the findings (no values by default)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import IO, Any

import click

from plugin.classify import Classifier, Finding
from plugin.classify.classifier import as_text


def _payload(findings: Iterable[Finding], text: str, show_values: bool) -> list[dict[str, Any]]:
    return [f.to_dict(text if show_values else None) for f in findings]


def _text_lines(findings: list[Finding], text: str, show_values: bool) -> str:
    lines = [
        f"{f.start}-{f.end}\t{f.type}\t{f.category}\t{f.score:.2f}\t{f.detector}"
        + (f"\t{json.dumps(f.value_in(text), ensure_ascii=False)}" if show_values else "")
        for f in findings
    ]
    return "\n".join(lines) if lines else "no findings"


def _parse_line(raw: str, number: int) -> tuple[Any, str]:
    """Return (id, text) of one JSONL record or raise a ClickException naming the line."""
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as error:
        raise click.ClickException(f"line {number}: invalid JSON ({error.msg})") from None
    if not isinstance(record, dict) or "id" not in record or "text" not in record:
        raise click.ClickException(f'line {number}: expected an object with "id" and "text"')
    if not isinstance(record["text"], str):
        raise click.ClickException(f'line {number}: "text" must be a string')
    return record["id"], record["text"]


def _scan_jsonl(stream: IO[bytes], classifier: Classifier, lang: str, show_values: bool) -> None:
    for number, line in enumerate(stream, start=1):
        raw = as_text(line).strip()
        if not raw:
            continue
        record_id, text = _parse_line(raw, number)
        findings = classifier.classify(text, lang=lang)
        out = {"id": record_id, "findings": _payload(findings, text, show_values)}
        click.echo(json.dumps(out, ensure_ascii=False))


def _binary_stdin() -> IO[bytes]:
    """Stdin as bytes, so invalid UTF-8 is decoded leniently instead of raising."""
    return getattr(sys.stdin, "buffer", sys.stdin)


@click.command("scan")
@click.option(
    "--lang",
    type=click.Choice(["auto", "da", "en"]),
    default="auto",
    show_default=True,
    help="Language of the text; auto guesses from stop words.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "text"]),
    default="json",
    show_default=True,
    help="Output format for a single text.",
)
@click.option(
    "--jsonl", is_flag=True, help='Each stdin line is {"id","text"}; one output line each.'
)
@click.option(
    "--show-values", is_flag=True, help="Include the matched values (personal data!) in the output."
)
def scan(lang: str, output_format: str, jsonl: bool, show_values: bool) -> None:
    """Classify personal data in text read from stdin; offsets are in characters."""
    classifier = Classifier()
    stdin = _binary_stdin()
    if jsonl:
        _scan_jsonl(stdin, classifier, lang, show_values)
        return
    # Invalid UTF-8 becomes U+FFFD so one bad byte never hides the rest of the input.
    text = as_text(stdin.read())
    findings = classifier.classify(text, lang=lang)
    if output_format == "text":
        click.echo(_text_lines(findings, text, show_values))
    else:
        click.echo(
            json.dumps({"findings": _payload(findings, text, show_values)}, ensure_ascii=False)
        )
