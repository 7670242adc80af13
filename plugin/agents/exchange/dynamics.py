"""Dynamics 365: an Azure AD access token (RS256) checked against the tenant's JWKS."""

from __future__ import annotations

import threading
from typing import Any

import jwt
from flask import Request

from plugin.access.mapping import VendorIdentity
from plugin.agents.exchange.errors import ExchangeError

DEFAULT_AUTHORITY = "https://login.microsoftonline.com"
ALGORITHMS = ["RS256"]  # pinned: never taken from the token header
JWKS_LIFESPAN = 3600  # seconds a fetched key set is trusted before refetching
_CLIENTS: dict[str, jwt.PyJWKClient] = {}
_LOCK = threading.Lock()


def jwks_client(url: str) -> jwt.PyJWKClient:
    """One cached PyJWKClient per JWKS URL (keys are refetched on an unknown kid)."""
    with _LOCK:
        client = _CLIENTS.get(url)
        if client is None:
            client = jwt.PyJWKClient(url, cache_keys=True, lifespan=JWKS_LIFESPAN, timeout=5)
            _CLIENTS[url] = client
        return client


def _bearer(request: Request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ExchangeError("an Azure AD bearer token is required")
    return token.strip()


def verify_dynamics(request: Request, settings: dict[str, str]) -> VendorIdentity:
    """Validate issuer, audience, expiry, tenant and signature; read oid, upn and groups."""
    tenant = settings.get("tenant_id")
    client_id = settings.get("client_id")
    if not tenant or not client_id:
        raise ExchangeError("Dynamics exchange is not configured")
    authority = (settings.get("authority_url") or DEFAULT_AUTHORITY).rstrip("/")
    audiences = [client_id, settings.get("app_id_uri") or f"api://{client_id}"]
    token = _bearer(request)
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in ALGORITHMS:
            raise ExchangeError("token algorithm not allowed")
        key = jwks_client(f"{authority}/{tenant}/discovery/v2.0/keys").get_signing_key_from_jwt(
            token
        )
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=ALGORITHMS,
            audience=audiences,
            issuer=f"{authority}/{tenant}/v2.0",
            options={"require": ["exp", "iat", "iss", "aud", "oid", "tid"]},
            leeway=30,
        )
    except jwt.ExpiredSignatureError as exc:
        raise ExchangeError("Azure AD token expired") from exc
    except jwt.PyJWKClientError as exc:
        raise ExchangeError("Azure AD signing key not found") from exc
    except jwt.PyJWTError as exc:
        raise ExchangeError("Azure AD token refused") from exc
    if claims.get("tid") != tenant:
        raise ExchangeError("token from another tenant")
    groups = [str(g) for g in claims.get("groups", []) or []]
    groups += [str(r) for r in claims.get("roles", []) or []]
    return VendorIdentity(
        vendor="dynamics",
        user_id=str(claims["oid"]),
        email=claims.get("preferred_username") or claims.get("upn") or claims.get("email"),
        groups=tuple(groups),
    )
