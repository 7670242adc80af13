"""The Dynamics 365 solution zip (issue 22): built by static/embed/dynamics_solution.py into a
temporary folder and checked against Microsoft's documented solution file layout (sources in
adapters/dynamics/README.md). Importing it needs a Dynamics environment, which CI has not."""

from __future__ import annotations

import importlib.util
import zipfile
from pathlib import Path
from urllib.parse import parse_qs
from xml.etree import ElementTree as ET

import pytest

EMBED = Path(__file__).resolve().parents[2] / "static" / "embed"
TENANT = "0b8d2f5e-2f61-4a47-9c1a-7d2c5e6f8a90"
SPA = "6c1f0f9e-3a55-4c1c-8e0b-2a6f7d9c1b23"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# The element order of webresourcetype in CustomizationsSolution.xsd, as Microsoft prints it
# on "Customization solutions file schema".
WEB_RESOURCE_SEQUENCE = [
    "WebResourceId",
    "Name",
    "DisplayName",
    "Description",
    "SilverlightVersion",
    "LanguageCode",
    "WebResourceType",
    "IntroducedVersion",
    "IsEnabledForMobileClient",
    "IsAvailableForMobileOffline",
    "DependencyXml",
    "IsCustomizable",
    "CanBeDeleted",
    "IsHidden",
    "FileName",
]
# webresourcetype option values from the WebResource table metadata.
TYPE_BY_EXTENSION = {"html": 1, "css": 2, "js": 3, "xml": 4, "png": 5, "svg": 11}


