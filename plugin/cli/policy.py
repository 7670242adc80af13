"""``datavagt policy show``: the effective field policy and agent mapping."""

from __future__ import annotations

import json

import click
from flask import Flask

from plugin.access.mapping import get_mapping
from plugin.access.policy import get_policy
from plugin.access.policy_audit import policy_fingerprint
from plugin.cli.context import with_app


@click.group("policy")
def policy_group() -> None:
    """Field policies (role x category) and the vendor user -> role mapping."""


def policy_summary() -> dict[str, object]:
    """The effective policy; the mapping as counts only (agents' e-mails stay out)."""
    policy = get_policy()
    return {
        "policy_hash": policy_fingerprint(),
        "default": policy.default,
        "partial_chars": policy.partial_chars,
        "reason_min_length": policy.reason_min_length,
        "matrix": policy.matrix(),
        "overrides": policy.overrides,
        "agent_mapping": {
            vendor: {
                "default": spec["default"],
                **{kind: len(spec[kind]) for kind in ("users", "emails", "groups", "teams")},
            }
            for vendor, spec in get_mapping().vendors.items()
        },
    }


@policy_group.command("show")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@with_app(database=False, keys=False)  # the manifest's policy: no database, no key file
def show(app: Flask, fmt: str) -> None:
    """Print each role's level per data category, field overrides and the agent mapping."""
    summary = policy_summary()
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
        return
    matrix: dict[str, dict[str, str]] = summary["matrix"]  # type: ignore[assignment]
    categories = list(next(iter(matrix.values())).keys()) if matrix else []
    click.echo("role".ljust(14) + "".join(c.ljust(20) for c in categories))
    for role, levels in matrix.items():
        click.echo(role.ljust(14) + "".join(levels[c].ljust(20) for c in categories))
    for field, per_role in summary["overrides"].items():  # type: ignore[attr-defined]
        click.echo(f"override {field}: " + ", ".join(f"{r}={lvl}" for r, lvl in per_role.items()))
    for vendor, spec in summary["agent_mapping"].items():  # type: ignore[attr-defined]
        rules = ", ".join(f"{k} {v}" for k, v in spec.items() if k != "default")
        click.echo(f"mapping {vendor}: default {spec['default']} ({rules})")
    click.echo(f"policy hash {summary['policy_hash']}")
