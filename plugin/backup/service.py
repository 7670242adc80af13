"""``backup create`` and ``backup restore``: a consistent, encrypted copy of every table.

Create reads all tables in one snapshot (PostgreSQL: one REPEATABLE READ READ ONLY
transaction; SQLite: the online backup API into memory, then read), and writes them through
plugin.backup.fileformat under a fresh file key wrapped by the newest epoch key. The
snapshot is pinned before that epoch is chosen, so every data key inside is wrapped under
it or an older epoch: destroying it makes the whole file unreadable.

Restore checks the header (format, schema revision, epoch key still there, file key opens),
reads the erasure journal, decrypts the whole file once to authenticate it and find the
subjects that journal tombstones point at, and only then replaces the database content in
one transaction. Erased subjects' data keys are written already destroyed and their vault
items, findings and identifiers are never written, so a restored database holds nothing
of them (not even transiently in SQLite's WAL).
"""

from __future__ import annotations

import base64
import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask

from plugin.audit import actions, record
from plugin.auth.guard import Actor
from plugin.backup import fileformat
from plugin.backup.fileformat import BackupFileError, Header
from plugin.database import current_revision
from plugin.extensions import db
from plugin.keys.journal import Erasure, JournalError, hash_of_line, journal_path
from plugin.keys.journal import head as journal_head
from plugin.keys.journal import read as read_journal
from plugin.keys.provider import EpochGone, WrapFailed, get_provider
from plugin.models.types import utcnow

BATCH = 500
# Published consent wording is immutable (database triggers): restore adds, never deletes.
APPEND_ONLY = frozenset({"consent_texts"})
# Tombstones re-erase other subjects only on identifiers that single out one person; a phone
# number or address is shared by families and firms.
STRONG_KINDS = frozenset({"email", "vendor_contact", "cpr"})
ERASED_ROWS = ("vault_items", "findings", "subject_identifiers")
# Login sessions and magic-link tokens are short-lived credentials: never in a backup, and
# a restore ends them all (a revoked session or a used link must not come back).
NOT_BACKED_UP = frozenset({"admin_sessions", "portal_sessions", "portal_login_tokens"})


class BackupError(Exception):
    """A backup cannot be written or restored; the message is one line for the operator."""


@dataclass
class CreateResult:
    backup_id: str
    epoch: str
    revision: str
    tables: int
    rows: int


@dataclass
class RestoreResult:
    backup_id: str
    epoch: str
    revision: str
    rows: int
    erasures_reapplied: int
    subjects_erased: int
    unreadable_keys: int = 0
    skipped: dict[str, int] = field(default_factory=dict)


def _tables() -> list[sa.Table]:
    import plugin.models  # noqa: F401 - every model registered on the metadata

    return list(db.metadata.sorted_tables)


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decoder(column: sa.Column[Any]) -> Any:
    kind = column.type
    impl = getattr(kind, "impl", kind)
    if isinstance(impl, sa.LargeBinary):
        return lambda v: None if v is None else base64.b64decode(v)
    if isinstance(impl, sa.DateTime):
        return lambda v: None if v is None else datetime.fromisoformat(v)
    if isinstance(impl, sa.Date):
        return lambda v: None if v is None else date.fromisoformat(v)
    return lambda v: v


