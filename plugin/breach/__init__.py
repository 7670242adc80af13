"""Breach register (GDPR Art. 33/34): incidents, the 72-hour clock, drafts, alert intake."""
