"""OAuth 2.0 client credentials for Dataverse, with the token cached and refreshed early."""

from __future__ import annotations

import threading
from typing import Any

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session

from plugin.vendors.errors import CredentialsError


class ClientCredentialsSession(OAuth2Session):
    """A requests session that fetches a token on first use and again before it expires.

    authlib, not msal: msal only accepts https authorities, so it cannot be pointed at
    the local simulator; authlib speaks the same token endpoint over any URL.
    """

    def __init__(
        self, client_id: str, client_secret: str, token_endpoint: str, scope: str, leeway: int
    ) -> None:
        super().__init__(
            client_id,
            client_secret,
            token_endpoint=token_endpoint,
            grant_type="client_credentials",
            scope=scope,
            leeway=leeway,
        )
        self._token_lock = threading.Lock()
        self.token_fetches = 0

    def request(  # type: ignore[override]
        self, method: str, url: str, withhold_token: bool = False, auth: Any = None, **kwargs: Any
    ) -> requests.Response:
        """Ensure a live token, then send."""
        if not withhold_token and auth is None:
            with self._token_lock:
                if not self.token or self.token.is_expired(leeway=self.leeway):
                    self._fetch()
        return super().request(method, url, withhold_token=withhold_token, auth=auth, **kwargs)

    def _fetch(self) -> None:
        try:
            self.fetch_token(grant_type="client_credentials")
        except AuthlibBaseError as exc:
            raise CredentialsError(
                "dynamics", f"token request refused: {exc.error}", status=401, code=exc.error
            ) from exc
        self.token_fetches += 1
