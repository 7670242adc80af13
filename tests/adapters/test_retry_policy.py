"""Retry policy: backoff with pinned jitter, Retry-After, no retry of bad credentials."""

from __future__ import annotations

import pytest

from adapters.http import RetryPolicy


class PinnedPolicy(RetryPolicy):
    def jitter(self) -> float:
        return 1.0


def test_exponential_backoff_is_capped() -> None:
    policy = PinnedPolicy(backoff_base=0.5, backoff_max=3.0)
    assert [policy.sleep_time(n) for n in range(4)] == [0.5, 1.0, 2.0, 3.0]


def test_jitter_stays_in_range() -> None:
    policy = RetryPolicy()
    assert all(0.5 <= policy.jitter() <= 1.0 for _ in range(100))


def test_retry_after_wins_and_is_capped() -> None:
    policy = PinnedPolicy(retry_after_max=10)
    assert policy.sleep_time(0, "7") == 7.0
    assert policy.sleep_time(0, "3600") == 10
    assert policy.sleep_time(1, "junk") == 1.0


@pytest.mark.parametrize(
    ("status", "retried"),
    [(429, True), (500, True), (503, True), (401, False), (403, False), (404, False)],
)
def test_which_statuses_retry(status: int, retried: bool) -> None:
    assert RetryPolicy().should_retry_status(status, 0) is retried


def test_attempts_are_capped() -> None:
    policy = RetryPolicy(max_retries=2)
    assert policy.should_retry_error(1) and not policy.should_retry_error(2)
