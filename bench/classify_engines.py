"""The engines bench/classify.py compares: ours, Presidio and DataFog, as span predictors.

Each returns ``(type, start, end)`` in our type names. Presidio and DataFog are optional
(the ``bench`` extra); a missing one is reported with the import error, never faked.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from plugin.classify import Classifier  # noqa: E402

Span = tuple[str, int, int]
Predict = Callable[[str], list[Span]]

# Presidio entity -> our type. LOCATION (towns, countries) is the nearest it has to an
# address; NRP (nationality, religious or political group) to nationality.
PRESIDIO_TYPES = {
    "EMAIL_ADDRESS": "email", "PHONE_NUMBER": "phone", "CREDIT_CARD": "payment_card",
    "IBAN_CODE": "iban", "IP_ADDRESS": "ip_address", "US_SSN": "us_ssn", "UK_NINO": "uk_nino",
    "PERSON": "person_name", "LOCATION": "postal_address", "NRP": "nationality",
}  # fmt: skip
DATAFOG_TYPES = {
    "EMAIL": "email", "PHONE": "phone", "CREDIT_CARD": "payment_card", "SSN": "us_ssn",
    "IP_ADDRESS": "ip_address", "DOB": "date_of_birth", "ZIP": "postal_address",
    "PERSON": "person_name", "IBAN": "iban",
}  # fmt: skip
NER_ONLY_DETECTORS = frozenset({"person_name", "requester", "postal_address", "special_category"})


def ours(like_for_like: bool = False, indirect: bool = False) -> Predict:
    """Datavagt's default classifier (plus the opt-in indirect detector), or only its
    detectors with a rule-based counterpart."""
    config: dict[str, list[str]] = {"extra": ["indirect"]} if indirect else {}
    if like_for_like:
        names = Classifier().registry.names
        config = {"enabled": [n for n in names if n not in NER_ONLY_DETECTORS]}
    classifier = Classifier(config)

    def predict(text: str) -> list[Span]:
        return [(f.type, f.start, f.end) for f in classifier.classify(text)]

    return predict


def presidio(model: str | None) -> tuple[Predict, str]:
    """Presidio's analyzer: on spaCy ``model`` (NER on) or on a blank pipeline (rules only)."""
    import spacy
    import tldextract
    import tldextract.tldextract
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer, SpacyRecognizer

    # Offline: use tldextract's bundled suffix list instead of fetching it on first use.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    nlp_engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": model or "blank"}])
    nlp_engine.nlp = {"en": spacy.load(model) if model else spacy.blank("en")}
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp_engine)
    if not model:
        registry.remove_recognizer(SpacyRecognizer.__name__)
    registry.remove_recognizer(PhoneRecognizer.__name__)
    # The same regions as our phone detector, so both engines try the same countries.
    registry.add_recognizer(PhoneRecognizer(supported_regions=("DK", "GB", "US")))
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=["en"])

    def predict(text: str) -> list[Span]:
        return [
            (PRESIDIO_TYPES.get(r.entity_type, r.entity_type.lower()), r.start, r.end)
            for r in analyzer.analyze(text, language="en")
            if r.score >= 0.4
        ]

    return predict, f"presidio ({model or 'blank spaCy, rules only'})"


def datafog() -> tuple[Predict, str]:
    """DataFog's regex engine (its fast path, no NER)."""
    from datafog.services.text_service import TextService

    service = TextService(engine="regex")

    def predict(text: str) -> list[Span]:
        result = service.annotate_text_sync(text, structured=True)
        return [(DATAFOG_TYPES.get(a.label, a.label.lower()), a.start, a.end) for a in result]

    return predict, "datafog (regex)"


def optional(builder: Callable[[], tuple[Predict, str]], name: str) -> tuple[Predict | None, str]:
    """Build an optional engine, or say exactly why it is not there."""
    try:
        return builder()
    except Exception as error:  # noqa: BLE001 - any failure means "not available here"
        return None, f"{name}: not available ({type(error).__name__}: {error})"