@pytest.fixture(scope="module")
def solution_module():
    spec = importlib.util.spec_from_file_location(
        "dynamics_solution", EMBED / "dynamics_solution.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(solution_module, tmp_path_factory):
    out = tmp_path_factory.mktemp("dynamics") / "DatavagtWidget.zip"
    solution_module.build(
        out,
        public_url="https://datavagt.acme.dk",
        tenant=TENANT,
        spa_client_id=SPA,
        api=f"api://{SPA}",
        prefix="acme",
        version="1.2.0.0",
    )
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        yield {name: archive.read(name) for name in archive.namelist()}


def _xml(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 -- our own build output; raises if not well-formed


def test_zip_has_the_three_manifests_and_every_web_resource(built):
    names = set(built)
    assert {"solution.xml", "customizations.xml", "[Content_Types].xml"} <= names
    shipped = {p.name for p in (EMBED / "dynamics").iterdir() if p.suffix in (".html", ".js")}
    packed = {Path(n).name for n in names if n.startswith("WebResources/")}
    assert packed == shipped
    for name in names:
        assert "\\" not in name and not name.startswith("/")
        if name.endswith(".xml"):
            _xml(built[name])


def test_solution_manifest_names_solution_version_publisher_and_unmanaged(built):
    manifest = _xml(built["solution.xml"]).find("SolutionManifest")
    assert manifest.findtext("UniqueName") == "DatavagtWidget"
    assert manifest.findtext("Version") == "1.2.0.0"
    assert manifest.findtext("Managed") == "0"
    publisher = manifest.find("Publisher")
    assert publisher.findtext("UniqueName") == "datavagt"
    assert publisher.findtext("CustomizationPrefix") == "acme"
    assert publisher.find("LocalizedNames/LocalizedName").get("languagecode") == "1033"


def test_every_web_resource_has_its_file_with_the_right_type_code(built):
    custom = _xml(built["customizations.xml"])
    resources = custom.findall("WebResources/WebResource")
    assert len(resources) == len([n for n in built if n.startswith("WebResources/")])
    for resource in resources:
        tags = [child.tag for child in resource]
        positions = [WEB_RESOURCE_SEQUENCE.index(tag) for tag in tags]  # only documented ones
        assert positions == sorted(positions), tags
        name = resource.findtext("Name")
        assert name.startswith("acme_/datavagt/")
        member = resource.findtext("FileName").lstrip("/")
        assert member in built, member
        source = EMBED / "dynamics" / Path(name).name
        assert built[member] == source.read_bytes()
        extension = name.rsplit(".", 1)[1]
        assert int(resource.findtext("WebResourceType")) == TYPE_BY_EXTENSION[extension]


def test_root_components_cover_the_web_resources_and_the_case_form(built):
    roots = _xml(built["solution.xml"]).findall("SolutionManifest/RootComponents/RootComponent")
    custom = _xml(built["customizations.xml"])
    ids = {r.findtext("WebResourceId") for r in custom.findall("WebResources/WebResource")}
    assert {r.get("id") for r in roots if r.get("type") == "61"} == ids
    assert [r.get("schemaName") for r in roots if r.get("type") == "1"] == ["incident"]
    form_ids = {f.findtext("formid") for f in custom.iter("systemform")}
    assert {r.get("id") for r in roots if r.get("type") == "60"} == form_ids


def test_case_form_hosts_the_widget_with_record_id_and_data(built):
    custom = _xml(built["customizations.xml"])
    entity = custom.find("Entities/Entity")
    assert entity.findtext("Name").lower() == "incident"
    assert entity.find("FormXml/forms").get("type") == "main"
    control = entity.find(".//control[@id='WebResource_datavagt']")
    assert control.get("classid").upper() == "{9FDF5F91-88B1-47F4-AD53-C11EFC01A01D}"
    params = control.find("parameters")
    names = {r.findtext("Name") for r in custom.findall("WebResources/WebResource")}
    assert params.findtext("Url") in names and params.findtext("Url").endswith("widget.html")
    assert params.findtext("PassParameters") == "true"  # the page reads ?id= and ?data=
    data = parse_qs(params.findtext("Data"))
    assert data == {
        "tenant": [TENANT],
        "spa": [SPA],
        "api": [f"api://{SPA}"],
        "datavagt": ["https://datavagt.acme.dk"],
    }
    # The page reads exactly these keys from its data parameter.
    page = (EMBED / "dynamics" / "datavagt_widget.html").read_text(encoding="utf-8")
    for key in data:
        assert f'config.get("{key}")' in page, key


def test_content_types_cover_every_extension(built):
    types = _xml(built["[Content_Types].xml"])
    assert types.tag == f"{CT}Types"
    defaults = {d.get("Extension") for d in types.findall(f"{CT}Default")}
    overrides = {o.get("PartName") for o in types.findall(f"{CT}Override")}
    for name in built:
        if name == "[Content_Types].xml":
            continue
        extension = name.rsplit(".", 1)[-1].lower() if "." in Path(name).name else None
        assert extension in defaults or f"/{name}" in overrides, name


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"public_url": "http://datavagt.acme.dk"}, "https"),
        ({"public_url": "https://datavagt.example.com"}, "placeholder"),
        ({"tenant": "not-a-guid"}, "--tenant"),
        ({"prefix": "Acme!"}, "--prefix"),
        ({"version": "1"}, "--version"),
        ({"api": "javascript:alert(1)"}, "--api"),
    ],
)
def test_bad_values_are_refused_with_the_option_named(solution_module, tmp_path, changes, message):
    values = {
        "public_url": "https://datavagt.acme.dk",
        "tenant": TENANT,
        "spa_client_id": SPA,
        "api": f"api://{SPA}",
    }
    values.update(changes)
    with pytest.raises(solution_module.BuildError, match=message):
        solution_module.build(tmp_path / "x.zip", **values)
    assert not (tmp_path / "x.zip").exists()


def test_command_line_writes_the_zip(solution_module, tmp_path, capsys):
    out = tmp_path / "s.zip"
    code = solution_module.main(
        ["--public-url", "https://datavagt.acme.dk", "--tenant", TENANT, "--spa-client-id", SPA]
        + ["--api", f"api://{SPA}", "--out", str(out)]
    )
    assert code == 0 and zipfile.is_zipfile(out)
    assert (
        solution_module.main(
            [
                "--public-url",
                "http://x",
                "--tenant",
                TENANT,
                "--spa-client-id",
                SPA,
                "--api",
                "api://x",
                "--out",
                str(tmp_path / "bad.zip"),
            ]
        )
        == 2
    )
    assert "error: --public-url" in capsys.readouterr().err
