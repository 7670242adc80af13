"""Dynamics 365 simulator (Dataverse + Azure AD): documented behaviour, for tests and demo."""
