"""Vendor simulators (test, demo and bench use only), kept apart from the product's adapters.

``simulators.<vendor>`` holds one vendor's stateful simulator; ``simulators.common`` the
pieces they share (Flask base, HTTP server, webhook sender, rate-limit window).
"""
