"""Route protection: bearer token in, ``Actor`` out, role checked against the manifest."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app, g, request

from plugin.auth.tokens import TokenError, verify_token
from plugin.errors import ApiError

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Actor:
    """Who is acting: an agent, an admin, a service, a data subject or the system itself."""

    id: str
    role: str | None = None
    vendor: str | None = None
    vendor_user: str | None = None
    source: str = "api"  # api, cli, worker, portal, webhook, form
    # Exchanged tokens are bound to the ticket the widget was opened on (None: no ticket);
    # ``ticket_bound`` is False for tokens minted by an admin (CLI, demo).
    ticket: str | None = None
    ticket_bound: bool = False

    @classmethod
    def system(cls, source: str = "worker") -> Actor:
        """Datavagt acting on its own (scheduler, worker)."""
        return cls(id=f"system:{source}", role=None, source=source)


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "A bearer token is required")
    return token.strip()


def authenticate() -> Actor:
    """The actor behind the request's bearer token (401 when missing or invalid)."""
    keyring = current_app.extensions["datavagt.keyring"]
    try:
        claims = verify_token(keyring, _bearer())
    except TokenError as exc:
        raise ApiError(401, "unauthorized", str(exc)) from exc
    role = claims.get("role")
    if role not in current_app.extensions["datavagt.manifest"].roles:
        raise ApiError(401, "unauthorized", "token role is not defined in the manifest")
    return Actor(
        id=str(claims["sub"]),
        role=str(role),
        vendor=claims.get("vendor"),
        vendor_user=claims.get("vendor_user"),
        source="api",
        ticket=claims.get("ticket"),
        ticket_bound="ticket" in claims,
    )


def require_role(*roles: str) -> Callable[[F], F]:
    """Allow callers whose role is, or implies, one of ``roles`` (no roles: any valid token)."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            actor = authenticate()
            if roles:
                held = current_app.extensions["datavagt.manifest"].implied_roles(actor.role or "")
                if not held.intersection(roles):
                    raise ApiError(403, "forbidden", "Your role does not allow this")
            g.actor = actor
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def current_actor() -> Actor:
    """The actor ``require_role`` authenticated for this request."""
    actor = g.get("actor")
    if actor is None:
        raise RuntimeError("current_actor() outside a require_role view")
    return actor
