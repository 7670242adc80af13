"""Concurrent writers (threads and processes) still produce one gap-free, valid chain."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from flask import Flask

from plugin.audit import actions, record
from plugin.audit.sequencer import flush
from plugin.audit.verify import verify_chain
from plugin.auth import Actor
from plugin.config import ROOT
from plugin.extensions import db
from plugin.models import AuditEvent


def _assert_chain(app: Flask, expected: int) -> None:
    # The writer processes ended with events maybe still queued: nothing is lost, and
    # this pass chains them.
    flush(app)
    db.session.expire_all()
    seqs = db.session.scalars(db.select(AuditEvent.seq).order_by(AuditEvent.seq)).all()
    assert seqs == list(range(1, expected + 1))
    assert verify_chain(db.session, app.extensions["datavagt.keyring"]).events == expected


def test_eight_threads_fifty_appends(app: Flask) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work(number: int) -> None:
        with app.app_context():
            actor = Actor(id=f"thread-{number}", role="agent")
            try:
                barrier.wait()
                for index in range(50):
                    record(actions.VIEW, actor=actor, details={"n": index})
                    db.session.commit()
            except BaseException as exc:  # noqa: BLE001  (reported by the main thread)
                errors.append(exc)
                db.session.rollback()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    _assert_chain(app, 400)


def test_three_processes(app: Flask, database_url: str, tmp_path: Path) -> None:
    key_file = str(app.extensions["datavagt.keyring"].path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.audit.writer", database_url, key_file, "50", f"p{n}"],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
        )
        for n in range(3)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr.decode()[-2000:]
    _assert_chain(app, 150)
    agents = db.session.scalars(db.select(AuditEvent.actor_id).distinct()).all()
    assert sorted(agents) == ["p0", "p1", "p2"]
