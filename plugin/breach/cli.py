"""``datavagt breach``: the breach register from the command line (record, list, show,
update, drafts, watch). Output is JSON; bad input is a one-line error."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask

from plugin.cli.context import cli_actor, echo_json, fail, load_or_fail, with_app
from plugin.manifest import CATEGORIES
from plugin.models.breach import BREACH_STATUSES
from plugin.ropa.i18n import LANGUAGES


@click.group("breach")
def breach_group() -> None:
    """Breach register (GDPR Art. 33/34): incidents and the 72-hour clock."""


@breach_group.command("record")
@click.option("--title", required=True, help="What happened, in one line.")
@click.option("--description", default="", help="Longer description.")
@click.option("--detected-at", default=None, help="ISO 8601 with time zone; default now.")
@click.option("--category", "categories", multiple=True, type=click.Choice(CATEGORIES))
@click.option("--consequences", default="")
@click.option("--measures", default="")
@click.option("--high-risk", is_flag=True, help="Art. 34: the persons must be told.")
@click.option("--by", default="cli", show_default=True)
@with_app
def record_cmd(app: Flask, by: str, **options: Any) -> None:
    """Record an incident; counts of subjects and records come from the live inventory."""
    from plugin.breach import service
    from plugin.breach.routes import BreachCreateSchema
    from plugin.extensions import db

    data = {k: v for k, v in options.items() if v not in (None, "", ())}
    data["categories"] = list(options["categories"])
    loaded = load_or_fail(BreachCreateSchema(), data)
    try:
        breach = service.record(loaded, cli_actor(by))
    except service.BreachError as exc:
        fail(str(exc))
    db.session.commit()
    echo_json(service.as_dict(breach))


@breach_group.command("list")
@click.option("--status", type=click.Choice(BREACH_STATUSES), default=None)
@with_app
def list_cmd(app: Flask, status: str | None) -> None:
    """The register with each incident's clock, newest first."""
    from plugin.breach import service

    echo_json([service.as_dict(b) for b in service.list_all(status)])


@breach_group.command("show")
@click.argument("breach_id")
@with_app
def show_cmd(app: Flask, breach_id: str) -> None:
    """One incident."""
    from plugin.breach import service

    try:
        echo_json(service.as_dict(service.get(breach_id)))
    except service.BreachError as exc:
        fail(str(exc))


@breach_group.command("update")
@click.argument("breach_id")
@click.option("--status", type=click.Choice(BREACH_STATUSES), default=None)
@click.option("--consequences", default=None)
@click.option("--measures", default=None)
@click.option("--by", default="cli", show_default=True)
@with_app
def update_cmd(app: Flask, breach_id: str, by: str, **options: Any) -> None:
    """Move the status on (suspected, confirmed, notified, closed) or amend the assessment."""
    from plugin.breach import service
    from plugin.extensions import db

    changes = {k: v for k, v in options.items() if v is not None}
    try:
        breach = service.update(service.get(breach_id), changes, cli_actor(by))
    except service.BreachError as exc:
        fail(str(exc))
    db.session.commit()
    echo_json(service.as_dict(breach))


@breach_group.command("drafts")
@click.argument("breach_id")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@with_app
def drafts_cmd(app: Flask, breach_id: str, lang: str) -> None:
    """Draft notification to the Datatilsynet and, if high risk, to the persons affected."""
    from plugin.breach import drafts, service

    try:
        breach = service.get(breach_id)
    except service.BreachError as exc:
        fail(str(exc))
    manifest = app.extensions["datavagt.manifest"]
    due = service.deadline(breach).isoformat()
    echo_json(
        {
            "authority": drafts.authority(breach, due, manifest, lang),
            "subjects": drafts.subjects(breach, manifest, lang),
        }
    )


@breach_group.command("watch")
@with_app
def watch_cmd(app: Flask) -> None:
    """Run the alert rules and the reminders once: incidents opened, reminders due."""
    from plugin.alerts.service import evaluate, remind_deadline
    from plugin.breach import service
    from plugin.extensions import db

    opened = [a.breach_id for a in evaluate() if a.occurrences == 1]
    reminders = service.due_reminders()
    for breach, mark in reminders:
        remind_deadline(breach.id, mark)
    db.session.commit()
    echo_json(
        {
            "opened": opened,
            "reminders": [{"breach": b.id, "mark": mark} for b, mark in reminders],
        }
    )


@breach_group.command("notify-subjects")
@click.argument("breach_id")
@click.option("--by", default="cli", show_default=True)
@with_app
def notify_subjects_cmd(app: Flask, breach_id: str, by: str) -> None:
    """Art. 34: send the message to every affected person's My pages (once)."""
    from plugin.breach import service
    from plugin.extensions import db
    from plugin.messages.service import mail_notices

    try:
        breach = service.get(breach_id)
        addresses = service.notify_subjects(
            breach, cli_actor(by), app.extensions["datavagt.manifest"]
        )
    except service.BreachError as exc:
        fail(str(exc))
    db.session.commit()
    echo_json({"notified": breach.subjects_notified, "mailed": mail_notices(addresses)})
