"""Dynamics 365: an Azure AD access token (RS256) checked against the tenant's JWKS."""

from __future__ import annotations

import threading
from typing import Any

import jwt
from flask import Request

from plugin.access.mapping import VendorIdentity
from plugin.agents.exchange.errors import ExchangeError

DEFAULT_AUTHORITY = "https://login.microsoftonline.com"
V1_AUTHORITY = "https://sts.windows.net"  # v1.0 tokens' issuer, whatever the authority
# The delegated scope the Dynamics widget asks for (static/embed/dynamics: access_as_user).
DEFAULT_SCOPE = "access_as_user"
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
    """Validate a delegated (user) access token for our API; read oid, upn and groups.

    Facts (learn.microsoft.com/entra/identity-platform/access-token-claims-reference):
    v1.0 tokens (the tenant default, ``accessTokenAcceptedVersion`` null) are issued by
    ``https://sts.windows.net/{tid}/`` and name the calling app in ``appid``; v2.0 tokens by
    ``{authority}/{tid}/v2.0`` with ``azp``. Delegated tokens carry the granted scopes in
    ``scp`` (space separated); app-only (client-credentials) tokens have no ``scp``, carry
    app ``roles`` and, with the optional claim, ``idtyp: app``. Those are refused: they
    name no person, so they must never become an agent.
    """
    tenant = settings.get("tenant_id")
    client_id = settings.get("client_id")
    if not tenant or not client_id:
        raise ExchangeError("Dynamics exchange is not configured")
    authority = (settings.get("authority_url") or DEFAULT_AUTHORITY).rstrip("/")
    audiences = [client_id, settings.get("app_id_uri") or f"api://{client_id}"]
    issuers = {"2.0": f"{authority}/{tenant}/v2.0", "1.0": f"{V1_AUTHORITY}/{tenant}/"}
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
            issuer=list(issuers.values()),
            options={"require": ["exp", "iat", "iss", "aud", "oid", "tid"]},
            leeway=30,
        )
    except jwt.ExpiredSignatureError as exc:
        raise ExchangeError("Azure AD token expired") from exc
    except jwt.PyJWKClientError as exc:
        raise ExchangeError("Azure AD signing key not found") from exc
    except jwt.PyJWTError as exc:
        raise ExchangeError("Azure AD token refused") from exc
    _check_user_token(claims, issuers, settings, client_id)
    if claims.get("tid") != tenant:
        raise ExchangeError("token from another tenant")
    # A user's app roles may stand in for groups; an app token never gets this far.
    groups = _strings(claims, "groups") + _strings(claims, "roles")
    email = claims.get("preferred_username") or claims.get("upn") or claims.get("email")
    return VendorIdentity(
        vendor="dynamics",
        user_id=str(claims["oid"]),
        email=email if isinstance(email, str) else None,
        groups=tuple(groups),
    )


def _check_user_token(
    claims: dict[str, Any], issuers: dict[str, str], settings: dict[str, str], client_id: str
) -> None:
    """A delegated token of a person, requested by our own widget, with our scope."""
    for name in ("oid", "tid", "iss"):
        if not isinstance(claims.get(name), str):
            raise ExchangeError(f"token claim {name} is not a string")
    version = claims.get("ver")
    if version not in issuers or claims["iss"] != issuers[version]:
        raise ExchangeError("token version and issuer do not match")
    if claims.get("idtyp") == "app":
        raise ExchangeError("app-only tokens are refused: a person must sign in")
    scopes = claims.get("scp")
    if not isinstance(scopes, str) or not scopes.strip():
        raise ExchangeError("app-only tokens are refused: a person must sign in")
    wanted = settings.get("exchange_scope") or DEFAULT_SCOPE
    if wanted not in scopes.split():
        raise ExchangeError(f"token lacks the {wanted} scope")
    caller = claims.get("azp") if version == "2.0" else claims.get("appid")
    allowed = {c.strip() for c in (settings.get("widget_client_id") or client_id).split(",")}
    if not isinstance(caller, str) or caller not in allowed:
        raise ExchangeError("token was requested by another application")


def _strings(claims: dict[str, Any], name: str) -> list[str]:
    value = claims.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ExchangeError(f"token claim {name} is not a list of strings")
    return list(value)
