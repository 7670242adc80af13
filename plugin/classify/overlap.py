"""Overlap resolution: of overlapping findings keep the stronger, more specific one."""

from __future__ import annotations

from operator import attrgetter

from plugin.classify.finding import Finding

_BY_SPAN = attrgetter("start", "end")
_BY_START = attrgetter("start")

# Ties on score go to the type with the stricter validation (checksums beat patterns).
_SPECIFICITY: dict[str, int] = {
    "cpr": 10,
    "us_ssn": 10,
    "uk_nino": 10,
    "se_personnummer": 10,
    "no_fodselsnummer": 10,
    "de_steuer_id": 9,
    "iban": 9,
    "payment_card": 9,
    "cvr": 8,
    "bank_account": 8,
    "passport": 8,
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


def _best_disjoint(cluster: list[Finding]) -> list[Finding]:
    """Greedily keep the best-ranked findings of a cluster that do not overlap."""
    kept: list[Finding] = []
    for finding in sorted(cluster, key=_rank):
        if not any(finding.overlaps(other) for other in kept):
            kept.append(finding)
    return sorted(kept, key=_BY_START)


def resolve_overlaps(findings: list[Finding]) -> list[Finding]:
    """Keep the best-ranked findings so that no two kept spans overlap, in text order."""
    result: list[Finding] = []
    cluster: list[Finding] = []
    cluster_end = -1
    # Most findings overlap nothing; only clusters of overlapping spans need ranking.
    for finding in sorted(findings, key=_BY_SPAN):
        if cluster and finding.start >= cluster_end:
            result.extend(cluster if len(cluster) == 1 else _best_disjoint(cluster))
            cluster = []
        cluster.append(finding)
        cluster_end = max(cluster_end, finding.end) if len(cluster) > 1 else finding.end
    if cluster:
        result.extend(cluster if len(cluster) == 1 else _best_disjoint(cluster))
    return result
