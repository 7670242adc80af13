"""Settings from built-in defaults, an optional YAML file and ``DATAVAGT_*`` variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
VENDOR_VARIABLES: dict[str, tuple[str, ...]] = {
    "freshdesk": (
        "domain",
        "api_key",
        "base_url",
        "webhook_user",
        "webhook_password",
        "webhook_password_previous",
        "app_secret",
        "agent_identity",
    ),
    "hubspot": (
        "token",
        "client_secret",
        "base_url",
        "app_id",
        "portal_id",
        "legacy_signatures",
        "client_secret_previous",
    ),
    "dynamics": (
        "org_url",
        "tenant_id",
        "client_id",
        "client_secret",
        "authority_url",
        "webhook_key",
        "webhook_key_previous",
        "widget_client_id",
        "exchange_scope",
        "webhook_header",
        "erase_mode",
        "app_user_id",
    ),
}
# Plain settings: name -> default. Environment variables are DATAVAGT_<NAME>.
SCALARS: dict[str, Any] = {
    "database_url": None,  # derived: sqlite file in the working directory
    "key_file": None,  # derived: beside the database
    "master_key": None,  # base64 key from the environment instead of the key file
    "public_url": None,
    # Browser origins of the CRMs that call the exchange and agent API directly (the Dynamics
    # web resource: https://<org>.crm4.dynamics.com); comma-separated. Empty: no CORS at all.
    "crm_origins": None,
    "manifest": str(ROOT / "manifest.yaml"),
    "log_level": "INFO",
    "max_request_bytes": 1024 * 1024,
    "scheduler": "on",  # "off": serve HTTP only (run `datavagt worker` separately)
    # Who chains queued audit events: "thread" (a background pass after each commit and every
    # audit.sequence_interval_ms), "inline" (right after the commit, in the committing thread:
    # tests and one-shot CLI runs), "off" (only the worker's audit_sequence job).
    "audit_sequencer": "thread",
    # Crypto-shredding window: a new master-key epoch every key_epoch_days; an epoch key is
    # destroyed backup_retention_days after it was superseded, so no backup older than that
    # can open an erased person's data key.
    "key_epoch_days": 1,
    "backup_retention_days": 35,
    # Incoming webhook (Teams, Slack) for alerts: https, or http to a loopback address.
    "alert_webhook_url": None,
    # Outgoing mail (portal magic links, secure-message notices); unset host = mail off.
    "smtp_host": None,
    "smtp_port": 25,
    "smtp_from": None,
    "smtp_starttls": "off",  # "on": STARTTLS before login (required when a password is set)
    "smtp_user": None,
    "smtp_password": None,
}
SMTP_SETTINGS = tuple(name for name in SCALARS if name.startswith("smtp_"))


class ConfigError(Exception):
    """Configuration that cannot work; the message names the setting."""


@dataclass(frozen=True)
class Settings:
    """Resolved configuration for one sidecar process."""

    database_url: str = field(repr=False)  # may carry a password
    key_file: Path
    master_key: str | None = field(repr=False)
    public_url: str | None
    manifest: Path
    log_level: str
    max_request_bytes: int
    scheduler: str
    audit_sequencer: str = "thread"
    key_epoch_days: int = 1
    backup_retention_days: int = 35
    alert_webhook_url: str | None = field(default=None, repr=False)  # holds a secret token
    vendors: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    extra: dict[str, Any] = field(default_factory=dict)
    smtp: dict[str, Any] = field(
        default_factory=dict, repr=False
    )  # SMTP_SETTINGS without the prefix
    crm_origins: tuple[str, ...] = ()
    # DATAVAGT_* variables as read, for third-party adapters whose names we can't know.
    environ: dict[str, str] = field(default_factory=dict, repr=False)

    def vendor(self, name: str) -> dict[str, str]:
        """The settings of one vendor (empty when the vendor is not configured)."""
        if name in VENDOR_VARIABLES:
            return dict(self.vendors.get(name, {}))
        # A third-party adapter: its YAML section, then every DATAVAGT_<NAME>_* variable.
        section = {k: str(v) for k, v in dict(self.extra.get(name) or {}).items()}
        prefix = f"DATAVAGT_{name.upper()}_"
        section.update(
            {
                k.removeprefix(prefix).lower(): v
                for k, v in self.environ.items()
                if k.startswith(prefix) and v
            }
        )
        return section


def _read_yaml(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except OSError as exc:
        raise ConfigError(f"DATAVAGT_CONFIG: cannot read {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"DATAVAGT_CONFIG: {path} is not valid YAML{where}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"DATAVAGT_CONFIG: {path} must hold a mapping of settings")
    return data


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Merge defaults < YAML file < environment < explicit overrides."""
    env = os.environ if environ is None else environ
    merged: dict[str, Any] = {}
    if env.get("DATAVAGT_CONFIG"):
        merged.update(_read_yaml(env["DATAVAGT_CONFIG"]))
    for name in SCALARS:
        if f"DATAVAGT_{name.upper()}" in env:
            merged[name] = env[f"DATAVAGT_{name.upper()}"]
    vendors: dict[str, dict[str, str]] = {}
    for vendor, names in VENDOR_VARIABLES.items():
        section = dict(merged.pop(vendor, None) or {})
        for name in names:
            value = env.get(f"DATAVAGT_{vendor.upper()}_{name.upper()}")
            if value:
                section[name] = value
        if section:
            vendors[vendor] = {k: str(v) for k, v in section.items()}
    for key, value in (overrides or {}).items():
        if key in VENDOR_VARIABLES:
            vendors[key] = {k: str(v) for k, v in dict(value).items()}
        else:
            merged[key] = value
    snapshot = {k: v for k, v in env.items() if k.startswith("DATAVAGT_")}
    return _resolve(merged, vendors, snapshot)


