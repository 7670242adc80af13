"""Seed consent texts from the manifest once per process, on first use."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask

from plugin.auth.guard import Actor
from plugin.consent.texts import ConsentTextError, seed_texts
from plugin.extensions import db

log = logging.getLogger(__name__)
FLAG = "datavagt.consent.seeded"


def ensure_seeded(app: Flask) -> None:
    """Publish manifest wording not yet in the database (idempotent, race-safe)."""
    if app.extensions.get(FLAG):
        return
    try:
        count = seed_texts(app.extensions["datavagt.manifest"], Actor.system("startup"))
    except sa.exc.IntegrityError:
        # Another process published the same version first: its row is as good as ours.
        db.session.rollback()
        count = 0
    except ConsentTextError as exc:
        # Purposes not synced yet (database not upgraded): try again on the next request.
        db.session.rollback()
        log.warning("consent texts not seeded", extra={"reason": str(exc)})
        return
    app.extensions[FLAG] = True
    if count:
        log.info("consent texts seeded", extra={"count": count})


def seed_now(app: Flask) -> int:
    """Seed immediately (CLI, tests); returns how many versions were published."""
    count = seed_texts(app.extensions["datavagt.manifest"], Actor.system("startup"))
    app.extensions[FLAG] = True
    return count
