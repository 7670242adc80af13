"""Overlap resolution: of overlapping findings keep the stronger, more specific one."""

from __future__ import annotations

import bisect

from plugin.classify.finding import Finding

# Ties on score go to the type with the stricter validation (checksums beat patterns).
_SPECIFICITY: dict[str, int] = {
    "cpr": 10,
    "iban": 9,
    "payment_card": 9,
    "cvr": 8,
    "email": 8,
    "ip_address": 7,
    "date_of_birth": 6,
    "phone": 5,
    "postal_address": 4,
    "person_name": 3,
}


def _rank(finding: Finding) -> tuple[float, int, int, int]:
    return (
        -round(finding.score, 3),
        -_SPECIFICITY.get(finding.type, 1),
        -(finding.end - finding.start),
        finding.start,
    )


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Greedily keep the best-ranked findings so that no two kept spans overlap."""
    starts: list[int] = []
    ends: list[int] = []
    kept: list[Finding] = []
    for finding in sorted(findings, key=_rank):
        i = bisect.bisect_right(starts, finding.start)
        # Only the neighbours in start order can overlap, because kept spans are disjoint.
        if i > 0 and ends[i - 1] > finding.start:
            continue
        if i < len(starts) and starts[i] < finding.end:
            continue
        starts.insert(i, finding.start)
        ends.insert(i, finding.end)
        kept.insert(i, finding)
    return kept
