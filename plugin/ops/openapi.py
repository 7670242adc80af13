"""OpenAPI 3 document generated from the marshmallow schemas each route declares."""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

import plugin

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "object"},
            },
        }
    },
}
_RULE_ARG = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def build_spec(app: Flask) -> dict[str, Any]:
    """Walk the URL map and describe every documented view."""
    spec = APISpec(
        title="Datavagt",
        version=plugin.__version__,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
    )
    spec.components.schema("Error", ERROR_SCHEMA)
    spec.components.security_scheme(
        "agentJWT", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    )
    # Vendors authenticate their webhooks their own way (signature, Basic, key): docs/adapters.md.
    spec.components.security_scheme(
        "vendorWebhook", {"type": "apiKey", "in": "header", "name": "Authorization"}
    )
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        meta = getattr(view, "__api__", None)
        if meta is None:
            continue
        path = _RULE_ARG.sub(r"{\1}", rule.rule)
        operations = {
            method.lower(): _operation(meta, rule.arguments)
            for method in sorted(rule.methods or ())
            if method not in ("HEAD", "OPTIONS")
        }
        spec.path(path=path, operations=operations)
    return spec.to_dict()


def _operation(meta: dict[str, Any], arguments: Any) -> dict[str, Any]:
    operation: dict[str, Any] = {"summary": meta["summary"], "tags": meta["tags"]}
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in sorted(arguments)
    ]
    if meta["query"] is not None:
        parameters.append({"in": "query", "schema": meta["query"]})
    if parameters:
        operation["parameters"] = parameters
    if meta["body"] is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": meta["body"]}},
        }
    ok: dict[str, Any] = {"description": "OK"}
    if meta["response"] is not None:
        schema: Any = meta["response"]
        if meta["many"]:
            schema = {"type": "array", "items": schema}
        ok["content"] = {"application/json": {"schema": schema}}
    responses: dict[str, Any] = {str(meta.get("status", 200)): ok}
    for status in meta["errors"]:
        responses[str(status)] = {
            "description": "Error",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    operation["responses"] = responses
    if meta["auth"]:
        operation["security"] = [{meta["auth"]: []}]
    return operation
