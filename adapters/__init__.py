"""Vendor adapters and their shared HTTP client (the simulators live in ``simulators``)."""
