"""The personal-data guard on audit details must not refuse identifiers."""

from __future__ import annotations

import uuid

import pytest

from plugin.audit.guard import check_details


def test_uuids_with_cpr_shaped_digits_pass() -> None:
    # Six digits ending the first group and four digits as the second: CPR-shaped, not a CPR.
    check_details({"consent_id": "1a123456-7890-4abc-8def-0123456789ab"})
    check_details({"consent_id": "12345678-9012-4abc-8def-0123456789ab"})
    for _ in range(20_000):
        check_details({"id": str(uuid.uuid4())})


@pytest.mark.parametrize(
    "value",
    ["070761-4285", "0707614285", "cpr 070761-4285.", "(070761-4285)", "x 070761-4285 y"],
)
def test_stand_alone_cpr_numbers_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="personal data"):
        check_details({"note": value})
