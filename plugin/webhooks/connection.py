"""The group-commit writer's database connection."""

from __future__ import annotations

import logging
import time

from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)


class WriterConnection:
    """The connection the writer's batches commit on, kept between them.

    A pool checkout pings the server first (``pool_pre_ping``): a round trip per commit if
    each batch checked out anew. So the connection is kept, but trusted only if it was used
    in the last ``fresh_seconds``: a batch coming after a quiet spell gives it back to the
    pool and checks out (and pings) one, so a connection that died while idle (a server
    restart, an idle timeout) is not used. Dropped after a failure, given back on shutdown.
    """

    def __init__(self, engine: Engine, fresh_seconds: float = 1.0) -> None:
        self.engine = engine
        self.fresh_seconds = fresh_seconds
        self.connection: Connection | None = None
        self.reused = False  # the last ``get`` gave the kept connection, not a pinged one
        self._used_at = 0.0

    def get(self) -> Connection:
        """The open connection: kept if used lately, else a fresh (pinged) one."""
        now = time.monotonic()
        if self.connection is not None and now - self._used_at > self.fresh_seconds:
            self.close()
        self.reused = self.connection is not None
        if self.connection is None:
            self.connection = self.engine.connect()
        self._used_at = now
        return self.connection

    def close(self) -> None:
        """Give the connection back (after a failure it may be broken: never reused)."""
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail too
                log.debug("writer connection close failed")
            self.connection = None