# -- create ------------------------------------------------------------------------------
@contextlib.contextmanager
def _snapshot(app: Flask) -> Iterator[sa.Connection]:
    """A connection that sees one consistent state of the whole database."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        memory = sqlite3.connect(":memory:")
        raw = engine.raw_connection()
        try:
            # One step (pages=-1): copied under a single read lock, so it is consistent.
            raw.driver_connection.backup(memory)  # type: ignore[union-attr]
        finally:
            raw.close()
        copy = sa.create_engine("sqlite://", creator=lambda: memory, poolclass=sa.pool.StaticPool)
        try:
            with copy.connect() as conn:
                yield conn
        finally:
            copy.dispose()
            memory.close()
        return
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn


def _revision(conn: sa.Connection) -> str:
    try:
        value = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.SQLAlchemyError as exc:
        raise BackupError("the database has no schema revision: run `datavagt db upgrade`") from exc
    if not value:
        raise BackupError("the database has no schema revision: run `datavagt db upgrade`")
    return str(value)


def create_backup(app: Flask, target: Path) -> CreateResult:
    """Write an encrypted backup of every table to ``target`` (must not exist yet)."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"--to: {target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise BackupError(f"--to: folder {target.parent} does not exist")
    provider = get_provider(app)
    partial = target.with_name(target.name + ".partial")
    total = 0
    tables = _tables()
    with _snapshot(app) as conn:
        revision = _revision(conn)  # also pins the PostgreSQL snapshot before the epoch
        epoch = provider.active_epoch_id()
        backup_id = fileformat.new_backup_id()
        file_key = fileformat.new_file_key()
        wrapped = provider.wrap(epoch, file_key, fileformat.key_aad(backup_id, epoch))
        lines, last = journal_head(journal_path(app.extensions["datavagt.settings"].key_file))
        fields = {
            "journal": {"lines": lines, "last": last},
            "backup_id": backup_id,
            "epoch": epoch,
            "revision": revision,
            "created_at": utcnow().isoformat(),
            "dialect": conn.dialect.name,
            "wrapped_key": base64.b64encode(wrapped).decode(),
        }
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                writer = fileformat.Writer(out, fields, file_key)
                writer.line({"tables": [[t.name, [c.name for c in t.columns]] for t in tables]})
                for index, table in enumerate(tables):
                    if table.name in NOT_BACKED_UP:
                        continue
                    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(
                        sa.select(table).order_by(*table.primary_key.columns)
                    )
                    for row in result:
                        writer.line([index, [_encode(v) for v in row]])
                        total += 1
                writer.line({"end": True, "rows": total})
                writer.close()
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return CreateResult(backup_id, epoch, revision, len(tables), total)


# -- restore -----------------------------------------------------------------------------
@dataclass
class OpenedBackup:
    """A backup whose header, epoch, revision and file key checked out."""

    path: Path
    header: Header
    file_key: bytes
    journal: list[Erasure]


def open_backup(app: Flask, source: Path) -> OpenedBackup:
    """Check a backup before anything is changed; BackupError names what is wrong."""
    source = Path(source)
    try:
        with source.open("rb") as handle:
            header = fileformat.read_header(handle)
    except FileNotFoundError as exc:
        raise BackupError(f"--from: {source} does not exist") from exc
    except IsADirectoryError as exc:
        raise BackupError(f"--from: {source} is a folder, not a backup file") from exc
    except OSError as exc:
        raise BackupError(f"--from: cannot read {source}") from exc
    except BackupFileError as exc:
        raise BackupError(f"--from: {source}: {exc}") from exc
    provider = get_provider(app)
    epochs = {e.id: e for e in provider.list_epochs()} if provider.supports_epochs else {}
    epoch = epochs.get(header.epoch)
    if epoch is not None and epoch.destroyed_at is not None:
        raise BackupError(
            f"this backup can no longer be opened: its epoch key {header.epoch} was destroyed "
            f"on {epoch.destroyed_at:%Y-%m-%d} (backup retention passed)"
        )
    here = current_revision(db.engine) or "none (not migrated)"
    if header.revision != here:
        raise BackupError(
            f"this backup is at schema revision {header.revision}, the database at {here}: "
            "restore into a database migrated to the backup's revision"
        )
    try:
        file_key = provider.unwrap(
            header.epoch, header.wrapped_key, fileformat.key_aad(header.backup_id, header.epoch)
        )
    except EpochGone as exc:
        raise BackupError(
            f"this backup cannot be opened: epoch key {header.epoch} is not in this key file"
        ) from exc
    except WrapFailed as exc:
        raise BackupError("this backup was altered or belongs to another key file") from exc
    path = journal_path(app.extensions["datavagt.settings"].key_file)
    try:
        journal = read_journal(path)
    except JournalError as exc:
        raise BackupError(f"{exc}; restore refused (it could bring erased people back)") from exc
    seen = header.fields.get("journal") or {}
    if not isinstance(seen.get("lines"), int) or hash_of_line(path, seen["lines"]) != seen.get(
        "last"
    ):
        raise BackupError(
            f"the erasure journal {path} is older than this backup or not the one it was "
            "taken with; restore refused (it could bring erased people back)"
        )
    opened = OpenedBackup(source, header, file_key, journal)
    try:
        # The first segment is bound to the header: what we show and check is authentic.
        with contextlib.closing(_lines(opened)) as lines:
            _check_layout(next(lines, None), _tables())
    except BackupFileError as exc:
        raise BackupError(f"--from: {source}: {exc}") from exc
    return opened


def _lines(opened: OpenedBackup) -> Iterator[Any]:
    with opened.path.open("rb") as handle:
        header = fileformat.read_header(handle)
        if header.raw != opened.header.raw:
            raise BackupFileError("the backup file changed while it was being restored")
        yield from fileformat.read_lines(handle, header, opened.file_key)


def _check_layout(first: Any, tables: list[sa.Table]) -> list[tuple[sa.Table, list[str]]]:
    if not isinstance(first, dict) or "tables" not in first:
        raise BackupFileError("the backup file is damaged")
    by_name = {t.name: t for t in tables}
    layout = []
    for name, columns in first["tables"]:
        table = by_name.get(name)
        if table is None or set(columns) != {c.name for c in table.columns}:
            raise BackupFileError(f"table {name} does not match this version's schema")
        layout.append((table, columns))
    return layout


def _erased_subjects(opened: OpenedBackup) -> tuple[dict[str, datetime], int]:
    """Pass 1: authenticate every segment; subjects the journal names or tombstones match."""
    erased: dict[str, datetime] = {}
    strong: dict[tuple[str, str, str], datetime] = {}
    for entry in opened.journal:
        erased[entry.subject_id] = min(
            erased.get(entry.subject_id, entry.erased_at), entry.erased_at
        )
        for stone in entry.tombstones:
            if stone[0] in STRONG_KINDS:
                strong[stone] = min(strong.get(stone, entry.erased_at), entry.erased_at)
    lines = _lines(opened)
    layout = _check_layout(next(lines, None), _tables())
    rows = 0
    ended = False
    for line in lines:
        if isinstance(line, dict) and line.get("end"):
            if line.get("rows") != rows:
                raise BackupFileError("the backup file is damaged")
            ended = True
            continue
        rows += 1
        table, columns = layout[line[0]]
        if table.name == "subject_identifiers" and strong:
            values = dict(zip(columns, line[1], strict=True))
            key = (values["kind"], values["vendor"], values["blind_index"])
            if key in strong:
                when = strong[key]
                sid = values["subject_id"]
                erased[sid] = min(erased.get(sid, when), when)
    if not ended:
        raise BackupFileError("the backup file is truncated")
    return erased, rows


def _kept_parents(tables: list[sa.Table]) -> dict[str, list[tuple[sa.Column, sa.Column]]]:
    """Tables append-only rows point at: name -> (their key, the append-only column)."""
    parents: dict[str, list[tuple[sa.Column, sa.Column]]] = {}
    for table in tables:
        if table.name in APPEND_ONLY:
            for fk in table.foreign_keys:
                parents.setdefault(fk.column.table.name, []).append((fk.column, fk.parent))
    return parents


def _delete_all(conn: sa.Connection, tables: list[sa.Table]) -> None:
    parents = _kept_parents(tables)
    for table in reversed(tables):
        if table.name in APPEND_ONLY:
            continue
        query = table.delete()
        for key, referrer in parents.get(table.name, []):
            # Rows kept consent wording refers to stay; the backup's version updates them.
            query = query.where(key.not_in(sa.select(referrer).where(referrer.is_not(None))))
        conn.execute(query)


def _fix_sequences(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """PostgreSQL: serial counters continue after the restored ids."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
            continue
        sequence = conn.execute(
            sa.select(sa.func.pg_get_serial_sequence(table.name, pk[0].name))
        ).scalar()
        if sequence:
            highest = sa.select(sa.func.max(pk[0])).scalar_subquery()
            conn.execute(
                sa.select(
                    sa.func.setval(sequence, sa.func.coalesce(highest, 1), highest.is_not(None))
                )
            )


class _Loader:
    """Pass 2: write rows, leaving out what belongs to erased subjects."""

    def __init__(self, conn: sa.Connection, erased: dict[str, datetime]) -> None:
        self.conn = conn
        self.erased = erased
        self.dropped_items: set[str] = set()
        self.skipped: dict[str, int] = {}
        self.self_refs: list[tuple[sa.Table, str, Any, Any]] = []
        self.existing: dict[str, set[Any]] = {}
        self.parents = set(_kept_parents(_tables()))
        self.updated = 0

    def _skip(self, table: str) -> None:
        self.skipped[table] = self.skipped.get(table, 0) + 1

    def row(self, table: sa.Table, values: dict[str, Any]) -> dict[str, Any] | None:
        sid = values.get("subject_id")
        name = table.name
        if name in NOT_BACKED_UP:
            self._skip(name)
            return None
        if sid in self.erased:
            if name in ERASED_ROWS:
                if name == "vault_items":
                    self.dropped_items.add(values["id"])
                self._skip(name)
                return None
            if name == "subject_keys":
                # Written already destroyed: the wrapped key never reaches the database.
                values["wrapped_key"] = None
                values["destroyed_at"] = values["destroyed_at"] or self.erased[sid]
        if name == "data_subjects" and values["id"] in self.erased:
            values["erased_at"] = values["erased_at"] or self.erased[values["id"]]
        # ON DELETE SET NULL, as the live erasure's deletes would have done.
        if values.get("vault_item_id") in self.dropped_items:
            values["vault_item_id"] = None
        for fk in table.foreign_keys:
            if fk.column.table is table and values.get(fk.parent.name) is not None:
                pk = values[table.primary_key.columns.keys()[0]]
                self.self_refs.append((table, fk.parent.name, values[fk.parent.name], pk))
                values[fk.parent.name] = None
        if name in APPEND_ONLY or name in self.parents:
            pk_name = table.primary_key.columns.keys()[0]
            if name not in self.existing:
                self.existing[name] = set(self.conn.execute(sa.select(table.c[pk_name])).scalars())
            if values[pk_name] in self.existing[name]:
                if name in self.parents:
                    pk = table.c[pk_name]
                    self.conn.execute(table.update().where(pk == values[pk_name]).values(values))
                    self.updated += 1
                return None
        return values

    def finish(self) -> None:
        for table, column, target, pk in self.self_refs:
            pk_column = table.primary_key.columns.values()[0]
            self.conn.execute(table.update().where(pk_column == pk).values({column: target}))


def restore_backup(app: Flask, opened: OpenedBackup) -> RestoreResult:
    """Replace the database content with the backup and re-apply every journalled erasure."""
    tables = _tables()
    try:
        erased, _ = _erased_subjects(opened)
    except BackupFileError as exc:
        raise BackupError(f"--from: {opened.path}: {exc}") from exc
    session = db.session
    conn = session.connection()
    head_before = conn.execute(sa.text("SELECT MAX(seq) FROM audit_events")).scalar()
    loader = _Loader(conn, erased)
    written = 0
    try:
        carried = _live_jobs(conn, set(erased))
        _delete_all(conn, tables)
        lines = _lines(opened)
        layout = _check_layout(next(lines), tables)
        decoders = {t.name: {c.name: _decoder(c) for c in t.columns} for t, _ in layout}
        pending: dict[int, list[dict[str, Any]]] = {}
        current = -1
        for line in lines:
            if isinstance(line, dict):
                continue
            index, raw = line
            if index != current and pending.get(current):
                conn.execute(layout[current][0].insert(), pending.pop(current))
            current = index
            table, columns = layout[index]
            decode = decoders[table.name]
            values = {c: decode[c](v) for c, v in zip(columns, raw, strict=True)}
            kept = loader.row(table, values)
            if kept is None:
                continue
            pending.setdefault(index, []).append(kept)
            written += 1
            if len(pending[index]) >= BATCH:
                conn.execute(table.insert(), pending.pop(index))
        for index, rows in pending.items():
            if rows:
                conn.execute(layout[index][0].insert(), rows)
        loader.finish()
        _carry_jobs(conn, carried)
        _fix_sequences(conn, tables)
    except BackupFileError as exc:
        session.rollback()
        raise BackupError(f"--from: {opened.path}: {exc}") from exc
    except BaseException:
        session.rollback()
        raise
    present = set(
        conn.execute(sa.select(sa.column("id")).select_from(sa.table("data_subjects"))).scalars()
    )
    unreadable = _keys_without_epoch(app, conn)
    result = RestoreResult(
        backup_id=opened.header.backup_id,
        epoch=opened.header.epoch,
        revision=opened.header.revision,
        rows=written + loader.updated,
        erasures_reapplied=len(opened.journal),
        subjects_erased=len(present & set(erased)),
        unreadable_keys=unreadable,
        skipped=loader.skipped,
    )
    record(
        actions.ADMIN_ACTION,
        actor=Actor(id="cli", role="admin", source="cli"),
        reason="backup restore",
        details={
            "operation": "backup_restore",
            "backup_id": result.backup_id,
            "epoch": result.epoch,
            "revision": result.revision,
            "backup_created_at": opened.header.created_at,
            "rows": result.rows,
            "erasures_reapplied": result.erasures_reapplied,
            "subjects_erased": result.subjects_erased,
            "unreadable_keys": unreadable,
            # The audit events after this seq were replaced by the backup's own trail.
            "audit_seq_before_restore": head_before,
        },
    )
    session.commit()
    return result


def _outbox() -> sa.Table:
    return db.metadata.tables["outbox_jobs"]


def _live_jobs(conn: sa.Connection, subjects: set[str]) -> list[dict[str, Any]]:
    """The live database's vendor jobs of erased subjects (ticket and contact deletions).

    An erasure after the backup queued them; the backup does not have them, so without
    this a restore would silently drop vendor deletions still to do (and their evidence).
    """
    outbox = _outbox()
    found: list[dict[str, Any]] = []
    ordered = sorted(subjects)
    for start in range(0, len(ordered), BATCH):
        chunk = ordered[start : start + BATCH]
        rows = conn.execute(sa.select(outbox).where(outbox.c.subject_id.in_(chunk)))
        found.extend(dict(row._mapping) for row in rows)
    return found


def _carry_jobs(conn: sa.Connection, jobs: list[dict[str, Any]]) -> None:
    """Put the live jobs back, replacing the backup's older copy of the same job."""
    outbox = _outbox()
    for job in jobs:
        conn.execute(outbox.delete().where(outbox.c.dedupe_key == job["dedupe_key"]))
        taken = conn.execute(sa.select(outbox.c.id).where(outbox.c.id == job["id"])).first()
        conn.execute(outbox.insert(), {k: v for k, v in job.items() if k != "id" or not taken})


def _keys_without_epoch(app: Flask, conn: sa.Connection) -> int:
    """Live data keys in the restored data whose epoch key is gone (their values are lost)."""
    provider = get_provider(app)
    if not provider.supports_epochs:
        return 0
    alive = {e.id for e in provider.list_epochs() if not e.destroyed}
    rows = conn.execute(
        sa.text(
            "SELECT master_key_id, COUNT(*) FROM subject_keys "
            "WHERE wrapped_key IS NOT NULL GROUP BY master_key_id"
        )
    )
    return sum(int(n) for key_id, n in rows if key_id not in alive)


def audit_backup(result: CreateResult, target: Path) -> None:
    """Audit a created backup (ids and counts; the file name is the operator's)."""
    record(
        actions.ADMIN_ACTION,
        actor=Actor(id="cli", role="admin", source="cli"),
        reason="backup create",
        details={
            "operation": "backup_create",
            "backup_id": result.backup_id,
            "epoch": result.epoch,
            "revision": result.revision,
            "tables": result.tables,
            "rows": result.rows,
            "at": datetime.now(UTC).isoformat(),
        },
    )
    db.session.commit()
