"""One rate budget per vendor for every replica on one PostgreSQL (the vendor's limit is per
account, not per process): a sliding log of the credits sent, under an advisory lock."""

from __future__ import annotations

import logging
import zlib

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.dialects.postgresql import insert as pg_insert

from plugin.extensions import db
from plugin.models import RateLimit, RateSlot
from plugin.vendors.contract import Adapter

log = logging.getLogger(__name__)
_SLOTS = RateSlot.__table__
_LIMITS = RateLimit.__table__
MARGIN = 0.01  # of the window: clock and timing slack between replicas
FULL = 0.5  # of the limit booked in the window: a 429 then pauses every replica
_NOW = sa.text("SELECT extract(epoch FROM clock_timestamp())")
# The booking whose departure from the window frees :need credits (oldest first).
_FREED_AT = sa.text(
    "SELECT sent_at FROM (SELECT sent_at, sum(cost) OVER (ORDER BY sent_at, id) AS freed"
    " FROM vendor_rate_slots WHERE vendor = :v) AS s WHERE freed >= :need"
    " ORDER BY sent_at LIMIT 1"
)


class SharedBudget:
    """Book credits before a request (``reserve``), re-date them when it is answered
    (``settle``); every replica's bookings count against the vendor's one limit."""

    def __init__(self, engine: sa.Engine, vendor: str) -> None:
        self.engine = engine
        self.vendor = vendor
        self._key = zlib.crc32(f"datavagt-rate:{vendor}".encode())  # advisory-lock key

    def reserve(
        self, cost: int, limit: int, window: float, *, floor: bool = False
    ) -> tuple[float, int | None]:
        """Book ``cost`` credits now if the window has room: (0, booking id), else (seconds
        to wait, None). Database clock, so replicas on different hosts agree.

        A vendor's 429 (``block``) stops every replica until its Retry-After. With
        ``floor`` (this process has not heard the vendor yet and ``limit`` is the documented
        floor) the limit another replica learnt from the vendor's answers is used instead:
        a replica started after a crash then paces at the vendor's limit at once, and the
        dead process's bookings (which the vendor counted too) only take their share."""
        try:
            with self.engine.begin() as conn:
                # A lost slot after a crash only frees budget early: no need to wait for fsync.
                conn.execute(sa.text("SET LOCAL synchronous_commit = off"))
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": self._key})
                now = float(conn.execute(_NOW).scalar_one())
                known = conn.execute(
                    sa.select(_LIMITS.c.limit, _LIMITS.c.window, _LIMITS.c.blocked_until).where(
                        _LIMITS.c.vendor == self.vendor
                    )
                ).first()
                if known is not None:
                    if known.blocked_until > now:
                        return known.blocked_until - now, None
                    if floor and known.limit:
                        limit = max(limit, int(known.limit))
                        window = float(known.window or window)
                cost = min(cost, limit)  # dearer than a whole window: it goes alone
                window = window * (1 + MARGIN)
                conn.execute(
                    _SLOTS.delete().where(
                        _SLOTS.c.vendor == self.vendor, _SLOTS.c.sent_at <= now - window
                    )
                )
                used = conn.execute(
                    sa.select(sa.func.coalesce(sa.func.sum(_SLOTS.c.cost), 0)).where(
                        _SLOTS.c.vendor == self.vendor
                    )
                ).scalar_one()
                if int(used) + cost <= limit:
                    booked = conn.execute(
                        _SLOTS.insert()
                        .values(vendor=self.vendor, sent_at=now, cost=cost)
                        .returning(_SLOTS.c.id)
                    ).scalar_one()
                    return 0.0, int(booked)
                # Wait until enough of the oldest bookings have left the window.
                freed_at = conn.execute(_FREED_AT, {"v": self.vendor, "need": used + cost - limit})
                at = freed_at.scalar()
                wait = float(at) + window - now if at is not None else window / limit
                return max(wait, 0.005), None
        except sa.exc.SQLAlchemyError as exc:
            # The database is down: fall back to this process's own pacing rather than stall.
            log.warning("shared rate budget unavailable", extra={"error": type(exc).__name__})
            return 0.0, None

    def settle(self, booking: int, cost: int, vendor_used: int | None = None) -> None:
        """Count the slot from the answer's time: the vendor counted it on arrival, which may
        be later than the booking (our own log does the same with completion times), and at
        the credits the vendor says it charged (a next-page link can carry an include=).

        ``vendor_used`` is what the vendor counts in its window (limit minus the answer's
        remaining). More than every replica booked means another client of the same account
        or app spends credits too: that difference is booked as well, from now, so it
        leaves our window no sooner than the vendor's. Our bookings are made before sending
        and re-dated later than the vendor counts them, so ours never look like others'."""
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.text("SET LOCAL synchronous_commit = off"))
                if vendor_used is not None:  # the lock first, as reserve takes it
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": self._key})
                conn.execute(
                    _SLOTS.update()
                    .where(_SLOTS.c.id == booking)
                    .values(
                        sent_at=sa.func.extract("epoch", sa.func.clock_timestamp()),
                        cost=max(1, cost),
                    )
                )
                if vendor_used is not None:
                    ours = conn.execute(
                        sa.select(sa.func.coalesce(sa.func.sum(_SLOTS.c.cost), 0)).where(
                            _SLOTS.c.vendor == self.vendor
                        )
                    ).scalar_one()
                    if vendor_used > int(ours):
                        now = float(conn.execute(_NOW).scalar_one())
                        conn.execute(
                            _SLOTS.insert().values(
                                vendor=self.vendor, sent_at=now, cost=vendor_used - int(ours)
                            )
                        )
        except sa.exc.SQLAlchemyError as exc:
            log.warning("shared rate budget unavailable", extra={"error": type(exc).__name__})

    def learn(self, limit: int, window: float) -> None:
        """The vendor's answer named its limit: keep it for replicas that start cold."""
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.text("SET LOCAL synchronous_commit = off"))
                stmt = pg_insert(_LIMITS).values(
                    vendor=self.vendor, limit=limit, window=window, blocked_until=0.0
                )
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=[_LIMITS.c.vendor],
                        set_={"limit": limit, "window": window},
                    )
                )
        except sa.exc.SQLAlchemyError as exc:
            log.warning("shared rate budget unavailable", extra={"error": type(exc).__name__})

    def block(self, seconds: float, window: float, limit: int) -> bool:
        """A 429: no replica sends for ``seconds`` (the vendor's Retry-After, at most one
        window: a longer pause would outlast every count the vendor keeps). True if so.

        Only when the budget shows the account's window at least half full (every replica's
        bookings and what the vendor's answers said other clients spent): a vendor counting
        in fixed windows never counts more than this sliding log holds, so a 429 with the
        window far from full is not the account's limit (a per-endpoint limit, a fault) and
        pauses only the process that got it."""
        seconds = max(0.0, min(seconds, window))
        try:
            with self.engine.begin() as conn:
                conn.execute(sa.text("SET LOCAL synchronous_commit = off"))
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": self._key})
                now = float(conn.execute(_NOW).scalar_one())
                used = conn.execute(
                    sa.select(sa.func.coalesce(sa.func.sum(_SLOTS.c.cost), 0)).where(
                        _SLOTS.c.vendor == self.vendor,
                        _SLOTS.c.sent_at > now - window * (1 + MARGIN),
                    )
                ).scalar_one()
                if int(used) < limit * FULL:
                    return False
                stmt = pg_insert(_LIMITS).values(vendor=self.vendor, blocked_until=now + seconds)
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=[_LIMITS.c.vendor],
                        set_={
                            "blocked_until": sa.func.greatest(
                                _LIMITS.c.blocked_until, stmt.excluded.blocked_until
                            )
                        },
                    )
                )
                return True
        except sa.exc.SQLAlchemyError as exc:
            log.warning("shared rate budget unavailable", extra={"error": type(exc).__name__})
            return False


def share_budgets(app: Flask, adapters: dict[str, Adapter]) -> None:
    """On PostgreSQL, give every adapter's limiter the vendor's shared budget."""
    if app.extensions["datavagt.settings"].extra.get("rate_budget", "shared") != "shared":
        return
    engine = db.engine
    if engine.dialect.name != "postgresql":
        return  # SQLite: one process; its own limiter is the whole budget
    for name, adapter in adapters.items():
        limiter = getattr(getattr(adapter, "http", None), "limiter", None)
        if limiter is not None:
            limiter.shared = SharedBudget(engine, name)
