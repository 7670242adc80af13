"""A separate sequencer process: ``python -m tests.audit.sequencer_proc URL KEYS MODE [SECONDS]``.

MODE ``hang``: print ``BATCH <n>`` once a batch is written but not committed, then sleep (the
test SIGKILLs it there). MODE ``loop``: run passes (try-lock, as the background thread does)
for SECONDS, printing how many events this process chained.
"""

from __future__ import annotations

import sys
import time

from plugin.app import create_app
from plugin.audit import sequencer
from plugin.extensions import db


def _hang(count: int) -> None:
    print(f"BATCH {count}", flush=True)
    time.sleep(120)


def main(url: str, key_file: str, mode: str, seconds: float) -> None:
    """Run the sequencer as asked."""
    app = create_app(
        {"database_url": url, "key_file": key_file, "scheduler": "off", "audit_sequencer": "off"}
    )
    with app.app_context():
        if mode == "hang":
            sequencer.before_commit = _hang
            sequencer.flush(app)
        else:
            chained, deadline = 0, time.monotonic() + seconds
            while time.monotonic() < deadline:
                batch = sequencer.run_pass(app)
                chained += batch.count if batch else 0
                time.sleep(0.005)
            print(f"CHAINED {chained}", flush=True)
        db.engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 0)
