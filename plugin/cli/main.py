"""Entry point of the ``datavagt`` console script."""

from __future__ import annotations

import click

from plugin import __version__
from plugin.alerts.cli import alerts_group
from plugin.breach.cli import breach_group
from plugin.cli.agents import agents_group
from plugin.cli.audit import audit_group
from plugin.cli.backfill import backfill
from plugin.cli.backup import backup_group
from plugin.cli.db import db_group
from plugin.cli.demo import demo
from plugin.cli.erasure import erasure_group
from plugin.cli.inbox import inbox_group
from plugin.cli.keys import keys_group
from plugin.cli.keys import verify as verify_command
from plugin.cli.policy import policy_group
from plugin.cli.requests import requests_group
from plugin.cli.retention import retention_group
from plugin.cli.ropa import ropa
from plugin.cli.scan import scan
from plugin.cli.serve import serve
from plugin.cli.simulate import simulate
from plugin.cli.subject import subject_group
from plugin.cli.worker import worker
from plugin.consent.cli import consent_group
from plugin.dpia.cli import dpia_group
from plugin.processors.cli import processors_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="datavagt")
def cli() -> None:
    """Datavagt: the GDPR sidecar for your helpdesk."""


cli.add_command(agents_group)
cli.add_command(policy_group)
cli.add_command(audit_group)
cli.add_command(consent_group)
cli.add_command(keys_group)
cli.add_command(verify_command)
cli.add_command(db_group)
cli.add_command(demo)
cli.add_command(requests_group)
cli.add_command(ropa)
cli.add_command(scan)
cli.add_command(serve)
cli.add_command(simulate)
cli.add_command(subject_group)
cli.add_command(erasure_group)
cli.add_command(retention_group)
cli.add_command(inbox_group)
cli.add_command(backfill)
cli.add_command(worker)
cli.add_command(breach_group)
cli.add_command(processors_group)
cli.add_command(dpia_group)
cli.add_command(alerts_group)
cli.add_command(backup_group)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="datavagt")


if __name__ == "__main__":
    main()
