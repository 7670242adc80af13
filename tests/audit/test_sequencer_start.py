"""Many requests committing at once start ONE sequencer thread per app (the one it stops)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask

from plugin.audit import sequencer


def test_concurrent_first_commits_start_one_thread(make_app: Callable[..., Flask]) -> None:
    app = make_app(audit_sequencer="off")
    barrier = threading.Barrier(16)
    got: list[sequencer.SequencerThread] = []

    def first_commit() -> None:
        barrier.wait()
        got.append(sequencer.sequencer_for(app))

    before = {t.ident for t in threading.enumerate() if t.name == "audit-sequencer"}
    starters = [threading.Thread(target=first_commit) for _ in range(16)]
    for thread in starters:
        thread.start()
    for thread in starters:
        thread.join()
    try:
        running = [
            t
            for t in threading.enumerate()
            if t.name == "audit-sequencer" and t.ident not in before
        ]
        assert len({id(t) for t in got}) == 1
        assert running == [app.extensions[sequencer.EXTENSION]]
    finally:
        for thread in {id(t): t for t in got}.values():
            thread.stop()
