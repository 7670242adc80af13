"""Retention: policies, the sweep that enqueues due work, and the outbox dispatchers."""
