"""A separate process appending audit events: ``python -m tests.audit.writer URL KEYS N NAME``."""

from __future__ import annotations

import sys

from plugin.app import create_app
from plugin.audit import actions, record
from plugin.auth import Actor
from plugin.extensions import db


def main(url: str, key_file: str, count: int, name: str) -> None:
    """Append ``count`` events, one transaction each."""
    app = create_app({"database_url": url, "key_file": key_file, "scheduler": "off"})
    actor = Actor(id=name, role="agent")
    with app.app_context():
        for index in range(count):
            record(actions.VIEW, actor=actor, details={"n": index})
            db.session.commit()
        db.engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
