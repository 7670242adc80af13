"""The register of processors and sub-processors (Art. 28): agreements, transfers, reviews."""
