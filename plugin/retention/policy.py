"""Retention rules from the manifest: per purpose, with stricter per-category overrides."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

# Actions ordered from most to least destructive: on a tie the more protective one wins.
ACTION_ORDER = ("delete_ticket", "delete_contact", "anonymise_ticket", "anonymise_contact")


@dataclass(frozen=True)
class Rule:
    """How long a ticket is kept, from which moment, and what happens then."""

    name: str  # "support" or "support/special": the manifest entry that applies
    purpose: str
    days: int
    start: str  # closed | last_activity | consent_withdrawn | created
    action: str


@dataclass(frozen=True)
class TicketDates:
    """The moments a rule may count from (None when unknown or not yet happened)."""

    closed: datetime | None
    last_activity: datetime | None
    created: datetime | None
    consent_withdrawn: datetime | None


def rules_for(
    purpose: str,
    spec: Mapping[str, Any],
    categories: Iterable[str],
    unwritable_days: int | None = None,
) -> list[Rule]:
    """The purpose's rule plus one rule per category override that the ticket triggers.

    ``unwritable_days`` adds the ingest rule: personal data the vendor would not let us
    pseudonymise stays in clear there, so the ticket is kept at most that long and then
    deleted: anonymising rewrites fields, and these are the ones that can't be rewritten.
    """
    base = spec["retention"]
    rules = [Rule(purpose, purpose, base["days"], base["start"], base["action"])]
    if unwritable_days is not None and (
        unwritable_days < base["days"] or base["action"] != "delete_ticket"
    ):
        days = min(unwritable_days, base["days"])
        rules.append(Rule(f"{purpose}/unwritable", purpose, days, base["start"], "delete_ticket"))
    for category in sorted(set(categories)):
        override = base.get("categories", {}).get(category)
        if override:
            rules.append(
                Rule(
                    f"{purpose}/{category}",
                    purpose,
                    override.get("days", base["days"]),
                    override.get("start", base["start"]),
                    override.get("action", base["action"]),
                )
            )
    return rules


def start_of(rule: Rule, dates: TicketDates) -> datetime | None:
    """The moment a rule counts from, if it has happened."""
    if rule.start == "closed":
        return dates.closed
    if rule.start == "last_activity":
        return dates.last_activity or dates.closed or dates.created
    if rule.start == "consent_withdrawn":
        return dates.consent_withdrawn
    return dates.created


def schedule(
    rules: Iterable[Rule], dates: TicketDates, done: Iterable[str] = ()
) -> list[tuple[Rule, datetime]]:
    """Rules whose action is not done yet and whose clock has started, soonest first."""
    skip = set(done)
    if "delete_ticket" in skip:
        return []  # nothing is left to act on
    planned = []
    for rule in rules:
        start = start_of(rule, dates)
        if start is not None and rule.action not in skip:
            planned.append((rule, start + timedelta(days=rule.days)))
    planned.sort(key=lambda item: (item[1], _rank(item[0])))
    return planned


def due_now(planned: list[tuple[Rule, datetime]], now: datetime) -> list[tuple[Rule, datetime]]:
    """What to do now: every due action, or only the deletion when one is due."""
    due = [item for item in planned if item[1] <= now]
    deletes = [item for item in due if item[0].action == "delete_ticket"]
    seen: set[str] = set()
    chosen = []
    for item in deletes[:1] or due:
        if item[0].action not in seen:  # one job per action
            seen.add(item[0].action)
            chosen.append(item)
    return chosen


def _rank(rule: Rule) -> int:
    return ACTION_ORDER.index(rule.action) if rule.action in ACTION_ORDER else len(ACTION_ORDER)
