"""The record of processing as PDF (API, saved versions, console, CLI), read back with pypdf."""

from __future__ import annotations

import io

from click.testing import CliRunner
from flask import Flask
from pypdf import PdfReader

from plugin.cli.main import cli
from tests.admin.helpers import sign_in
from tests.agents.helpers import bearer
from tests.ropa.test_ropa import _seed


def _text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_live_record_as_pdf_in_danish_and_english(app: Flask) -> None:
    _seed()
    client = app.test_client()
    da = client.get("/api/ropa?format=pdf&lang=da", headers=bearer(app, "dpo"))
    assert da.status_code == 200 and da.mimetype == "application/pdf"
    assert da.headers["Content-Disposition"] == 'attachment; filename="ropa-da.pdf"'
    text = _text(da.data)
    controller = app.extensions["datavagt.manifest"].data["controller"]
    assert "Fortegnelse over behandlingsaktiviteter" in text
    assert controller["cvr"] in text and "Databeskyttelsesrådgiver" in text
    assert "CPR-numre fundet nu: 1" in text  # live counts reach the PDF
    en = _text(client.get("/api/ropa?format=pdf&lang=en", headers=bearer(app, "dpo")).data)
    assert "Record of processing activities" in en
    assert client.get("/api/ropa?format=pdf").status_code == 401
    assert client.get("/api/ropa?format=pdf", headers=bearer(app, "agent")).status_code == 403


def test_saved_version_as_pdf_names_its_version(app: Flask) -> None:
    client = app.test_client()
    dpo = bearer(app, "dpo")
    number = client.post("/api/ropa/versions", headers=dpo).get_json()["version"]
    response = client.get(f"/api/ropa/versions/{number}?format=pdf&lang=da", headers=dpo)
    assert (
        response.headers["Content-Disposition"] == f'attachment; filename="ropa-v{number}-da.pdf"'
    )
    assert "Version: 1" in _text(response.data)
    token = sign_in(app, client)
    assert token
    page = client.get("/admin/ropa?lang=da").get_data(as_text=True)
    assert f"/admin/ropa/versions/{number}.pdf?lang=da" in page
    console = client.get(f"/admin/ropa/versions/{number}.pdf?lang=en")
    assert console.status_code == 200 and "Record of processing" in _text(console.data)
    assert client.get("/admin/ropa/versions/99.pdf").status_code == 404


def test_cli_writes_pdf_bytes(cli_env: CliRunner) -> None:
    result = cli_env.invoke(cli, ["ropa", "--format", "pdf", "--lang", "da"])
    assert result.exit_code == 0
    assert "Fortegnelse over behandlingsaktiviteter" in _text(result.stdout_bytes)
