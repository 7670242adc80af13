"""Erasure (GDPR Art. 17): fan-out to every vendor, vault shredding, signed certificates."""
