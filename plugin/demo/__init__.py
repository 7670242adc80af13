"""``datavagt demo``: the sidecar, three vendor simulators and seeded tickets in one process."""
