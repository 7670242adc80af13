"""Build the Dynamics 365 unmanaged solution zip that installs the Datavagt case-form widget.

    python static/embed/dynamics_solution.py --public-url https://datavagt.acme.dk \
        --tenant <tenant id> --spa-client-id <SPA app id> \
        --api api://<DATAVAGT_DYNAMICS_CLIENT_ID> --prefix acme --out build/DatavagtWidget.zip

The zip follows Microsoft's documented solution file layout (sources in
adapters/dynamics/README.md):
``solution.xml`` (the manifest: unique name, version, publisher, managed flag, root
components), ``customizations.xml`` (the web resources and a main form for the case table,
``incident``, whose web resource control passes the record id and the ``data`` parameter the
page reads), ``[Content_Types].xml`` and every file of static/embed/dynamics/ under
``WebResources/``. Standard library only.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import uuid
import zipfile
from pathlib import Path
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "dynamics"
WIDGET = "datavagt_widget.html"
UNIQUE_NAME = "DatavagtWidget"
# webresourcetype option values (WebResource table metadata: 1 Web Page (HTML), 2 Style Sheet
# (CSS), 3 Script (JScript), 4 Data (XML), 5 PNG, 6 JPG, 7 GIF, 10 ICO, 11 Vector (SVG)).
WEB_RESOURCE_TYPES = {
    ".html": 1,
    ".htm": 1,
    ".css": 2,
    ".js": 3,
    ".xml": 4,
    ".png": 5,
    ".jpg": 6,
    ".gif": 7,
    ".ico": 10,
    ".svg": 11,
}
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
# The form control class of a web resource on a form (FormXml <control classid>).
WEB_RESOURCE_CONTROL = "{9FDF5F91-88B1-47f4-AD53-C11EFC01A01D}"
# Solution component types (solutioncomponent.componenttype): 1 Entity, 60 System Form,
# 61 Web Resource. Root component behaviour 2 = include the table as a shell only.
ENTITY, SYSTEM_FORM, WEB_RESOURCE = 1, 60, 61
PREFIX = re.compile(r"^[a-z][a-z0-9]{1,7}$")
VERSION = re.compile(r"^\d+\.\d+(\.\d+){0,2}$")
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
NAMESPACE = uuid.UUID("8f5d8f0e-4d3c-4f7a-9a57-6a1d3b0c2e11")  # Datavagt's, for stable ids


def _package_build():
    """static/embed/build.py (the HubSpot/Freshdesk package builder) by path: the folder is
    not a package, and this script shares its URL rule and error type."""
    spec = importlib.util.spec_from_file_location(
        "datavagt_embed_build", Path(__file__).with_name("build.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_shared = _package_build()
BuildError = _shared.BuildError
_https_origin = _shared.public_url


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def web_resources(prefix: str) -> list[tuple[str, Path, int]]:
    """(web resource name, source file, type code) for every file of static/embed/dynamics/
    that Dynamics can hold as a web resource, all in one virtual folder so relative
    references between them keep working."""
    found = []
    for path in sorted(SOURCE.iterdir()):
        code = WEB_RESOURCE_TYPES.get(path.suffix.lower())
        if path.is_file() and code:
            found.append((f"{prefix}_/datavagt/{path.name}", path, code))
    if not any(path.name == WIDGET for _, path, _ in found):
        raise BuildError(f"{WIDGET} is missing from {SOURCE}")
    return found


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def solution_xml(prefix: str, publisher: str, version: str, components: list) -> bytes:
    root = ET.Element(
        "ImportExportXml",
        {"version": "9.2.0.0", "SolutionPackageVersion": "9.2", "languagecode": "1033"},
    )
    manifest = _sub(root, "SolutionManifest")
    _sub(manifest, "UniqueName", UNIQUE_NAME)
    names = _sub(manifest, "LocalizedNames")
    _sub(names, "LocalizedName", description="Datavagt widget", languagecode="1033")
    descriptions = _sub(manifest, "Descriptions")
    _sub(
        descriptions,
        "Description",
        description="Datavagt: personal data in this case, masked by role",
        languagecode="1033",
    )
    _sub(manifest, "Version", version)
    _sub(manifest, "Managed", "0")  # unmanaged
    pub = _sub(manifest, "Publisher")
    _sub(pub, "UniqueName", publisher)
    pub_names = _sub(pub, "LocalizedNames")
    _sub(pub_names, "LocalizedName", description=publisher, languagecode="1033")
    _sub(pub, "Descriptions")
    _sub(pub, "CustomizationPrefix", prefix)
    _sub(pub, "CustomizationOptionValuePrefix", str(10000 + int(_id(prefix)[:4], 16) % 89999))
    roots = _sub(manifest, "RootComponents")
    for kind, key, behavior in components:
        attrs = {"type": str(kind), "behavior": str(behavior)}
        attrs.update({"schemaName": key} if kind == ENTITY else {"id": "{" + key + "}"})
        _sub(roots, "RootComponent", **attrs)
    _sub(manifest, "MissingDependencies")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _form(widget_name: str, data: str, form_id: str) -> ET.Element:
    """A main form for the case table with one tab holding the Datavagt web resource."""
    systemform = ET.Element("systemform")
    _sub(systemform, "formid", "{" + form_id + "}")
    _sub(systemform, "IntroducedVersion", "1.0")
    _sub(systemform, "FormPresentation", "1")
    _sub(systemform, "FormActivationState", "1")
    form = _sub(systemform, "form")
    tabs = _sub(form, "tabs")
    tab = _sub(tabs, "tab", name="datavagt", id="{" + _id(form_id, "tab") + "}", expanded="true")
    tab_labels = _sub(tab, "labels")
    _sub(tab_labels, "label", description="Datavagt", languagecode="1033")
    columns = _sub(tab, "columns")
    column = _sub(columns, "column", width="100%")
    sections = _sub(column, "sections")
    section = _sub(
        sections, "section", name="datavagt_section", id="{" + _id(form_id, "section") + "}"
    )
    section_labels = _sub(section, "labels")
    _sub(section_labels, "label", description="Personal data", languagecode="1033")
    rows = _sub(section, "rows")
    row = _sub(rows, "row")
    cell = _sub(row, "cell", id="{" + _id(form_id, "cell") + "}", rowspan="12")
    cell_labels = _sub(cell, "labels")
    _sub(cell_labels, "label", description="Datavagt", languagecode="1033")
    control = _sub(cell, "control", id="WebResource_datavagt", classid=WEB_RESOURCE_CONTROL)
    parameters = _sub(control, "parameters")
    _sub(parameters, "Url", widget_name)
    _sub(parameters, "PassParameters", "true")  # id, typename, orglcid, userlcid, data
    _sub(parameters, "Data", data)
    _sub(parameters, "Security", "false")
    _sub(parameters, "Scrolling", "auto")
    _sub(parameters, "Border", "false")
    names = _sub(systemform, "LocalizedNames")
    _sub(names, "LocalizedName", description="Datavagt", languagecode="1033")
    return systemform


def customizations_xml(resources, version: str, data: str, form_id: str) -> bytes:
    root = ET.Element("ImportExportXml")
    entities = _sub(root, "Entities")
    entity = _sub(entities, "Entity")
    _sub(entity, "Name", "Incident", LocalizedName="Case", OriginalName="Case")
    formxml = _sub(entity, "FormXml")
    forms = _sub(formxml, "forms", type="main")
    widget_name = next(name for name, path, _ in resources if path.name == WIDGET)
    forms.append(_form(widget_name, data, form_id))
    for tag in ("Roles", "Workflows", "FieldSecurityProfiles", "Templates", "EntityMaps"):
        _sub(root, tag)
    for tag in ("EntityRelationships", "OrganizationSettings", "optionsets"):
        _sub(root, tag)
    collection = _sub(root, "WebResources")
    for name, path, code in resources:
        resource = _sub(collection, "WebResource")
        _sub(resource, "WebResourceId", "{" + _id(name) + "}")
        _sub(resource, "Name", name)
        _sub(resource, "DisplayName", f"Datavagt {path.name}")
        _sub(resource, "LanguageCode", "1033")
        _sub(resource, "WebResourceType", str(code))
        _sub(resource, "IntroducedVersion", version)
        _sub(resource, "IsEnabledForMobileClient", "0")
        _sub(resource, "IsAvailableForMobileOffline", "0")
        _sub(resource, "IsCustomizable", "1")
        _sub(resource, "CanBeDeleted", "1")
        _sub(resource, "IsHidden", "0")
        _sub(resource, "FileName", f"/WebResources/{name}")
    languages = _sub(root, "Languages")
    _sub(languages, "Language", "1033")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def content_types_xml(extensions: set[str]) -> bytes:
    root = ET.Element("Types", xmlns=CONTENT_TYPES_NS)
    for extension in sorted(extensions):
        _sub(root, "Default", Extension=extension, ContentType="application/octet-stream")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def build(
    out: Path,
    *,
    public_url: str,
    tenant: str,
    spa_client_id: str,
    api: str,
    prefix: str = "dvgt",
    publisher: str = "datavagt",
    version: str = "1.0.0.0",
) -> Path:
    """Write the solution zip to ``out``; returns it."""
    if not PREFIX.match(prefix):
        raise BuildError(
            "--prefix must be 2-8 lower-case letters or digits, starting with a letter"
        )
    if not re.match(r"^[a-z][a-z0-9_]{1,63}$", publisher):
        raise BuildError("--publisher must be a lower-case unique name (letters, digits, _)")
    if not VERSION.match(version):
        raise BuildError("--version must be major.minor[.build[.revision]], e.g. 1.0.0.0")
    for label, value in (("--tenant", tenant), ("--spa-client-id", spa_client_id)):
        if not GUID.match(value):
            raise BuildError(f"{label} must be a GUID (the Azure AD id)")
    if not re.match(r"^(api://|https://)[^\s/?#]+(/[^\s?#]*)?$", api):
        raise BuildError("--api must be the app id URI, e.g. api://<DATAVAGT_DYNAMICS_CLIENT_ID>")
    data = urlencode(
        {"tenant": tenant, "spa": spa_client_id, "api": api, "datavagt": _https_origin(public_url)}
    )
    resources = web_resources(prefix)
    form_id = _id(prefix, "incident", "main")
    components = [(WEB_RESOURCE, _id(name), 0) for name, _, _ in resources]
    components += [(ENTITY, "incident", 2), (SYSTEM_FORM, form_id, 0)]
    out.parent.mkdir(parents=True, exist_ok=True)
    extensions = {"xml"} | {path.suffix.lstrip(".").lower() for _, path, _ in resources}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types_xml(extensions))
        archive.writestr("solution.xml", solution_xml(prefix, publisher, version, components))
        archive.writestr(
            "customizations.xml", customizations_xml(resources, version, data, form_id)
        )
        for name, path, _ in resources:
            archive.write(path, f"WebResources/{name}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--public-url", required=True, help="DATAVAGT_PUBLIC_URL (https origin)")
    parser.add_argument("--tenant", required=True, help="Azure AD tenant id")
    parser.add_argument("--spa-client-id", required=True, help="the widget's SPA app id")
    parser.add_argument("--api", required=True, help="Datavagt's app id URI (api://...)")
    parser.add_argument("--prefix", default="dvgt", help="your publisher's customization prefix")
    parser.add_argument("--publisher", default="datavagt", help="publisher unique name")
    parser.add_argument("--version", default="1.0.0.0")
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args(argv)
    try:
        out = build(
            args.out,
            public_url=args.public_url,
            tenant=args.tenant,
            spa_client_id=args.spa_client_id,
            api=args.api,
            prefix=args.prefix,
            publisher=args.publisher,
            version=args.version,
        )
    except BuildError as exc:
        print(f"dynamics_solution.py: error: {exc}", file=sys.stderr)
        return 2
    print(f"{UNIQUE_NAME} {args.version}: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
