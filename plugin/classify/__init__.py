"""Personal-data classifier: one detector per type, a registry, overlap resolution."""

from __future__ import annotations

from plugin.classify.classifier import Classifier, as_text, field_text
from plugin.classify.detector import Detector
from plugin.classify.document import Document
from plugin.classify.finding import CATEGORIES, Finding, Hints
from plugin.classify.html import html_to_text
from plugin.classify.language import detect_language
from plugin.classify.registry import DetectorNotFound, DetectorRegistry

__all__ = [
    "CATEGORIES",
    "Classifier",
    "Detector",
    "DetectorNotFound",
    "DetectorRegistry",
    "Document",
    "Finding",
    "Hints",
    "as_text",
    "detect_language",
    "field_text",
    "html_to_text",
]
