"""Agent identity: Datavagt JWTs and the guard that protects API routes."""

from __future__ import annotations

from plugin.auth.guard import Actor, current_actor, require_role
from plugin.auth.tokens import TokenError, issue_token, verify_token

__all__ = ["Actor", "TokenError", "current_actor", "issue_token", "require_role", "verify_token"]
