"""Identity exchange: each CRM's proof of the agent -> a short-lived Datavagt JWT."""

from __future__ import annotations
