"""The group-commit writer thread's database connection."""

from __future__ import annotations

import logging

from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)


class WriterConnection:
    """A connection kept while the writer has work (no pool checkout and pre-ping per
    batch); dropped after a failure, given back to the pool when the thread stops."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection: Connection | None = None

    def get(self) -> Connection:
        """The open connection, connecting first when there is none."""
        if self.connection is None:
            self.connection = self.engine.connect()
        return self.connection

    def close(self) -> None:
        """Give the connection back (after a failure it may be broken: never reused)."""
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail too
                log.debug("writer connection close failed")
            self.connection = None
