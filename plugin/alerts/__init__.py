"""Alerts that reach people: rules over the audit trail, delivery, throttling, acknowledgement."""
