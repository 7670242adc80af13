"""Job functions owned by ingest; each takes the app and runs inside its context."""

from __future__ import annotations

import logging

from flask import Flask

from plugin.extensions import db
from plugin.ingest.processor import drain

log = logging.getLogger(__name__)
# Bounded per run: a flood of events cannot keep one job run going for ever.
MAX_BATCHES_PER_RUN = 50


def inbox_worker(app: Flask) -> int:
    """Process due inbox events until none is due (bounded); returns how many."""
    with app.app_context():
        try:
            handled = drain(max_batches=MAX_BATCHES_PER_RUN)
            if handled:
                log.info("inbox events processed", extra={"count": handled})
            return handled
        finally:
            db.session.remove()
