"""``datavagt agents``: mint agent tokens for admins and service accounts."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import Flask

from plugin.auth.tokens import MAX_TTL, TokenError, issue_token
from plugin.cli.context import fail, with_app


@click.group("agents")
def agents_group() -> None:
    """Agent identities and tokens."""


@agents_group.command("token")
@click.option("--agent", "agent_id", required=True, help="Agent or service-account id.")
@click.option("--role", required=True, help="A role defined in the manifest.")
@click.option(
    "--ttl",
    default=900,
    show_default=True,
    type=click.IntRange(1, None),
    help="Lifetime in seconds.",
)
@with_app(database=False)  # signs with the key file; reads no table
def token(app: Flask, agent_id: str, role: str, ttl: int) -> None:
    """Print a signed Datavagt JWT for AGENT acting as ROLE."""
    roles = app.extensions["datavagt.manifest"].roles
    if role not in roles:
        fail(f"--role: unknown role {role!r}; the manifest defines {', '.join(sorted(roles))}")
    if timedelta(seconds=ttl) > MAX_TTL:
        fail(f"--ttl: at most {int(MAX_TTL.total_seconds())} seconds")
    try:
        click.echo(
            issue_token(
                app.extensions["datavagt.keyring"],
                agent=agent_id,
                role=role,
                ttl=timedelta(seconds=ttl),
            )
        )
    except TokenError as exc:
        fail(str(exc))
