"""Helpers shared by agent, access and browser tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from flask import Flask

from plugin.auth.tokens import issue_token
from plugin.config import ROOT
from plugin.extensions import db
from plugin.models import AuditEvent


def bearer(app: Flask, role: str, agent: str = "tester") -> dict[str, str]:
    """An Authorization header for ``role``."""
    token = issue_token(app.extensions["datavagt.keyring"], agent=agent, role=role)
    return {"Authorization": f"Bearer {token}"}


def events(action: str | None = None) -> list[AuditEvent]:
    """Audit events in chain order, optionally of one action."""
    query = sa.select(AuditEvent).order_by(AuditEvent.seq)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def custom_manifest(tmp_path: Path, **changes: Any) -> str:
    """A copy of the shipped manifest with top-level sections replaced; returns its path."""
    data = yaml.safe_load((ROOT / "manifest.yaml").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # Relative files the manifest names (consent texts, forms) live beside the shipped one.
    for entry in ("forms",):
        source = ROOT / entry
        if source.exists() and not (tmp_path / entry).exists():
            (tmp_path / entry).symlink_to(source)
    return str(path)
