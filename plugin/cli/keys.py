"""``datavagt keys rotate`` and ``datavagt verify FILE``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask import Flask

from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.cli.context import fail, with_app
from plugin.extensions import db
from plugin.keys import KeyringError
from plugin.signing.verify import VerificationError, verify_file
from plugin.vault import rewrap_all

CLI_ACTOR = Actor(id="cli", role="admin", source="cli")


@click.group("keys")
def keys_group() -> None:
    """Master and signing keys."""


@keys_group.command("rotate")
@with_app
def rotate(app: Flask) -> None:
    """Rotate the signing key and the master key (data keys are re-wrapped, values untouched)."""
    keyring = app.extensions["datavagt.keyring"]
    details: dict[str, Any] = {}
    details["signing_kid"] = keyring.rotate_signing()
    click.echo(f"signing key rotated: new key {details['signing_kid']} (old keys stay published)")
    try:
        details["master_key_id"] = keyring.rotate_master()
    except KeyringError as exc:
        fail(str(exc))
    # Old master keys stay in the key file: running replicas still wrap new data keys with
    # the master they loaded at start-up until they restart.
    details["rewrapped"] = rewrap_all()
    click.echo(
        f"master key rotated: {details['master_key_id']}; "
        f"{details['rewrapped']} data keys re-wrapped"
    )
    record(actions.KEY_ROTATION, actor=CLI_ACTOR, details=details)
    db.session.commit()


@click.command("verify")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--jwks",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Verify with this JWK Set (public keys only) instead of the key file.",
)
def verify(file: Path, jwks: Path | None) -> None:
    """Verify a signed file (audit checkpoints, receipts, certificates, exports)."""
    if jwks is not None:
        try:
            keys: Any = json.loads(jwks.read_text(encoding="utf-8"))
        except ValueError:
            fail(f"--jwks: {jwks} is not a JSON file")
            return
        _verify(file, keys)
    else:
        _verify_with_keyring(file)  # type: ignore[call-arg]


def _verify(file: Path, keys: Any) -> None:
    try:
        click.echo(f"{file}: OK: {verify_file(file, keys)}")
    except VerificationError as exc:
        fail(f"{file}: NOT VALID: {exc}")


@with_app(database=False)  # the key file's public keys; no table is read
def _verify_with_keyring(app: Flask, file: Path) -> None:
    _verify(file, app.extensions["datavagt.keyring"])
