"""A simulated Azure AD tenant: discovery, token endpoint, JWKS and user tokens."""

from __future__ import annotations

import functools
import json
import time
import uuid
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, Response, request
from jwt.algorithms import RSAAlgorithm


class AzureAdSim:
    """Issue RS256 tokens as Azure AD would, for one tenant and one app registration."""

    def __init__(self, tenant_id: str, client_id: str, client_secret: str, token_ttl: int) -> None:
        self.tenant_id = tenant_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_ttl = token_ttl
        self.kid = uuid.uuid4().hex[:16]
        self._key = _signing_key()
        self.app_object_id = str(uuid.uuid4())
        self.base_url = ""

    @property
    def issuer(self) -> str:
        """The v2.0 issuer for this tenant."""
        return f"{self.base_url}/{self.tenant_id}/v2.0"

    def jwks(self) -> dict[str, Any]:
        """The public signing key as a JWK set."""
        jwk = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        jwk.update(kid=self.kid, use="sig", alg="RS256")
        return {"keys": [jwk]}

    def sign(self, claims: dict[str, Any]) -> str:
        """Sign claims with the tenant key."""
        return jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid})

    def mint_user_token(
        self,
        upn: str,
        *,
        audience: str,
        oid: str | None = None,
        name: str | None = None,
        ttl: int = 3600,
        version: str = "2.0",
        scope: str = "access_as_user",
        client_id: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> str:
        """A delegated (user) access token as Azure AD issues it for our widget.

        learn.microsoft.com/entra/identity-platform/access-token-claims-reference: v2.0
        tokens come from ``{authority}/{tid}/v2.0`` with ``azp`` and ``preferred_username``;
        v1.0 tokens (the default for an app registration) from ``https://sts.windows.net/
        {tid}/`` with ``appid``, ``upn`` and ``unique_name``; both carry ``scp``.
        """
        now = int(time.time())
        caller = client_id or self.client_id
        claims: dict[str, Any] = {
            "aud": audience,
            "iat": now,
            "nbf": now,
            "exp": now + ttl,
            "oid": oid or str(uuid.uuid4()),
            "name": name or upn,
            "tid": self.tenant_id,
            "scp": scope,
            "ver": version,
        }
        if version == "1.0":
            claims |= {
                "iss": f"https://sts.windows.net/{self.tenant_id}/",
                "appid": caller,
                "upn": upn,
                "unique_name": upn,
            }
        else:
            claims |= {
                "iss": self.issuer,
                "azp": caller,
                "upn": upn,
                "preferred_username": upn,
            }
        return self.sign({**claims, **(extra or {})})

    def mint_app_token(self, *, audience: str, roles: list[str] | None = None) -> str:
        """An app-only (client credentials) token: no ``scp``, app ``roles``, ``idtyp: app``
        (the optional claim), the service principal's ``oid``."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": audience,
            "iat": now,
            "nbf": now,
            "exp": now + self.token_ttl,
            "azp": self.client_id,
            "oid": self.app_object_id,
            "sub": self.app_object_id,
            "tid": self.tenant_id,
            "idtyp": "app",
            "roles": roles or [],
            "ver": "2.0",
        }
        return self.sign(claims)

    def decode(self, token: str, audience: str) -> dict[str, Any]:
        """Validate a token we issued (raises jwt.PyJWTError)."""
        return jwt.decode(
            token,
            self._key.public_key(),
            algorithms=["RS256"],
            audience=audience,
            issuer=self.issuer,
        )

    def register(self, app: Flask) -> None:
        """Serve discovery, token and JWKS under /<tenant>/."""
        tenant = self.tenant_id

        @app.get(f"/{tenant}/v2.0/.well-known/openid-configuration")
        def _openid() -> Response:
            base = f"{request.host_url.rstrip('/')}/{tenant}"
            doc = {
                "issuer": self.issuer,
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "jwks_uri": f"{base}/discovery/v2.0/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "client_secret_basic",
                ],
            }
            return Response(json.dumps(doc), mimetype="application/json")

        @app.get(f"/{tenant}/discovery/v2.0/keys")
        def _keys() -> Response:
            return Response(json.dumps(self.jwks()), mimetype="application/json")

        @app.post(f"/{tenant}/oauth2/v2.0/token")
        def _token() -> Response:
            form = request.form
            client_id, secret = form.get("client_id"), form.get("client_secret")
            if request.authorization and request.authorization.type == "basic":
                client_id = request.authorization.username
                secret = request.authorization.password
            if form.get("grant_type") != "client_credentials":
                return _oauth_error(400, "unsupported_grant_type", "AADSTS70003")
            if client_id != self.client_id or secret != self.client_secret:
                return _oauth_error(
                    401, "invalid_client", "AADSTS7000215: Invalid client secret provided."
                )
            now = int(time.time())
            audience = request.host_url.rstrip("/")  # the org URL: this same server
            claims = {
                "iss": self.issuer,
                "aud": audience,
                "iat": now,
                "nbf": now,
                "exp": now + self.token_ttl,
                "appid": self.client_id,
                "oid": self.app_object_id,
                "tid": tenant,
                "ver": "2.0",
            }
            body = {
                "token_type": "Bearer",
                "expires_in": self.token_ttl,
                "ext_expires_in": self.token_ttl,
                "access_token": self.sign(claims),
            }
            return Response(json.dumps(body), mimetype="application/json")


@functools.cache
def _signing_key() -> rsa.RSAPrivateKey:
    """One RSA key per process: generating keys is slow and simulators are throwaway."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _oauth_error(status: int, error: str, description: str) -> Response:
    body = {
        "error": error,
        "error_description": description,
        "error_codes": [7000215],
        "trace_id": str(uuid.uuid4()),
        "correlation_id": str(uuid.uuid4()),
    }
    return Response(json.dumps(body), status, mimetype="application/json")
