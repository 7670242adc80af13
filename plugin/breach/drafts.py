"""Draft texts: the notification to the Datatilsynet (Art. 33(3)) and to affected persons
(Art. 34(2)), in Danish or English, filled from the incident, the manifest's DPO and the
counts taken from the inventory. Drafts only: the DPO reviews and submits them."""

from __future__ import annotations

from typing import Any

from plugin.manifest import Manifest
from plugin.models.breach import Breach
from plugin.ropa.i18n import word

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "authority_title": "Draft notification of a personal data breach to the Datatilsynet",
        "subjects_title": "Draft message to the persons affected",
        "a": "(a) Nature of the breach, categories and approximate numbers",
        "b": "(b) Contact point: the data protection officer",
        "c": "(c) Likely consequences",
        "d": "(d) Measures taken or proposed",
        "timing": "Detected {detected}; the 72-hour deadline is {deadline}.",
        "counts": "About {subjects} data subjects and {records} records concerned "
        "(live count from the inventory).",
        "categories": "Categories of personal data",
        "all": "all categories",
        "unknown": "Not yet assessed.",
        "controller": "Controller",
        "subjects_intro": "We are writing to tell you that personal data about you may have "
        "been affected by a security incident.",
        "subjects_contact": "Questions: contact our data protection officer",
        "not_high": "Art. 34: the risk is not assessed as high; no message to the persons "
        "affected is required.",
    },
    "da": {
        "authority_title": "Udkast til anmeldelse af brud på persondatasikkerheden til "
        "Datatilsynet",
        "subjects_title": "Udkast til underretning af de berørte personer",
        "a": "a) Bruddets karakter, kategorier og omtrentligt antal",
        "b": "b) Kontaktpunkt: databeskyttelsesrådgiveren",
        "c": "c) Sandsynlige konsekvenser",
        "d": "d) Trufne eller foreslåede foranstaltninger",
        "timing": "Opdaget {detected}; fristen på 72 timer udløber {deadline}.",
        "counts": "Omkring {subjects} registrerede og {records} registreringer berørt "
        "(aktuel optælling fra oversigten).",
        "categories": "Kategorier af personoplysninger",
        "all": "alle kategorier",
        "unknown": "Endnu ikke vurderet.",
        "controller": "Dataansvarlig",
        "subjects_intro": "Vi skriver for at fortælle dig, at personoplysninger om dig kan "
        "være berørt af en sikkerhedshændelse.",
        "subjects_contact": "Spørgsmål: kontakt vores databeskyttelsesrådgiver",
        "not_high": "Art. 34: risikoen er ikke vurderet som høj; de berørte skal ikke underrettes.",
    },
}


def _dpo(manifest: Manifest) -> str:
    dpo = manifest.data.get("ropa", {}).get("dpo") or {}
    parts = [dpo.get("name"), dpo.get("email"), dpo.get("phone")]
    return ", ".join(p for p in parts if p) or manifest.data["controller"]["contact"]


def authority(breach: Breach, deadline: str, manifest: Manifest, lang: str) -> dict[str, Any]:
    """Art. 33(3) points (a)-(d) as sections of text."""
    t = TEXT[lang]
    categories = ", ".join(word(lang, c) for c in breach.categories) or t["all"]
    controller = manifest.data["controller"]
    return {
        "kind": "authority",
        "lang": lang,
        "title": t["authority_title"],
        "sections": [
            {
                "heading": t["a"],
                "text": "\n".join(
                    [
                        f"{t['controller']}: {controller['name']} (CVR {controller.get('cvr')})",
                        breach.title,
                        breach.description,
                        t["timing"].format(
                            detected=breach.detected_at.isoformat(), deadline=deadline
                        ),
                        f"{t['categories']}: {categories}",
                        t["counts"].format(
                            subjects=breach.subjects_estimate, records=breach.records_estimate
                        ),
                    ]
                ).strip(),
            },
            {"heading": t["b"], "text": _dpo(manifest)},
            {"heading": t["c"], "text": breach.consequences or t["unknown"]},
            {"heading": t["d"], "text": breach.measures or t["unknown"]},
        ],
    }


def subjects(breach: Breach, manifest: Manifest, lang: str) -> dict[str, Any]:
    """Art. 34(2) message in plain language; only when the risk is high."""
    t = TEXT[lang]
    if not breach.high_risk:
        return {"kind": "subjects", "lang": lang, "required": False, "text": t["not_high"]}
    body = "\n\n".join(
        [
            t["subjects_intro"],
            breach.description or breach.title,
            f"{t['c']}: {breach.consequences or t['unknown']}",
            f"{t['d']}: {breach.measures or t['unknown']}",
            f"{t['subjects_contact']}: {_dpo(manifest)}",
        ]
    )
    return {
        "kind": "subjects",
        "lang": lang,
        "required": True,
        "title": t["subjects_title"],
        "text": body,
    }
