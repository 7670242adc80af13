"""``datavagt dpia``: impact assessments (Art. 35) from the command line. Output is JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask import Flask

from plugin.cli.context import cli_actor, echo_json, fail, load_or_fail, with_app


def _get(dpia_id: str) -> Any:
    from plugin.dpia import service

    try:
        return service.get(dpia_id)
    except service.DpiaError as exc:
        fail(exc.message)


@click.group("dpia")
def dpia_group() -> None:
    """Data protection impact assessments (GDPR Art. 35): draft, change, sign off, export."""


@dpia_group.command("draft")
@click.option("--title", required=True, help="What the assessment covers, in one line.")
@click.option("--by", default="cli", show_default=True, help="Who starts it (audited).")
@with_app
def draft_cmd(app: Flask, title: str, by: str) -> None:
    """Start a draft pre-filled from the live inventory."""
    from plugin.dpia import service
    from plugin.dpia.routes import DpiaCreateSchema
    from plugin.extensions import db

    loaded = load_or_fail(DpiaCreateSchema(), {"title": title})
    dpia = service.create(loaded["title"], cli_actor(by))
    db.session.commit()
    echo_json(service.as_dict(dpia))


@dpia_group.command("list")
@with_app
def list_cmd(app: Flask) -> None:
    """Every assessment, newest first."""
    from plugin.dpia import service

    echo_json([service.as_dict(d) for d in service.list_all()])


@dpia_group.command("show")
@click.argument("dpia_id")
@with_app
def show_cmd(app: Flask, dpia_id: str) -> None:
    """One assessment with what sign-off still needs."""
    from plugin.dpia import service

    echo_json(service.as_dict(_get(dpia_id)))


@dpia_group.command("update")
@click.argument("dpia_id")
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="JSON with the fields to change (as PATCH /api/dpias/ID takes).",
)
@click.option("--by", default="cli", show_default=True)
@with_app
def update_cmd(app: Flask, dpia_id: str, path: Path, by: str) -> None:
    """Change a draft: criteria, risks, necessity, dpo_advice, review_on, title."""
    from plugin.dpia import service
    from plugin.dpia.routes import DpiaUpdateSchema
    from plugin.extensions import db

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"cannot read {path} ({exc.strerror})")
    except ValueError:
        fail(f"{path} is not a JSON file")
    if not isinstance(data, dict):
        fail(f"{path} must hold a JSON object")
    changes = load_or_fail(DpiaUpdateSchema(), data)
    dpia = _get(dpia_id)
    try:
        service.update(dpia, changes, cli_actor(by))
    except service.DpiaError as exc:
        fail(exc.message)
    db.session.commit()
    echo_json(service.as_dict(dpia))


@dpia_group.command("sign-off")
@click.argument("dpia_id")
@click.option("--by", required=True, help="The DPO signing off (audited).")
@with_app
def sign_off_cmd(app: Flask, dpia_id: str, by: str) -> None:
    """Sign off a complete draft; it cannot be changed afterwards."""
    from plugin.dpia import service
    from plugin.dpia.i18n import words
    from plugin.extensions import db

    dpia = _get(dpia_id)
    try:
        service.sign_off(dpia, cli_actor(by))
    except service.DpiaError as exc:
        gaps = "; ".join(words("en")[code] for code in exc.missing)
        fail(exc.message + (f": {gaps}" if gaps else ""))
    db.session.commit()
    echo_json(service.as_dict(dpia))


@dpia_group.command("export")
@click.argument("dpia_id")
@click.option("--to", "path", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_app
def export_cmd(app: Flask, dpia_id: str, path: Path) -> None:
    """Write the signed file (check it with `datavagt verify FILE`)."""
    from plugin.dpia import service

    try:
        document = service.export(_get(dpia_id))
    except service.DpiaError as exc:
        fail(exc.message)
    try:
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {path} ({exc.strerror})")
    click.echo(f"wrote {path}")
