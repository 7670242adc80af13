"""``datavagt alerts``: list, acknowledge, and run the watch rules once. Output is JSON."""

from __future__ import annotations

import click
from flask import Flask

from plugin.alerts.i18n import LANGUAGES
from plugin.cli.context import cli_actor, echo_json, fail, with_app
from plugin.models.alert import ALERT_STATUSES


@click.group("alerts")
def alerts_group() -> None:
    """Alerts: bulk reveals, mass exports, failed sign-ins, audit verification."""


@alerts_group.command("list")
@click.option("--status", type=click.Choice(ALERT_STATUSES), default=None)
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@with_app
def list_cmd(app: Flask, status: str | None, lang: str) -> None:
    """Alerts, most recently seen first."""
    from plugin.alerts import service

    echo_json([service.as_dict(a, lang) for a in service.list_alerts(status)])


@alerts_group.command("ack")
@click.argument("alert_id")
@click.option("--by", required=True, help="Who acknowledges it (audited).")
@with_app
def ack_cmd(app: Flask, alert_id: str, by: str) -> None:
    """Acknowledge ALERT_ID."""
    from plugin.alerts import service
    from plugin.extensions import db

    try:
        alert = service.acknowledge(alert_id, cli_actor(by))
    except service.AlertError as exc:
        fail(exc.message)
    db.session.commit()
    echo_json(service.as_dict(alert))


@alerts_group.command("watch")
@click.option("--verify-audit", is_flag=True, help="Also verify the audit trail end to end.")
@with_app
def watch_cmd(app: Flask, verify_audit: bool) -> None:
    """Run the rules once (as the alert_watch job does) and deliver what is new."""
    from plugin.alerts import service
    from plugin.extensions import db

    raised = service.evaluate()
    if verify_audit:
        found = service.verify_audit_trail()
        raised += [found] if found is not None else []
    db.session.commit()
    echo_json([service.as_dict(a) for a in raised])
