"""A plain registry of detectors that configuration switches on and off."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from plugin.classify.detector import Detector


class DetectorNotFound(KeyError):
    """Raised by :meth:`DetectorRegistry.get` when no detector has the name."""


class DetectorRegistry:
    """Ordered detectors by name: add, remove, get, build from configuration."""

    def __init__(self, detectors: Iterable[Detector] = ()) -> None:
        self._detectors: dict[str, Detector] = {}
        for detector in detectors:
            self.add(detector)

    def add(self, detector: Detector) -> None:
        """Register a detector; a second one with the same name is an error."""
        if detector.name in self._detectors:
            raise ValueError(f"detector {detector.name!r} is already registered")
        self._detectors[detector.name] = detector

    def remove(self, name: str) -> None:
        """Unregister a detector by name (raising when it is not there)."""
        self.get(name)
        del self._detectors[name]

    def get(self, name: str) -> Detector:
        """Return the detector called ``name`` or raise :class:`DetectorNotFound`."""
        try:
            return self._detectors[name]
        except KeyError:
            known = ", ".join(self._detectors) or "none"
            raise DetectorNotFound(f"no detector {name!r} (registered: {known})") from None

    @property
    def names(self) -> list[str]:
        """Names of the registered detectors, in order."""
        return list(self._detectors)

    def __iter__(self) -> Iterator[Detector]:
        return iter(list(self._detectors.values()))

    def __len__(self) -> int:
        return len(self._detectors)

    def __contains__(self, name: object) -> bool:
        return name in self._detectors

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None = None) -> DetectorRegistry:
        """Build the default detectors, then apply ``enabled`` / ``disabled`` name lists."""
        from plugin.classify.detectors import (
            DEFAULT_DETECTOR_CLASSES,
            OPTIONAL_DETECTOR_CLASSES,
            default_detectors,
        )

        config = config or {}
        options = _options(config.get("options", {}))
        known = {c.name for c in DEFAULT_DETECTOR_CLASSES + OPTIONAL_DETECTOR_CLASSES}
        unknown = sorted(set(options) - known)
        if unknown:
            raise DetectorNotFound(f"options for unknown detector(s): {', '.join(unknown)}")
        enabled = config.get("enabled")
        # Optional detectors run when named in "extra" (or in an "enabled" whitelist).
        extra = _names(config.get("extra", ()), "extra")
        if enabled is not None:
            extra += _names(enabled, "enabled")
        for name in extra:
            if name not in known:
                raise DetectorNotFound(f"no detector {name!r}")
        registry = cls(default_detectors(options, tuple(extra)))
        if enabled is not None:
            for name in _names(enabled, "enabled"):
                registry.get(name)  # an unknown name is a configuration error
            for name in registry.names:
                if name not in enabled:
                    registry.remove(name)
        for name in _names(config.get("disabled", ()), "disabled"):
            registry.remove(name)
        return registry


def _options(value: Any) -> dict[str, dict[str, Any]]:
    # {"phone": {"regions": ["DK", "SE"]}}: constructor arguments per detector name.
    if not isinstance(value, Mapping) or not all(isinstance(v, Mapping) for v in value.values()):
        raise TypeError("classify config 'options' must map detector names to settings")
    return {str(k): dict(v) for k, v in value.items()}


def _names(value: Any, key: str) -> list[str]:
    # Configuration comes from YAML/env; a bare string instead of a list is a likely slip.
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise TypeError(f"classify config {key!r} must be a list of detector names")
    return [str(v) for v in value]
