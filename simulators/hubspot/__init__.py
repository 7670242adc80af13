"""HubSpot simulator: the vendor's documented behaviour, for tests, demo and bench."""
