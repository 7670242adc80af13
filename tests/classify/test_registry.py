"""Registry: add, remove, get, and configuration that switches detectors on and off."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from plugin.classify import CATEGORIES, Classifier, Detector, DetectorNotFound, DetectorRegistry
from plugin.classify.detectors import DEFAULT_DETECTOR_CLASSES, default_detectors
from plugin.classify.document import Document
from plugin.classify.finding import Finding

DEFAULT_NAMES = [cls.name for cls in DEFAULT_DETECTOR_CLASSES]


class ShoeSize(Detector):
    """A toy detector for registry tests."""

    name = "shoe_size"
    entity_type = "shoe_size"
    category = "identity"

    def detect(self, doc: Document) -> Iterator[Finding]:
        index = doc.text.find("size 42")
        if index >= 0:
            yield self.finding(index, index + 7, 0.9)


def test_default_registry_has_every_detector_in_order() -> None:
    registry = DetectorRegistry.from_config()
    assert registry.names == DEFAULT_NAMES
    assert len(registry) == len(DEFAULT_NAMES) == 15
    assert all(d.category in CATEGORIES for d in registry)


def test_add_get_remove() -> None:
    registry = DetectorRegistry(default_detectors())
    shoe = ShoeSize()
    registry.add(shoe)
    assert registry.get("shoe_size") is shoe
    assert "shoe_size" in registry
    registry.remove("shoe_size")
    assert "shoe_size" not in registry


def test_get_raises_naming_the_known_detectors() -> None:
    registry = DetectorRegistry([ShoeSize()])
    with pytest.raises(DetectorNotFound, match="no detector 'nope'.*shoe_size"):
        registry.get("nope")
    with pytest.raises(KeyError):
        registry.remove("nope")


def test_adding_a_name_twice_is_an_error() -> None:
    registry = DetectorRegistry([ShoeSize()])
    with pytest.raises(ValueError, match="already registered"):
        registry.add(ShoeSize())


def test_disabled_in_config() -> None:
    classifier = Classifier({"disabled": ["ip_address"]})
    assert "ip_address" not in classifier.registry
    assert classifier.classify("login fra 85.191.12.7") == []
    assert Classifier().classify("login fra 85.191.12.7")[0].type == "ip_address"


def test_enabled_in_config_is_a_whitelist() -> None:
    classifier = Classifier({"enabled": ["email", "phone"]})
    assert classifier.registry.names == ["email", "phone"]


@pytest.mark.parametrize(
    "config",
    [{"disabled": ["no_such_detector"]}, {"enabled": ["no_such_detector"]}],
)
def test_unknown_names_in_config_raise(config: dict[str, list[str]]) -> None:
    with pytest.raises(DetectorNotFound):
        Classifier(config)


def test_config_lists_must_be_lists() -> None:
    with pytest.raises(TypeError, match="list of detector names"):
        Classifier({"disabled": "ip_address"})


def test_disabled_types_and_min_score() -> None:
    text = "Jeg har diabetes og er muslim"
    assert {f.type for f in Classifier().classify(text)} == {"health", "religion"}
    assert {f.type for f in Classifier({"disabled_types": ["health"]}).classify(text)} == {
        "religion"
    }
    assert Classifier({"min_score": 0.99}).classify(text) == []


def test_custom_detector_runs_in_a_classifier() -> None:
    classifier = Classifier({"enabled": ["email"]})
    classifier.registry.add(ShoeSize())
    text = "I need size 42, mail a@b.dk"
    assert [(f.type, f.value_in(text)) for f in classifier.classify(text)] == [
        ("shoe_size", "size 42"),
        ("email", "a@b.dk"),
    ]


def test_detector_with_unknown_category_is_rejected() -> None:
    class Bad(ShoeSize):
        name = "bad"
        category = "misc"

    with pytest.raises(ValueError, match="unknown category"):
        Bad()
