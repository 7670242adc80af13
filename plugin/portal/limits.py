"""Login rate limits per address (blind index) and per client (IP hash), kept in process.

The same in-process limiter as the intake forms, for the same reason: anonymous traffic must
not drive database writes. Known and unknown addresses are counted alike, so a 429 tells an
attacker nothing about whether an address is known.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from plugin.forms.ratelimit import MinuteLimiter

EXTENSION = "datavagt.portal.limits"
WINDOW_SECONDS = 15 * 60
DEFAULTS = {"per_address": 5, "per_ip": 30, "confirm_per_ip": 60}


@dataclass
class PortalLimits:
    """Links asked per address and per IP, and link uses per IP, per 15-minute window."""

    per_address: MinuteLimiter
    per_ip: MinuteLimiter
    confirm_per_ip: MinuteLimiter


def init_app(app: Flask) -> PortalLimits:
    """Build the limiters; the YAML setting ``portal_rate_limits`` overrides the defaults."""
    configured = app.extensions["datavagt.settings"].extra.get("portal_rate_limits") or {}
    limits = {name: int(configured.get(name, default)) for name, default in DEFAULTS.items()}
    built = PortalLimits(
        **{name: MinuteLimiter(limit, window=WINDOW_SECONDS) for name, limit in limits.items()}
    )
    app.extensions[EXTENSION] = built
    return built


def limits() -> PortalLimits:
    """The current app's limiters."""
    return current_app.extensions[EXTENSION]


def first_wait(*checks: tuple[MinuteLimiter, str]) -> float | None:
    """Count a hit in every limiter; seconds to wait when any is over its limit."""
    waits = [wait for limiter, key in checks if (wait := limiter.hit(key)) is not None]
    return max(waits) if waits else None
