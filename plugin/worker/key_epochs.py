"""The ``key_epochs`` job: rotate, re-wrap and destroy master-key epochs, audited.

It lives with the scheduler, not in ``plugin.keys``: it wires the key epochs to the vault
(live keys to re-wrap) and the audit trail, both of which sit above the keys.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import Flask

from plugin.keys.epochs import REWRAP_BATCHES_PER_RUN, EpochRun, run_epochs
from plugin.keys.provider import get_provider

log = logging.getLogger(__name__)


def epoch_job(app: Flask, now: datetime | None = None) -> EpochRun:
    """Scheduler entry (job ``key_epochs``): rotate, re-wrap, destroy; audited when it acts."""
    from plugin.audit import actions, record
    from plugin.auth.guard import Actor
    from plugin.extensions import db
    from plugin.vault import get_vault

    with app.app_context():
        try:
            vault = get_vault()
            settings = app.extensions["datavagt.settings"]
            run = run_epochs(
                settings,
                get_provider(app),
                vault.keys_under,
                lambda: vault.rewrap_all(max_batches=REWRAP_BATCHES_PER_RUN),
                now,
            )
            if run.rotated_to or run.destroyed or run.blocked:
                record(
                    actions.KEY_ROTATION,
                    actor=Actor(id="scheduler", role="admin", source="job"),
                    details={"job": "key_epochs", **run.details()},
                )
                db.session.commit()
            if run.rotated_to or run.destroyed:
                log.info("key epochs", extra=run.details())
            return run
        finally:
            db.session.remove()