def _resolve(
    merged: dict[str, Any], vendors: dict[str, dict[str, str]], environ: dict[str, str]
) -> Settings:
    values = {name: merged.pop(name, default) for name, default in SCALARS.items()}
    database_url = values["database_url"] or f"sqlite:///{Path.cwd() / 'datavagt.db'}"
    if "://" not in database_url:
        raise ConfigError("DATAVAGT_DATABASE_URL: expected a URL such as sqlite:///datavagt.db")
    if database_url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    database_url = _absolute_sqlite(database_url)
    # One rule for relative paths: the working directory (for the key file as for SQLite).
    key_file = Path(values["key_file"] or _beside_database(database_url) / "datavagt.keys")
    key_file = key_file if key_file.is_absolute() else Path.cwd() / key_file
    try:
        max_bytes = int(values["max_request_bytes"])
    except (TypeError, ValueError) as exc:
        raise ConfigError("DATAVAGT_MAX_REQUEST_BYTES: expected a whole number of bytes") from exc
    windows = {}
    for name in ("key_epoch_days", "backup_retention_days"):
        try:
            windows[name] = int(values[name])
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"DATAVAGT_{name.upper()}: expected a whole number of days") from exc
        if windows[name] < 1:
            raise ConfigError(f"DATAVAGT_{name.upper()}: expected at least 1 day")
    webhook = values["alert_webhook_url"] or None
    if webhook is not None:
        parts = urlsplit(str(webhook))
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if not parts.hostname or not (
            parts.scheme == "https" or (parts.scheme == "http" and loopback)
        ):
            raise ConfigError(
                "DATAVAGT_ALERT_WEBHOOK_URL: expected an https URL (http only to loopback)"
            )
    crm_origins = _origins(values["crm_origins"])
    if values["scheduler"] not in ("on", "off"):
        raise ConfigError("DATAVAGT_SCHEDULER: expected 'on' or 'off'")
    if values["audit_sequencer"] not in ("thread", "inline", "off"):
        raise ConfigError("DATAVAGT_AUDIT_SEQUENCER: expected 'thread', 'inline' or 'off'")
    return Settings(
        database_url=database_url,
        key_file=key_file,
        master_key=values["master_key"],
        public_url=values["public_url"],
        manifest=Path(values["manifest"]),
        log_level=str(values["log_level"]).upper(),
        max_request_bytes=max_bytes,
        scheduler=values["scheduler"],
        audit_sequencer=values["audit_sequencer"],
        **windows,
        alert_webhook_url=webhook,
        vendors=vendors,
        extra=merged,
        smtp={name.removeprefix("smtp_"): values[name] for name in SMTP_SETTINGS},
        environ=environ,
        crm_origins=crm_origins,
    )


def _absolute_sqlite(database_url: str) -> str:
    """A SQLite URL whose relative file path is made absolute against the working directory.

    Flask-SQLAlchemy would otherwise resolve ``sqlite:///datavagt.db`` against the app's
    ``instance/`` folder, while the key file beside it is resolved against the working
    directory: one rule for both.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if not database_url.startswith("sqlite"):
        return database_url
    try:
        url = make_url(database_url)
    except ArgumentError as exc:
        raise ConfigError("DATAVAGT_DATABASE_URL: not a valid SQLAlchemy URL") from exc
    path = url.database
    if not path or path == ":memory:" or path.startswith("file:") or Path(path).is_absolute():
        return database_url
    return url.set(database=str(Path.cwd() / path)).render_as_string(hide_password=False)


def _origins(value: Any) -> tuple[str, ...]:
    """DATAVAGT_CRM_ORIGINS: exact origins (scheme, host, port), https unless loopback."""
    if not value:
        return ()
    items = value if isinstance(value, list | tuple) else str(value).replace(",", " ").split()
    origins = []
    for item in items:
        text = str(item).strip()
        parts = urlsplit(text)
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        plain = parts.path in ("", "/") and not (parts.query or parts.fragment or parts.username)
        if not parts.hostname or not plain or "*" in text:
            raise ConfigError(
                f"DATAVAGT_CRM_ORIGINS: {text!r} is not an origin such as "
                "https://contoso.crm4.dynamics.com (no path, no wildcard)"
            )
        if not (parts.scheme == "https" or (parts.scheme == "http" and loopback)):
            raise ConfigError(
                f"DATAVAGT_CRM_ORIGINS: {text!r} must use https (http only to loopback)"
            )
        origins.append(f"{parts.scheme}://{parts.netloc.lower()}")
    return tuple(dict.fromkeys(origins))


def _beside_database(database_url: str) -> Path:
    """The folder of a SQLite database file, else the working directory."""
    if database_url.startswith("sqlite:///") and database_url != "sqlite:///:memory:":
        return Path(database_url.removeprefix("sqlite:///")).resolve().parent
    return Path.cwd()
