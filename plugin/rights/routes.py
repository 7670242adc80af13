"""``/api/subjects``: find, merge, split, export, rectify, restrict (DPO and admin)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify
from flask.typing import ResponseReturnValue

from plugin.api.contract import documented, load_json, load_query
from plugin.auth import current_actor, require_role
from plugin.rights import export, lookup, rectify, restrictions
from plugin.rights import split as splitting
from plugin.rights.schemas import (
    ExportQuerySchema,
    ExportSchema,
    GroundsSchema,
    LiftSchema,
    MergeSchema,
    RectifyResultSchema,
    RectifySchema,
    RestrictionSchema,
    RestrictSchema,
    SearchResultSchema,
    SearchSchema,
    SplitResultSchema,
    SplitSchema,
    SubjectSummarySchema,
)

bp = Blueprint("rights", __name__, url_prefix="/api")
AUTH = "agentJWT"
ERRS = (400, 401, 403, 404, 409, 413, 422)


def _no_store(response: Response) -> Response:
    # Answers carry personal data: never cache them anywhere on the way.
    response.headers["Cache-Control"] = "no-store"
    return response


def summary(subject: Any) -> dict[str, Any]:
    """A subject's listing: identifier kinds, tickets per vendor, active restrictions."""
    return lookup.describe(subject) | {"restrictions": restrictions.active(subject.id)}


def _search(query: dict[str, str]) -> ResponseReturnValue:
    subjects = lookup.find(query.get("email"), query.get("phone"), query.get("vendor_id"))
    return _no_store(jsonify({"subjects": [summary(s) for s in subjects]}))


@bp.get("/subjects")
@documented(
    summary="Find a person (prefer POST /api/subjects/search: URLs end up in proxy logs)",
    tags=["rights"],
    query=SearchSchema,
    response=SearchResultSchema,
    errors=(401, 403, 422),
    auth=AUTH,
)
@require_role("dpo")
def find_get() -> ResponseReturnValue:
    """Subjects holding the e-mail, phone or vendor contact id given in the query."""
    return _search(load_query(SearchSchema()))


@bp.post("/subjects/search")
@documented(
    summary="Find a person by e-mail, phone or vendor contact id",
    tags=["rights"],
    body=SearchSchema,
    response=SearchResultSchema,
    errors=(400, 401, 403, 413, 422),
    auth=AUTH,
)
@require_role("dpo")
def find_post() -> ResponseReturnValue:
    """Subjects holding the identifiers in the JSON body."""
    return _search(load_json(SearchSchema()))


@bp.get("/subjects/<subject_id>")
@documented(
    summary="One subject: identifiers, tickets per vendor, restrictions",
    tags=["rights"],
    response=SubjectSummarySchema,
    errors=(401, 403, 404),
    auth=AUTH,
)
@require_role("dpo")
def show(subject_id: str) -> ResponseReturnValue:
    """A subject's summary (no personal data values)."""
    return _no_store(jsonify(summary(lookup.get_subject(subject_id))))


@bp.post("/subjects/merge")
@documented(
    summary="Merge identities of one person (audited)",
    tags=["rights"],
    body=MergeSchema,
    response=SubjectSummarySchema,
    errors=ERRS,
    auth=AUTH,
)
@require_role("dpo")
def merge() -> ResponseReturnValue:
    """Merge source subjects into the target."""
    body = load_json(MergeSchema())
    subject = lookup.merge(body["target_id"], body["source_ids"], current_actor(), body["reason"])
    return jsonify(summary(subject))


@bp.post("/subjects/<subject_id>/split")
@documented(
    summary="Split a wrong merge (audited)",
    tags=["rights"],
    body=SplitSchema,
    response=SplitResultSchema,
    errors=(*ERRS, 502),
    auth=AUTH,
)
@require_role("dpo")
def split(subject_id: str) -> ResponseReturnValue:
    """Detach merged subjects and/or move identifiers (with their contacts' tickets)."""
    body = load_json(SplitSchema())
    result = splitting.split(
        subject_id,
        current_actor(),
        body["reason"],
        merged_ids=body.get("merged_ids"),
        identifier_ids=body.get("identifier_ids"),
    )
    return jsonify(result)


