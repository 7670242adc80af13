"""``datavagt requests``: data-subject requests and their deadlines (Art. 12(3))."""

from __future__ import annotations

import json
from datetime import date

import click
from flask import Flask

from plugin.auth.guard import Actor
from plugin.cli.context import fail, with_app
from plugin.models.request import REQUEST_KINDS

ACTOR = click.option("--actor", default="cli", show_default=True, help="Who acts (audited).")


def _actor(name: str) -> Actor:
    return Actor(id=name, role="dpo", source="cli")


def _echo(rows: list[dict]) -> None:
    click.echo(json.dumps(rows if len(rows) != 1 else rows[0], indent=2))


@click.group("requests")
def requests_group() -> None:
    """Track access, rectification, erasure, restriction, objection and portability requests."""


@requests_group.command("list")
@click.option("--overdue", is_flag=True, help="Only open requests past their deadline.")
@click.option("--due-within", type=click.IntRange(0, 365), help="Open requests due within N days.")
@click.option("--status", type=click.Choice(["received", "in_progress", "completed", "rejected"]))
@with_app
def list_cmd(app: Flask, overdue: bool, due_within: int | None, status: str | None) -> None:
    """List requests by due date (JSON lines)."""
    from plugin.rights import requests

    for row in requests.list_requests(status=status, overdue=overdue, due_within=due_within):
        click.echo(json.dumps(requests.serialise(row)))


@requests_group.command("create")
@click.option("--kind", type=click.Choice(REQUEST_KINDS), required=True)
@click.option("--subject", "subject_id", help="Subject id, when already known.")
@click.option("--received", type=click.DateTime(["%Y-%m-%d"]), help="Date received (today).")
@click.option("--channel", default="email", show_default=True)
@ACTOR
@with_app
def create_cmd(
    app: Flask, kind: str, subject_id: str | None, received: object, channel: str, actor: str
) -> None:
    """Register a request; it is due one month after receipt."""
    from plugin.rights import requests
    from plugin.rights.errors import RightsError

    received_on: date | None = received.date() if received else None  # type: ignore[attr-defined]
    try:
        row = requests.create(kind, _actor(actor), subject_id, received_on, channel)
    except RightsError as exc:
        fail(exc.message)
        return
    _echo([requests.serialise(row)])


@requests_group.command("extend")
@click.argument("request_id")
@click.option("--months", type=click.IntRange(1, 2), default=2, show_default=True)
@click.option("--reason", required=True, help="Why (told to the person, Art. 12(3)).")
@ACTOR
@with_app
def extend_cmd(app: Flask, request_id: str, months: int, reason: str, actor: str) -> None:
    """Extend the deadline once by one or two months."""
    _step(request_id, "extend", actor, months, reason)


@requests_group.command("complete")
@click.argument("request_id")
@click.option("--reject", is_flag=True, help="Reject instead (needs --note).")
@click.option("--note", default="", help="Resolution or rejection reason.")
@ACTOR
@with_app
def complete_cmd(app: Flask, request_id: str, reject: bool, note: str, actor: str) -> None:
    """Close a request as completed (or rejected)."""
    _step(request_id, "reject" if reject else "complete", actor, 2, note)


def _step(request_id: str, action: str, actor: str, months: int, reason: str) -> None:
    from plugin.rights import requests
    from plugin.rights.errors import RightsError

    try:
        row = requests.apply(request_id, action, _actor(actor), months, reason)
    except RightsError as exc:
        fail(exc.message)
        return
    _echo([requests.serialise(row)])
