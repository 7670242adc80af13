"""HSTS over TLS, a CSP with frame-ancestors on every HTML response, /metrics not public.

Red team (issue 17): ``/static/widget/index.html`` came without the CSP ``/widget/`` sets,
so any origin could frame it; no HSTS; ``/metrics`` open to anyone.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask


@pytest.mark.parametrize(
    "path", ["/static/widget/index.html", "/widget/", "/admin/login", "/portal/login"]
)
def test_every_html_response_has_a_csp_with_frame_ancestors(client, path: str) -> None:  # noqa: ANN001
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors" in csp and "*" not in csp.split("frame-ancestors")[1].split()[0]


def test_the_static_widget_page_has_the_widget_policy(client) -> None:  # noqa: ANN001
    static = client.get("/static/widget/index.html").headers["Content-Security-Policy"]
    assert static == client.get("/widget/").headers["Content-Security-Policy"]
    other = client.get("/static/embed/dynamics/datavagt_widget.html")
    assert "frame-ancestors 'none'" in other.headers["Content-Security-Policy"]


def test_hsts_only_over_tls(make_app: Callable[..., Flask]) -> None:
    plain = make_app()
    assert "Strict-Transport-Security" not in plain.test_client().get("/healthz").headers
    tls = plain.test_client().get("/healthz", base_url="https://localhost")
    assert tls.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    proxied = make_app(public_url="https://datavagt.example.com")
    assert "Strict-Transport-Security" in proxied.test_client().get("/healthz").headers


def test_metrics_need_the_token_or_this_host(make_app: Callable[..., Flask]) -> None:
    local = make_app().test_client()
    assert local.get("/metrics").status_code == 200
    remote = local.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert remote.status_code == 403
    forwarded = local.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert forwarded.status_code == 403
    guarded = make_app(metrics_token="s3cret-metrics").test_client()
    assert guarded.get("/metrics").status_code == 401
    assert guarded.get("/metrics", headers={"Authorization": "Bearer nope"}).status_code == 401
    ok = guarded.get(
        "/metrics",
        headers={"Authorization": "Bearer s3cret-metrics"},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert ok.status_code == 200 and b"datavagt" in ok.data