@bp.get("/subjects/<subject_id>/export")
@documented(
    summary="Access/portability export (Art. 15/20): signed JSON or a readable page",
    tags=["rights"],
    query=ExportQuerySchema,
    response=ExportSchema,
    errors=(401, 403, 404, 422),
    auth=AUTH,
)
@require_role("dpo")
def export_subject(subject_id: str) -> ResponseReturnValue:
    """Everything held about the person, signed; audited."""
    query = load_query(ExportQuerySchema())
    envelope = export.export(subject_id, current_actor(), query["format"], query["lang"])
    if query["format"] == "html":
        page = Response(export.render_html(envelope, query["lang"]), mimetype="text/html")
        return _no_store(page)
    response = jsonify(envelope)
    response.headers["Content-Disposition"] = f'attachment; filename="export-{subject_id}.json"'
    return _no_store(response)


@bp.post("/subjects/<subject_id>/rectify")
@documented(
    summary="Rectify a value (Art. 16) in the vault and at the vendor (audited)",
    tags=["rights"],
    body=RectifySchema,
    response=RectifyResultSchema,
    errors=(*ERRS, 502),
    auth=AUTH,
)
@require_role("dpo")
def rectify_subject(subject_id: str) -> ResponseReturnValue:
    """Correct one finding or identifier."""
    body = load_json(RectifySchema())
    result = rectify.rectify(
        subject_id,
        body["new_value"],
        body["reason"],
        current_actor(),
        finding_id=body.get("finding_id"),
        identifier_id=body.get("identifier"),
    )
    return jsonify(result)


@bp.get("/subjects/<subject_id>/restrictions")
@documented(
    summary="Active restriction and objection flags of a subject",
    tags=["rights"],
    response=RestrictionSchema,
    many=True,
    errors=(401, 403, 404),
    auth=AUTH,
)
@require_role("agent")
def list_restrictions(subject_id: str) -> ResponseReturnValue:
    """Agents see these flags too: processing for the purpose must stop."""
    lookup.get_subject(subject_id)
    return jsonify({"restrictions": restrictions.active(subject_id)})


@bp.post("/subjects/<subject_id>/restrictions")
@documented(
    summary="Restrict (Art. 18) or object to (Art. 21) processing for a purpose (audited)",
    tags=["rights"],
    body=RestrictSchema,
    response=RestrictionSchema,
    errors=ERRS,
    auth=AUTH,
)
@require_role("dpo")
def add_restriction(subject_id: str) -> ResponseReturnValue:
    """Flag the subject; ``purpose`` null means every purpose."""
    body = load_json(RestrictSchema())
    row = restrictions.restrict(
        subject_id, body["kind"], body["reason"], current_actor(), purpose=body["purpose"]
    )
    return jsonify(restrictions.serialise(row)), 201


@bp.post("/restrictions/<int:restriction_id>/lift")
@documented(
    summary="Lift a restriction or objection (audited)",
    tags=["rights"],
    body=LiftSchema,
    response=RestrictionSchema,
    errors=ERRS,
    auth=AUTH,
)
@require_role("dpo")
def lift_restriction(restriction_id: int) -> ResponseReturnValue:
    """End a flag."""
    body = load_json(LiftSchema())
    row = restrictions.lift(restriction_id, body["reason"], current_actor())
    return jsonify(restrictions.serialise(row))


@bp.post("/restrictions/<int:restriction_id>/compelling-grounds")
@documented(
    summary="Resume processing despite an objection on compelling legitimate grounds "
    "(Art. 21(1); the grounds are recorded and audited)",
    tags=["rights"],
    body=GroundsSchema,
    response=RestrictionSchema,
    errors=ERRS,
    auth=AUTH,
)
@require_role("dpo")
def override_objection(restriction_id: int) -> ResponseReturnValue:
    """End an objection's effect with the DPO's recorded grounds."""
    body = load_json(GroundsSchema())
    row = restrictions.override(restriction_id, body["grounds"], current_actor())
    return jsonify(restrictions.serialise(row))
