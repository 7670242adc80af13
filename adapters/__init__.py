"""Vendor adapters, their shared HTTP client and their simulators."""
