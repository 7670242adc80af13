"""Vendor adapter contract and registry (adapters themselves live in `adapters/`)."""
