"""Prometheus metrics: request counts and latencies per route, queue depths at scrape time."""

from __future__ import annotations

import time
from collections.abc import Iterator

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from plugin.extensions import db


class QueueDepthCollector(Collector):
    """Reads inbox and outbox depth by status when Prometheus scrapes."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """One gauge per queue, labelled by status."""
        from plugin.models import InboxEvent, OutboxJob

        for name, model in (("inbox", InboxEvent), ("outbox", OutboxJob)):
            family = GaugeMetricFamily(
                f"datavagt_{name}_items", f"{name} items by status", labels=["status"]
            )
            try:
                with self.app.app_context():
                    rows = db.session.execute(
                        sa.select(model.status, sa.func.count()).group_by(model.status)
                    ).all()
                    db.session.remove()
            except sa.exc.SQLAlchemyError:
                rows = []  # an unreachable database shows in /readyz, not as a scrape error
            for status, count in rows:
                family.add_metric([status], count)
            yield family


def init_app(app: Flask) -> None:
    """Create this app's registry and time every request."""
    registry = CollectorRegistry()
    requests_total = Counter(
        "datavagt_http_requests_total",
        "HTTP requests",
        ["method", "route", "status"],
        registry=registry,
    )
    latency = Histogram(
        "datavagt_http_request_seconds",
        "HTTP request latency",
        ["method", "route"],
        registry=registry,
    )
    registry.register(QueueDepthCollector(app))
    app.extensions["datavagt.metrics"] = registry

    @app.before_request
    def _start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        route = request.url_rule.rule if request.url_rule else "<unmatched>"
        requests_total.labels(request.method, route, str(response.status_code)).inc()
        if "started" in g:
            latency.labels(request.method, route).observe(time.perf_counter() - g.started)
        return response


def registry() -> CollectorRegistry:
    """The current app's metrics registry."""
    return current_app.extensions["datavagt.metrics"]
