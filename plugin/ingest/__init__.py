"""Ingest: the durable webhook inbox and turning vendor tickets into vaulted findings.

Entry points: ``plugin.ingest.inbox`` (claim, retry_parked, list_events),
``plugin.ingest.processor`` (process_event, run_once, drain),
``plugin.ingest.pipeline`` (ingest_ticket) and ``plugin.ingest.backfill``.
"""
