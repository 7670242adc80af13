"""Shared HTTP client for vendor adapters: transport, retry policy, rate limiter."""

from __future__ import annotations

from adapters.http.client import DEFAULT_TIMEOUT, HttpClient
from adapters.http.ratelimit import RateLimiter, RateLimitHeaders
from adapters.http.retry import RetryPolicy

__all__ = ["DEFAULT_TIMEOUT", "HttpClient", "RateLimitHeaders", "RateLimiter", "RetryPolicy"]
