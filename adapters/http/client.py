"""The vendor HTTP client: one session, timeouts, retries, pacing, one error type."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

from adapters.http.ratelimit import RateLimiter
from adapters.http.retry import RetryPolicy
from plugin.vendors.errors import AdapterError, CredentialsError, NotFound, RateLimited

ErrorCodeReader = Callable[[requests.Response], str | None]

DEFAULT_TIMEOUT = (3.05, 30.0)


def _no_code(response: requests.Response) -> str | None:
    """Default vendor error-code reader: none."""
    return None


class HttpClient:
    """Send vendor requests: pace, retry 429/5xx/connection errors, map failures."""

    def __init__(
        self,
        vendor: str,
        base_url: str,
        *,
        session: requests.Session | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
        error_code: ErrorCodeReader = _no_code,
        request_id_headers: Iterable[str] = ("X-Request-Id",),
        sleep: Callable[[float], None] = time.sleep,
        pool_size: int = 10,
        cost_of: Callable[[str, str, Any], int] | None = None,
    ) -> None:
        self.vendor = vendor
        # Credits a request will use (method, path, params), for vendors that charge more
        # than one per call; the answer's cost header corrects it afterwards.
        self._cost_of = cost_of
        self.base_url = base_url.rstrip("/") + "/"
        self.session = session or requests.Session()
        transport = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", transport)
        self.session.mount("https://", transport)
        self.session.headers.update(headers or {})
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.limiter = limiter
        self._error_code = error_code
        self._request_id_headers = tuple(request_id_headers)
        self._sleep = sleep

    def url(self, path: str) -> str:
        """Resolve a path (or pass through an absolute URL such as a next link)."""
        if path.startswith(("http://", "https://")):
            return path
        return urljoin(self.base_url, path.lstrip("/"))

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Send with pacing and retries; return a 2xx/3xx response or raise AdapterError."""
        url = self.url(path)
        label = f"{method} {urlsplit(url).path}"  # never the query: it may hold an e-mail
        attempt = 0
        cost = self._cost_of(method, path, kwargs.get("params")) if self._cost_of else 1
        while True:
            slot = self.limiter.acquire(cost) if self.limiter else None
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if self.limiter and slot:
                    self.limiter.release(slot)
                if self.retry.should_retry_error(attempt):
                    self._sleep(self.retry.sleep_time(attempt))
                    attempt += 1
                    continue
                raise AdapterError(
                    self.vendor, f"{label} failed: {type(exc).__name__}", retryable=True
                ) from exc
            retry_after = response.headers.get("Retry-After")
            if self.limiter and slot:
                self.limiter.release(
                    slot,
                    response.status_code,
                    response.headers,
                    RetryPolicy.parse_retry_after(retry_after),
                )
            if response.status_code < 400:
                return response
            if self.retry.should_retry_status(response.status_code, attempt):
                self._sleep(self.retry.sleep_time(attempt, retry_after))
                attempt += 1
                continue
            raise self.error_for(response, label)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        """GET a path."""
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        """POST to a path."""
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        """PUT to a path."""
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        """PATCH a path."""
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        """DELETE a path."""
        return self.request("DELETE", path, **kwargs)

    def error_for(self, response: requests.Response, label: str) -> AdapterError:
        """Turn a failed answer into the matching AdapterError (no body in the message)."""
        status = response.status_code
        kind: type[AdapterError] = AdapterError
        if status == 404:
            kind = NotFound
        elif status in (401, 403):
            kind = CredentialsError
        elif status == 429:
            kind = RateLimited
        try:
            code = self._error_code(response)
        except ValueError:
            code = None
        return kind(
            self.vendor,
            f"{label} failed" + (f" with vendor code {code}" if code else ""),
            status=status,
            retryable=status == 429 or status >= 500,
            request_id=self._request_id(response),
            code=code,
            headers=dict(response.headers),
            response=response,
        )

    def _request_id(self, response: requests.Response) -> str | None:
        """The vendor's request/correlation id, for support tickets."""
        for name in self._request_id_headers:
            value = response.headers.get(name)
            if value:
                return value
        return None

    def close(self) -> None:
        """Close the session's connection pools."""
        self.session.close()
