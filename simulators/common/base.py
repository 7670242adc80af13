"""A stateful vendor simulator: control API, call counters, faults and rate limits."""

from __future__ import annotations

import random
import re
import socket
import threading
import time
from collections import Counter
from typing import Any

from flask import Flask, Response, jsonify, request

from simulators.common.server import SimulatorServer
from simulators.common.webhooks import DeliveryPolicy, WebhookSender
from simulators.common.window import WindowCounter, WindowState

_RULE_VAR = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
CONTROL_PREFIX = "/_sim/"


class VendorSimulator(SimulatorServer):
    """Base for vendor simulators; subclasses add routes and the vendor's bodies."""

    vendor = "vendor"
    sliding_window = True
    delivery_policy = DeliveryPolicy()

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limit: int = 1000,
        rate_window: float = 60.0,
        fail_rate: float = 0.0,
        latency: float = 0.0,
        drop_rate: float = 0.0,
        webhook_url: str | None = None,
        seed: int = 1,
    ) -> None:
        super().__init__(Flask(f"{self.vendor}-simulator"), host, port)
        self.lock = threading.RLock()
        self.calls: Counter[tuple[str, str]] = Counter()
        self.rejected = 0  # requests answered 429 by the rate limit
        self.config: dict[str, Any] = {
            "fail_rate": fail_rate,
            "fail_status": 503,
            "fail_next": 0,
            "latency": latency,
            "drop_rate": drop_rate,
            "drop_next": 0,
            "hang_next": 0,
            "hang_seconds": 0.0,
            "webhook_url": webhook_url,
        }
        self.window = WindowCounter(rate_limit, rate_window, sliding=self.sliding_window)
        self.random = random.Random(seed)
        self._sender: WebhookSender | None = None
        self._install_hooks()
        self._install_control()
        self.register_routes(self.app)
        self.reset_data()

    # -- subclass hooks -------------------------------------------------------------
    def register_routes(self, app: Flask) -> None:
        """Add the vendor's API routes."""

    def reset_data(self) -> None:
        """Empty the vendor's records."""

    def snapshot(self) -> dict[str, Any]:
        """Return the records for inspection."""
        return {}

    def seed_demo(self) -> dict[str, Any]:
        """Load realistic demo records; returns their ids."""
        return {}

    def authenticate(self) -> Response | None:
        """Return an error response when the request lacks valid credentials."""
        return None

    def metered(self) -> bool:
        """Whether this request is API traffic (faults, limits, auth apply)."""
        return True

    def rate_headers(self, state: WindowState) -> dict[str, str]:
        """The vendor's rate-limit headers for an answer."""
        return {}

    def rate_limited(self, state: WindowState) -> Response:
        """The vendor's 429 answer."""
        return Response(status=429, headers={"Retry-After": str(max(1, round(state.retry_after)))})

    def server_error(self, status: int) -> Response:
        """The vendor's 5xx answer."""
        return Response(status=status)

    def sidecar_settings(self) -> dict[str, str]:
        """Settings (prefix stripped, lower-case) that point the sidecar at this simulator."""
        return {}

    # -- runtime control -------------------------------------------------------------
    def configure(self, **changes: Any) -> dict[str, Any]:
        """Change faults, limits or the webhook URL at runtime."""
        with self.lock:
            if "rate_limit" in changes or "rate_window" in changes:
                self.window.reset(changes.pop("rate_limit", None), changes.pop("rate_window", None))
            unknown = set(changes) - set(self.config)
            if unknown:
                raise KeyError(f"unknown simulator settings: {sorted(unknown)}")
            self.config.update(changes)
            return self.describe()

    def describe(self) -> dict[str, Any]:
        """Current settings."""
        return {**self.config, "rate_limit": self.window.limit, "rate_window": self.window.window}

    def reset(self) -> None:
        """Forget records, counters and faults-in-progress."""
        with self.lock:
            self.calls.clear()
            self.rejected = 0
            self.window.reset()
            self.config.update(fail_next=0, drop_next=0, hang_next=0)
            self.reset_data()

    def count(self, method: str, template: str) -> int:
        """Calls made to one endpoint, e.g. ("DELETE", "/api/v2/tickets/{id}")."""
        return self.calls[(method, template)]

    def notify(self, build: Any) -> None:
        """Send a webhook (built per attempt) to the configured sidecar URL, if any."""
        if not self.config.get("webhook_url"):
            return
        if self._sender is None:
            self._sender = WebhookSender(self.delivery_policy)
        self._sender.submit(build)

    @property
    def deliveries(self) -> list[Any]:
        """Webhook attempts made so far."""
        return list(self._sender.records) if self._sender else []

    def flush_webhooks(self, timeout: float = 10.0) -> bool:
        """Wait for queued webhooks to be delivered."""
        return self._sender.flush(timeout) if self._sender else True

    def stop(self) -> None:
        """Stop serving and the webhook thread."""
        if self._sender is not None:
            self._sender.close()
            self._sender = None
        super().stop()

    # -- wiring -----------------------------------------------------------------------
    def _install_hooks(self) -> None:
        app = self.app

        @app.before_request
        def _before() -> Response | None:
            if request.path.startswith(CONTROL_PREFIX):
                return None
            rule = request.url_rule.rule if request.url_rule else request.path
            with self.lock:
                self.calls[(request.method, _RULE_VAR.sub(r"{\1}", rule))] += 1
            if not self.metered():
                return None
            return self._faults() or self._limit() or self.authenticate()

        @app.after_request
        def _after(response: Response) -> Response:
            state = getattr(request, "_sim_rate", None)
            if state is not None:
                response.headers.update(self.rate_headers(state))
            return response

    def _faults(self) -> Response | None:
        with self.lock:
            cfg = self.config
            latency = float(cfg["latency"])
            hang = 0.0
            if cfg["hang_next"] > 0:
                cfg["hang_next"] -= 1
                hang = float(cfg["hang_seconds"])
            drop = cfg["drop_next"] > 0 or self.random.random() < float(cfg["drop_rate"])
            if cfg["drop_next"] > 0:
                cfg["drop_next"] -= 1
            fail = cfg["fail_next"] > 0 or self.random.random() < float(cfg["fail_rate"])
            if cfg["fail_next"] > 0:
                cfg["fail_next"] -= 1
            status = int(cfg["fail_status"])
        if latency or hang:
            time.sleep(latency + hang)
        if drop:
            sock = request.environ.get("werkzeug.socket")
            if sock is not None:
                sock.shutdown(socket.SHUT_RDWR)
            return Response(status=500)
        if fail:
            if status == 429:
                return self.rate_limited(WindowState(False, self.window.limit, 0, 1.0))
            return self.server_error(status)
        return None

    def request_cost(self) -> int:
        """Credits the current request uses against the limit (vendors may charge more)."""
        return 1

    def _limit(self) -> Response | None:
        cost = self.request_cost()
        state = self.window.hit(cost)
        request._sim_rate = state  # type: ignore[attr-defined]
        request._sim_cost = cost  # type: ignore[attr-defined]
        if state.allowed:
            return None
        with self.lock:
            self.rejected += 1
        return self.rate_limited(state)

    def _install_control(self) -> None:
        app = self.app

        @app.get("/_sim/config")
        def _get_config() -> Response:
            return jsonify(self.describe())

        @app.post("/_sim/config")
        def _set_config() -> Response | tuple[Response, int]:
            try:
                return jsonify(self.configure(**(request.get_json(force=True) or {})))
            except KeyError as exc:
                return jsonify({"error": str(exc)}), 400

        @app.get("/_sim/calls")
        def _get_calls() -> Response:
            with self.lock:
                rows = [{"method": m, "path": p, "count": n} for (m, p), n in self.calls.items()]
            return jsonify(rows)

        @app.delete("/_sim/calls")
        def _clear_calls() -> tuple[str, int]:
            with self.lock:
                self.calls.clear()
            return "", 204

        @app.post("/_sim/reset")
        def _reset() -> tuple[str, int]:
            self.reset()
            return "", 204

        @app.post("/_sim/seed")
        def _seed() -> Response:
            return jsonify(self.seed_demo())

        @app.get("/_sim/state")
        def _state() -> Response:
            with self.lock:
                return jsonify(self.snapshot())

        @app.get("/_sim/webhooks")
        def _webhooks() -> Response:
            return jsonify(
                [{"url": r.url, "attempt": r.attempt, "status": r.status} for r in self.deliveries]
            )
