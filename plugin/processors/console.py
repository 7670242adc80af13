"""Console page of the processor register: entries, what each lacks, and a review button."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from plugin.admin.lang import page_lang
from plugin.admin.routes import bp
from plugin.admin.session import admin_required
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.processors import register

PAGE = {
    "en": {
        "title": "Processors and sub-processors (Art. 28)",
        "name": "Company",
        "role": "Role",
        "country": "Country",
        "basis": "Transfer basis",
        "agreement": "Agreement (DPA)",
        "categories": "Data passed",
        "review": "Last review",
        "gaps": "Missing",
        "reviewed": "Mark reviewed today",
        "done": "Review recorded",
        "none": "nothing",
        "processor": "Processor",
        "sub_processor": "Sub-processor",
        "eea": "Within the EU/EEA",
        "adequacy": "Adequacy decision",
        "scc": "Standard contractual clauses",
        "bcr": "Binding corporate rules",
        "unknown": "Not stated",
        "agreement_date": "agreement date",
        "dpa_url": "link to the agreement",
        "transfer_basis": "transfer basis",
        "review_due": "review due",
        "edit": "Change entries with `datavagt processors add` or POST /api/processors.",
    },
    "da": {
        "title": "Databehandlere og underdatabehandlere (art. 28)",
        "name": "Virksomhed",
        "role": "Rolle",
        "country": "Land",
        "basis": "Overførselsgrundlag",
        "agreement": "Databehandleraftale",
        "categories": "Oplysninger, der videregives",
        "review": "Seneste gennemgang",
        "gaps": "Mangler",
        "reviewed": "Markér gennemgået i dag",
        "done": "Gennemgang registreret",
        "none": "intet",
        "processor": "Databehandler",
        "sub_processor": "Underdatabehandler",
        "eea": "Inden for EU/EØS",
        "adequacy": "Tilstrækkelighedsafgørelse",
        "scc": "Standardkontraktbestemmelser",
        "bcr": "Bindende virksomhedsregler",
        "unknown": "Ikke angivet",
        "agreement_date": "aftaledato",
        "dpa_url": "link til aftalen",
        "transfer_basis": "overførselsgrundlag",
        "review_due": "gennemgang forfalden",
        "edit": "Ret posterne med `datavagt processors add` eller POST /api/processors.",
    },
}


@bp.get("/processors")
@admin_required
def processors_page(actor: Actor) -> ResponseReturnValue:
    """The register with what each entry still lacks."""
    if register.sync_from_manifest(current_app.extensions["datavagt.manifest"]):
        db.session.commit()
    lang = page_lang()
    return render_template(
        "admin/processors.html",
        P=PAGE[lang],
        lang=lang,
        rows=[register.as_dict(r) for r in register.entries()],
    )


@bp.post("/processors/<key>/review")
@admin_required
def processors_review(actor: Actor, key: str) -> ResponseReturnValue:
    """Record today's review of one entry (audited)."""
    lang = page_lang()
    try:
        register.review(key[:64], actor)
    except register.RegisterError as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin.processors_page", lang=lang))
    db.session.commit()
    flash(PAGE[lang]["done"], "ok")
    return redirect(url_for("admin.processors_page", lang=lang))
