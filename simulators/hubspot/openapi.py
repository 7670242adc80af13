"""Check simulator traffic against HubSpot's published OpenAPI files (openapi-core)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from flask import Request, Response

SPEC_FILES = {
    "/crm/v3/objects/tickets": "tickets.json",
    "/crm/v3/objects/contacts": "contacts.json",
    "/crm/v4/": "associations.json",
    "/webhooks/": "webhooks.json",
}


class SpecValidator:
    """Validate requests and responses; collects human-readable violations."""

    def __init__(self, spec_dir: Path) -> None:
        from openapi_core import OpenAPI  # test extra: imported only when validation is on

        self._openapi = OpenAPI
        self.spec_dir = spec_dir
        self._apis: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()
        self.errors: list[str] = []

    def _api(self, path: str, base_url: str) -> Any:
        for prefix, name in SPEC_FILES.items():
            if path.startswith(prefix):
                key = (name, base_url)
                with self._lock:
                    if key not in self._apis:
                        from openapi_core import Config

                        spec = json.loads((self.spec_dir / name).read_text(encoding="utf-8"))
                        spec["servers"] = [{"url": base_url}]  # the simulator, not api.hubapi.com
                        _drop_security(spec)  # auth is the simulator's own check
                        _json_errors(spec)
                        self._apis[key] = self._openapi.from_dict(
                            spec,
                            config=Config(spec_validator_cls=None),  # vendor file, as is
                        )
                    return self._apis[key]
        return None

    def check_request(self, request: Request) -> str | None:
        """Return a violation message, or None when the request fits the spec."""
        from openapi_core.contrib.flask import FlaskOpenAPIRequest

        api = self._api(request.path, request.host_url.rstrip("/"))
        if api is None:
            return None
        try:
            api.validate_request(FlaskOpenAPIRequest(request))
        except Exception as exc:  # noqa: BLE001 - any validation failure is reported
            return self._record("request", request, exc)
        return None

    def check_response(self, request: Request, response: Response) -> None:
        """Record a violation when our own answer does not fit the spec."""
        from openapi_core.contrib.flask import FlaskOpenAPIRequest
        from openapi_core.contrib.werkzeug import WerkzeugOpenAPIResponse

        api = self._api(request.path, request.host_url.rstrip("/"))
        if api is None or response.status_code == 429:
            return
        if response.status_code == 204:
            if response.get_data():
                self._record("response", request, ValueError("204 with a body"))
            return
        try:
            api.validate_response(FlaskOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))
        except Exception as exc:  # noqa: BLE001
            self._record("response", request, exc)

    def _record(self, what: str, request: Request, exc: Exception) -> str:
        cause = exc.__cause__ or exc
        details = getattr(cause, "schema_errors", None) or []
        extra = "; ".join(str(getattr(e, "message", e)) for e in details)
        message = f"{what} {request.method} {request.path}: {type(exc).__name__} {exc} {extra}"
        with self._lock:
            self.errors.append(message)
        return message


def _drop_security(spec: dict[str, Any]) -> None:
    """Remove security requirements (openapi-core warns on HubSpot's schemes)."""
    spec.pop("security", None)
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict):
                operation.pop("security", None)


def _json_errors(spec: dict[str, Any]) -> None:
    """The specs declare error bodies as `*/*`; HubSpot sends JSON, so check them as JSON."""
    for response in spec.get("components", {}).get("responses", {}).values():
        content = response.get("content", {})
        if "*/*" in content:
            content["application/json"] = content.pop("*/*")
