"""``datavagt consent``: seed wording from the manifest, list published versions."""

from __future__ import annotations

import json

import click
from flask import Flask

from plugin.cli.context import fail, with_app
from plugin.consent.seed import seed_now
from plugin.consent.texts import ConsentTextError, list_texts


@click.group("consent")
def consent_group() -> None:
    """Consent texts (immutable, versioned wording)."""


@consent_group.command("seed")
@with_app
def seed(app: Flask) -> None:
    """Publish manifest consent_texts wording that no version has had yet."""
    try:
        count = seed_now(app)
    except ConsentTextError as exc:
        fail(f"{exc}; run `datavagt db upgrade` first")
    click.echo(f"published {count} consent text version(s)")


@consent_group.command("texts")
@click.option("--purpose", default=None, help="Only this purpose.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@with_app
def texts(app: Flask, purpose: str | None, fmt: str) -> None:
    """List every published version (newest first per purpose and language)."""
    rows = list_texts(purpose)
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "purpose": r.purpose,
                        "language": r.language,
                        "version": r.version,
                        "sha256": r.sha256,
                        "published_at": r.published_at.isoformat(),
                        "text": r.text,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
                indent=1,
            )
        )
        return
    for r in rows:
        click.echo(
            f"{r.id}\t{r.purpose}\t{r.language}\tv{r.version}\t{r.sha256[:12]}\t{r.published_at:%Y-%m-%d}"
        )
