"""Console pages for the record of processing: live view, signed versions, downloads, diff."""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from plugin.admin.lang import page_lang
from plugin.admin.routes import bp
from plugin.admin.session import admin_required
from plugin.auth.guard import Actor
from plugin.extensions import db
from plugin.models.ropa import RopaVersion
from plugin.ropa import versions
from plugin.ropa.builder import build_ropa
from plugin.ropa.i18n import LANGUAGES, PAGE
from plugin.ropa.pdf import render_pdf
from plugin.ropa.render import render

MAX_VERSION = 2_000_000_000


def _version(number: int) -> RopaVersion:
    row = versions.get_version(number) if 0 < number <= MAX_VERSION else None
    if row is None:
        abort(404, description="No saved record of processing with that version")
    return row


@bp.get("/ropa")
@admin_required
def ropa_page(actor: Actor) -> ResponseReturnValue:
    """The live record in Danish or English, the saved versions and the save button."""
    lang = page_lang()
    record = build_ropa(current_app.extensions["datavagt.manifest"], lang)
    body = render(record, "html", body=True)
    return render_template(
        "admin/ropa.html",
        body=Markup(body),  # noqa: S704 - rendered by the autoescaping ROPA templates
        lang=lang,
        P=PAGE[lang],
        saved=[versions.summary(row) for row in versions.list_versions()],
    )


@bp.post("/ropa/versions")
@admin_required
def ropa_save(actor: Actor) -> ResponseReturnValue:
    """Sign and store the current record as the next version."""
    lang = request.form.get("lang", "en")
    lang = lang if lang in LANGUAGES else "en"
    row = versions.save_version(
        current_app.extensions["datavagt.manifest"],
        current_app.extensions["datavagt.keyring"],
        actor,
    )
    db.session.commit()
    summary = versions.summary(row)
    flash(PAGE[lang]["saved"].format(version=row.version, kid=summary["kid"]), "ok")
    return redirect(url_for("admin.ropa_page", lang=lang))


@bp.get("/ropa/versions/<int:number>.json")
@admin_required
def ropa_version_json(actor: Actor, number: int) -> ResponseReturnValue:
    """The signed file of a saved version (``datavagt verify`` checks it)."""
    row = _version(number)
    response = current_app.json.response(versions.envelope(row))
    response.headers["Content-Disposition"] = f'attachment; filename="ropa-v{row.version}.json"'
    return response


@bp.get("/ropa/versions/<int:number>.html")
@admin_required
def ropa_version_html(actor: Actor, number: int) -> ResponseReturnValue:
    """A saved version as a standalone HTML document in one language."""
    row = _version(number)
    lang = page_lang()
    html = render(row.document["records"][lang], "html", version=versions.summary(row))
    return Response(
        html,
        mimetype="text/html",
        headers={"Content-Disposition": f'attachment; filename="ropa-v{row.version}-{lang}.html"'},
    )


@bp.get("/ropa/versions/<int:number>.pdf")
@admin_required
def ropa_version_pdf(actor: Actor, number: int) -> ResponseReturnValue:
    """A saved version as a PDF document in one language."""
    row = _version(number)
    lang = page_lang()
    return Response(
        render_pdf(row.document["records"][lang], version=versions.summary(row)),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="ropa-v{row.version}-{lang}.pdf"'},
    )


@bp.get("/ropa/diff")
@admin_required
def ropa_diff(actor: Actor) -> ResponseReturnValue:
    """Changes between two saved versions."""
    lang = page_lang()
    try:
        old, new = int(request.args.get("from", "")), int(request.args.get("to", ""))
    except ValueError:
        abort(400, description="from and to must be version numbers")
    before, after = _version(old), _version(new)
    changes = versions.diff(before.document["records"][lang], after.document["records"][lang])
    return render_template(
        "admin/ropa_diff.html", changes=changes, old=old, new=new, lang=lang, P=PAGE[lang]
    )
