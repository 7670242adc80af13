"""The ``datavagt`` command line."""
