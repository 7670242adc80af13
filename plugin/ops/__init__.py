"""Operational endpoints: health, readiness, metrics, OpenAPI and JWKS."""
