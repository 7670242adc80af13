"""The built-in detectors, listed explicitly (no import side effects)."""

from __future__ import annotations

from typing import Any

from plugin.classify.detector import Detector
from plugin.classify.detectors.bank_account import BankAccountDetector
from plugin.classify.detectors.cpr import CprDetector
from plugin.classify.detectors.cvr import CvrDetector
from plugin.classify.detectors.date_of_birth import DateOfBirthDetector
from plugin.classify.detectors.email import EmailDetector
from plugin.classify.detectors.iban import IbanDetector
from plugin.classify.detectors.indirect import IndirectDetector
from plugin.classify.detectors.ip_address import IpAddressDetector
from plugin.classify.detectors.national_id import NationalIdDetector
from plugin.classify.detectors.passport import PassportDetector
from plugin.classify.detectors.payment_card import PaymentCardDetector
from plugin.classify.detectors.person_name import PersonNameDetector
from plugin.classify.detectors.phone import PhoneDetector
from plugin.classify.detectors.postal_address import PostalAddressDetector
from plugin.classify.detectors.requester import RequesterDetector
from plugin.classify.detectors.special_category import SpecialCategoryDetector

DEFAULT_DETECTOR_CLASSES: tuple[type[Detector], ...] = (
    EmailDetector,
    PhoneDetector,
    CprDetector,
    NationalIdDetector,
    CvrDetector,
    IbanDetector,
    PaymentCardDetector,
    BankAccountDetector,
    PassportDetector,
    IpAddressDetector,
    DateOfBirthDetector,
    PostalAddressDetector,
    PersonNameDetector,
    RequesterDetector,
    SpecialCategoryDetector,
)


#: Built in but off unless configuration names them (``enabled`` or ``extra``).
OPTIONAL_DETECTOR_CLASSES: tuple[type[Detector], ...] = (IndirectDetector,)


def default_detectors(
    options: dict[str, dict[str, Any]] | None = None, extra: tuple[str, ...] = ()
) -> list[Detector]:
    """Instantiate the default detectors and the optional ones named in ``extra``;
    ``options`` gives constructor arguments by detector name."""
    options = options or {}
    classes = DEFAULT_DETECTOR_CLASSES + tuple(
        cls for cls in OPTIONAL_DETECTOR_CLASSES if cls.name in extra
    )
    return [cls(**options.get(cls.name, {})) for cls in classes]


__all__ = [
    "DEFAULT_DETECTOR_CLASSES",
    "OPTIONAL_DETECTOR_CLASSES",
    "BankAccountDetector",
    "CprDetector",
    "CvrDetector",
    "DateOfBirthDetector",
    "EmailDetector",
    "IbanDetector",
    "IndirectDetector",
    "IpAddressDetector",
    "NationalIdDetector",
    "PassportDetector",
    "PaymentCardDetector",
    "PersonNameDetector",
    "PhoneDetector",
    "PostalAddressDetector",
    "RequesterDetector",
    "SpecialCategoryDetector",
    "default_detectors",
]
