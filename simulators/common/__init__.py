"""Building blocks shared by the vendor simulators (test and demo use only)."""
