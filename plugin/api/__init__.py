"""HTTP API helpers shared by every blueprint."""
