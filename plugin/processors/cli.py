"""``datavagt processors``: the Art. 28 register from the command line (list, add, review)."""

from __future__ import annotations

import json
from typing import Any

import click
from flask import Flask

from plugin.auth.guard import Actor
from plugin.cli.context import fail, load_or_fail, with_app
from plugin.manifest import CATEGORIES
from plugin.models.processor import PROCESSOR_ROLES, TRANSFER_BASES


@click.group("processors")
def processors_group() -> None:
    """Processors and sub-processors (GDPR Art. 28): agreements, transfers, reviews."""


@processors_group.command("list")
@with_app
def list_cmd(app: Flask) -> None:
    """Print the register as JSON (seeded from the manifest's recipients)."""
    from plugin.extensions import db
    from plugin.processors import register

    register.sync_from_manifest(app.extensions["datavagt.manifest"])
    db.session.commit()
    rows = [register.as_dict(r) for r in register.entries()]
    click.echo(json.dumps(rows, indent=2, ensure_ascii=False))


@processors_group.command("add")
@click.option("--key", required=True, help="Short id, e.g. freshdesk or freshdesk.aws.")
@click.option("--name", required=True, help="Legal name of the company.")
@click.option("--role", type=click.Choice(PROCESSOR_ROLES), default="processor", show_default=True)
@click.option("--parent", "parent_key", default=None, help="For a sub-processor: its processor.")
@click.option("--country", required=True, help="ISO 3166 alpha-2, e.g. IE or US.")
@click.option("--service", default="")
@click.option("--transfer-basis", type=click.Choice(TRANSFER_BASES), default="unknown")
@click.option("--transfer-mechanism", default="", help="In words, e.g. SCCs (2021/914).")
@click.option("--agreement-date", default=None, help="YYYY-MM-DD of the signed DPA.")
@click.option("--dpa-url", default="", help="https link to the agreement.")
@click.option("--category", "data_categories", multiple=True, type=click.Choice(CATEGORIES))
@click.option("--by", default="cli", show_default=True, help="Who changes it (audited).")
@with_app
def add_cmd(app: Flask, by: str, **options: Any) -> None:
    """Add or change one entry."""
    from plugin.extensions import db
    from plugin.processors import register
    from plugin.processors.routes import ProcessorInSchema

    data = {k: v for k, v in options.items() if v not in (None, "", ())}
    data["data_categories"] = list(options["data_categories"])
    loaded = load_or_fail(ProcessorInSchema(), data)
    register.sync_from_manifest(app.extensions["datavagt.manifest"])
    try:
        row, new = register.upsert(loaded, Actor(id=by[:128], role="dpo", source="cli"))
    except register.RegisterError as exc:
        fail(exc.message)
        return
    db.session.commit()
    click.echo(f"{'added' if new else 'updated'} {row.key}")


@processors_group.command("review")
@click.argument("key")
@click.option("--note", default="", help="What was checked.")
@click.option("--by", default="cli", show_default=True, help="Who reviewed (audited).")
@with_app
def review_cmd(app: Flask, key: str, note: str, by: str) -> None:
    """Record that KEY's agreement and measures were reviewed today."""
    from plugin.extensions import db
    from plugin.processors import register

    register.sync_from_manifest(app.extensions["datavagt.manifest"])
    try:
        row = register.review(key[:64], Actor(id=by[:128], role="dpo", source="cli"), note[:2000])
    except register.RegisterError as exc:
        fail(exc.message)
        return
    db.session.commit()
    click.echo(f"reviewed {row.key} on {row.last_review_on.isoformat()}")
