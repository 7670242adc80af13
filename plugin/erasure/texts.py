"""The words the person, the DPO and the certificate reader see for an erasure (da and en).

The certificate and the API carry codes (store, state, ground) so they stay machine-checkable;
every page renders them through ``words(lang)`` so nobody reads an internal code.
"""

from __future__ import annotations

from typing import Any

# Art. 17(3) grounds Datavagt applies, with the article and a plain explanation.
GROUNDS: dict[str, dict[str, str]] = {
    "legal_obligation": {
        "article": "Art. 17(3)(b)",
        "en": "Art. 17(3)(b) GDPR: we must keep it to comply with a legal obligation",
        "da": "Art. 17, stk. 3, litra b, GDPR: vi skal opbevare det for at overholde en "
        "retlig forpligtelse",
    },
    "legal_claims": {
        "article": "Art. 17(3)(e)",
        "en": "Art. 17(3)(e) GDPR: we need it to establish, exercise or defend legal claims",
        "da": "Art. 17, stk. 3, litra e, GDPR: vi skal bruge det til at fastlægge, gøre "
        "gældende eller forsvare retskrav",
    },
    "accountability": {
        "article": "Art. 17(3)(b) and (e)",
        "en": "Art. 17(3)(b) and (e) GDPR: the record that we handled your data lawfully "
        "(Art. 5(2) and 30 accountability, and our defence against claims); it holds only a "
        "random reference number, never your name, contact details or case text",
        "da": "Art. 17, stk. 3, litra b og e, GDPR: dokumentationen for, at vi har behandlet "
        "dine oplysninger lovligt (ansvarlighed, art. 5, stk. 2, og art. 30, og vores forsvar "
        "mod krav); den rummer kun et tilfældigt referencenummer, aldrig dit navn, dine "
        "kontaktoplysninger eller sagstekst",
    },
}

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "What happens to your data",
        "state_not_requested": "Not requested",
        "state_in_progress": "In progress",
        "state_failed": "Needs attention (a deletion failed)",
        "state_pending_expiry": "Erased; some copies disappear later (dates below)",
        "state_complete": "Complete: nothing restorable remains",
        "destroyed": "Deleted",
        "remains": "Remains until",
        "kept": "Kept until",
        "until_unknown": "date not known yet",
        "store_vault": "Datavagt's encrypted vault",
        "store_vendor": "Case system",
        "store_backups": "Database backups",
        "store_audit_trail": "Audit trail",
        "store_kept": "Cases we must keep",
        "store_consents": "Consent records",
        "store_contact_deferred": "Contact record in",
        "store_record": "the case itself",
        "store_trash": "the Trash (restorable)",
        "store_recycle_bin": "the recycling bin (restorable)",
        "what_vault": "Your values (encrypted) and the keys to them",
        "what_backups": "Copies of the encrypted vault in backups taken before the erasure; "
        "they cannot be opened once the key epoch is destroyed",
        "what_audit": "Log entries under a random reference number",
        "what_kept": "cases kept",
        "why": "Why",
        "after_close": "days after the case is closed",
        "tickets": "cases",
        "contacts": "contacts",
        "kept_intro": "We do not delete everything: the law requires us to keep these cases.",
        "backups_intro": "Backups taken before the erasure can no longer be opened after",
        "scope_title": "What an erasure would delete",
        "people": "people",
        "nothing_kept": "Nothing is kept under an exception.",
        "legal_hold": "Under legal hold: lift the hold before erasing",
        "unresolved": "did not answer; its contacts are looked up when the erasure runs",
        "verify_action": "Verify at the vendors",
        "verify_title": "What the vendors still hold",
        "verify_intro": "Each vendor was asked again, per deleted case and contact, which of "
        "its stores still hold it.",
        "verify_checked": "Checked",
        "verify_ok": "Nothing is left but copies the certificate names, before their date.",
        "verify_problems": "Something is still held that should not be, or a vendor could "
        "not be asked. The certificate stays open until this is resolved.",
        "verify_clean": "Nothing left",
        "verify_expected": "Only copies the certificate names, until the vendor drops them",
        "verify_unexpected": "Still held, and not as the certificate says",
        "verify_unreachable": "The vendor could not be asked; try again later",
        "verify_kept": "Kept until the date on the certificate (Art. 17(3))",
        "verify_not_erased": "This person has not been erased; there is nothing to verify yet.",
        "verify_found": "Found in",
        "verify_past_date": "the date the vendor drops it has passed",
        "object_ticket": "case",
        "object_contact": "contact",
        "store_archive": "the archive",
        "store_soft_deleted": "deleted contacts (restorable)",
        "store_audit": "the audit history",
        "store_conversations": "conversations and e-mails",
        "store_attachments": "attachments",
        "store_cc": "copies (CC) on other people's cases",
        "store_contact": "the contact",
        "store_tickets": "the contact's cases",
    },
    "da": {
        "title": "Hvad der sker med dine oplysninger",
        "state_not_requested": "Ikke anmodet",
        "state_in_progress": "I gang",
        "state_failed": "Kræver opmærksomhed (en sletning mislykkedes)",
        "state_pending_expiry": "Slettet; nogle kopier forsvinder senere (datoer nedenfor)",
        "state_complete": "Fuldført: intet, der kan gendannes, er tilbage",
        "destroyed": "Slettet",
        "remains": "Findes indtil",
        "kept": "Opbevares indtil",
        "until_unknown": "datoen kendes endnu ikke",
        "store_vault": "Datavagts krypterede boks",
        "store_vendor": "Sagssystem",
        "store_backups": "Sikkerhedskopier af databasen",
        "store_audit_trail": "Revisionsspor",
        "store_kept": "Sager, vi skal opbevare",
        "store_consents": "Samtykkeregistreringer",
        "store_contact_deferred": "Kontaktkort i",
        "store_record": "selve sagen",
        "store_trash": "papirkurven (kan gendannes)",
        "store_recycle_bin": "papirkurven (kan gendannes)",
        "what_vault": "Dine værdier (krypteret) og nøglerne til dem",
        "what_backups": "Kopier af den krypterede boks i sikkerhedskopier fra før sletningen; "
        "de kan ikke åbnes, når nøgleperioden er destrueret",
        "what_audit": "Logposter under et tilfældigt referencenummer",
        "what_kept": "sager opbevares",
        "why": "Hvorfor",
        "after_close": "dage efter sagen er lukket",
        "tickets": "sager",
        "contacts": "kontakter",
        "kept_intro": "Vi sletter ikke alt: loven kræver, at vi opbevarer disse sager.",
        "backups_intro": "Sikkerhedskopier fra før sletningen kan ikke længere åbnes efter",
        "scope_title": "Hvad en sletning vil slette",
        "people": "personer",
        "nothing_kept": "Intet opbevares efter en undtagelse.",
        "legal_hold": "Retligt tilbageholdt: ophæv tilbageholdelsen før sletning",
        "unresolved": "svarede ikke; kontakterne slås op, når sletningen køres",
        "verify_action": "Kontrollér hos leverandørerne",
        "verify_title": "Hvad leverandørerne stadig har",
        "verify_intro": "Hver leverandør blev spurgt igen, for hver slettet sag og kontakt, "
        "hvilke af dens lagre der stadig har den.",
        "verify_checked": "Kontrolleret",
        "verify_ok": "Intet er tilbage ud over kopier, som certifikatet nævner, før deres dato.",
        "verify_problems": "Noget findes stadig, som ikke burde, eller en leverandør kunne "
        "ikke spørges. Certifikatet forbliver åbent, indtil det er løst.",
        "verify_clean": "Intet tilbage",
        "verify_expected": "Kun kopier, som certifikatet nævner, indtil leverandøren sletter dem",
        "verify_unexpected": "Findes stadig, og ikke som certifikatet siger",
        "verify_unreachable": "Leverandøren kunne ikke spørges; prøv igen senere",
        "verify_kept": "Opbevares til datoen på certifikatet (art. 17, stk. 3)",
        "verify_not_erased": "Denne person er ikke slettet; der er intet at kontrollere endnu.",
        "verify_found": "Fundet i",
        "verify_past_date": "datoen, hvor leverandøren sletter den, er passeret",
        "object_ticket": "sag",
        "object_contact": "kontakt",
        "store_archive": "arkivet",
        "store_soft_deleted": "slettede kontakter (kan gendannes)",
        "store_audit": "revisionshistorikken",
        "store_conversations": "samtaler og e-mails",
        "store_attachments": "vedhæftede filer",
        "store_cc": "kopier (CC) på andres sager",
        "store_contact": "kontakten",
        "store_tickets": "kontaktens sager",
    },
}


def words(lang: str) -> dict[str, str]:
    """The word list of a language (English for anything else)."""
    return WORDS.get(lang, WORDS["en"])


def ground_text(ground: str, lang: str, law: dict[str, str] | None = None) -> str:
    """The legal basis in plain words, with the law the controller named (if any)."""
    spec = GROUNDS[ground]
    text = spec.get(lang, spec["en"])
    if law:
        text += f" ({law.get(lang) or law.get('en') or ''})".replace(" ()", "")
    return text


def legal_basis(ground: str, law: dict[str, str] | None = None) -> dict[str, Any]:
    """The legal basis as the certificate and the API carry it: code, article, da and en."""
    return {
        "ground": ground,
        "article": GROUNDS[ground]["article"],
        "da": ground_text(ground, "da", law),
        "en": ground_text(ground, "en", law),
    }
