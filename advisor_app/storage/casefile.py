"""Opening, creating and migrating one case file (the document of one project holder).

A case file is a SQLite database stamped with our `application_id` and its schema version
in `user_version`. An older file is migrated on open, after a backup copy, in one
transaction; a newer one, a foreign SQLite file or a non-SQLite file is refused.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Dialect, Engine, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex, CreateTable

from advisor_app.domain.errors import CaseFileError
from advisor_app.domain.messages import N_
from advisor_app.storage.case_models import CaseBase, CaseInfo, HistoryEntry
from advisor_app.storage.sqlite_engine import (
    DATABASE_ERRORS,
    connect_file,
    key_for,
    looks_like_sqlite,
    online_backup,
    raw_connect,
    shared_engine,
)

APPLICATION_ID = 0x424F5553  # "BOUS"
SCHEMA_VERSION = 1
CASE_SUFFIX = ".case"

Migration = Callable[[sqlite3.Connection], None]
# MIGRATIONS[n] upgrades a file from version n to n + 1.
MIGRATIONS: dict[int, Migration] = {}


def schema_script() -> list[str]:
    statements: list[str] = []
    for table in CaseBase.metadata.sorted_tables:
        statements.append(str(CreateTable(table).compile(dialect=_dialect())))
        for index in table.indexes:
            statements.append(str(CreateIndex(index).compile(dialect=_dialect())))
    return statements


def _dialect() -> Dialect:
    return sqlite.dialect()


class DamagedCaseFileError(CaseFileError):
    """The file is damaged or not a case file at all: it belongs in the quarantine."""


_templates: dict[str | None, bytes] = {}


def empty_case_file_bytes(key: str | None = None) -> bytes:
    """The bytes of an empty case file of the current schema, built once per process and key
    (an encrypted workspace gets templates encrypted with its key)."""
    template = _templates.get(key)
    if template is None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "template.case"
            connection = raw_connect(path, key=key)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            connection.execute("BEGIN")
            for statement in schema_script():
                connection.execute(statement)
            connection.execute("COMMIT")
            connection.close()
            template = _templates[key] = path.read_bytes()
    return template


class CaseFile:
    """An open case file. Reads and writes go through `read()` and `write()` sessions."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine

    @contextmanager
    def read(self) -> Iterator[Session]:
        with (
            connect_file(self.engine, self.path) as connection,
            Session(bind=connection) as session,
        ):
            yield session

    @contextmanager
    def write(
        self, action: str, detail: str = "", advisor: str = "", at: datetime | None = None
    ) -> Iterator[Session]:
        """One transaction that also bumps the revision and records the change in history
        (dated `at`, the services' clock; now by default)."""
        with connect_file(self.engine, self.path) as connection:
            connection.info["write"] = True
            with Session(bind=connection, expire_on_commit=False) as session:
                # bumped first, so that what is read for the catalog in the same
                # transaction carries the revision the file will have
                info = session.scalars(select(CaseInfo)).one_or_none()
                if info is not None:
                    info.revision += 1
                yield session
                if info is None:  # a new file: its case_info was added in the transaction
                    info = session.scalars(select(CaseInfo)).one()
                    info.revision += 1
                info.updated_at = (at or datetime.now()).replace(microsecond=0)
                session.add(
                    HistoryEntry(
                        at=info.updated_at,
                        revision=info.revision,
                        action=action,
                        detail=detail,
                        advisor=advisor,
                    )
                )
                session.flush()
                session.commit()

    def close(self) -> None:
        """Nothing to release: each session closed its own connection; the engine is shared."""


def create_case_file(path: Path, *, synchronous: str = "NORMAL") -> CaseFile:
    """Write an empty case file at `path` (which must not exist) and open it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as handle:
        handle.write(empty_case_file_bytes(key_for(path)))
    return CaseFile(path, shared_engine(path, synchronous=synchronous))


def open_case_file(path: Path, backup_dir: Path | None = None) -> CaseFile:
    """Open an existing case file, migrating an older one; refuse what is not ours."""
    check_case_file(path, backup_dir)
    return CaseFile(path, shared_engine(path))


def check_case_file(path: Path, backup_dir: Path | None = None) -> None:
    """Refuse what is not a readable case file of a version we read; migrate an older one
    forward (after a copy into `backup_dir`) when `backup_dir` is given, else leave it."""
    if not path.exists():
        raise CaseFileError(N_("The case file {name} does not exist."), name=path.name)
    try:
        plain = looks_like_sqlite(path)
        encrypted = key_for(path) is not None
    except OSError as error:
        raise CaseFileError(
            N_("The case file {name} cannot be read: {reason}."), name=path.name, reason=str(error)
        ) from error
    if encrypted and plain:
        raise CaseFileError(
            N_("The case file {name} is not encrypted, unlike the rest of the workspace."),
            N_("Move it out of the cases folder, or decrypt the workspace."),
            name=path.name,
        )
    if not (plain or encrypted):
        raise DamagedCaseFileError(
            N_("The file {name} is not a SQLite database: it is damaged or is not a case file."),
            N_("Restore it from a backup, or remove it from the cases folder."),
            name=path.name,
        )
    try:
        connection = raw_connect(path)
        try:
            application_id = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if application_id != APPLICATION_ID:
                raise DamagedCaseFileError(
                    N_("The file {name} is a SQLite database but not a Boussole case file."),
                    N_("Move it out of the cases folder."),
                    name=path.name,
                )
            if version > SCHEMA_VERSION:
                raise CaseFileError(
                    N_(
                        "The case file {name} was written by a newer version of Boussole "
                        "(format {version}, this one reads up to {supported})."
                    ),
                    N_("Update Boussole to open it; the file was not changed."),
                    name=path.name,
                    version=version,
                    supported=SCHEMA_VERSION,
                )
            if version < SCHEMA_VERSION and backup_dir is not None:
                _migrate(connection, path, version, backup_dir)
        finally:
            connection.close()
    except DATABASE_ERRORS as error:
        busy = "locked" in str(error) or "busy" in str(error)
        raise (CaseFileError if busy else DamagedCaseFileError)(
            N_("The case file {name} is damaged ({reason})."),
            N_("Restore it from a backup."),
            name=path.name,
            reason=str(error),
        ) from error


def _migrate(connection: sqlite3.Connection, path: Path, version: int, backup_dir: Path) -> None:
    if version < 1 or any(step not in MIGRATIONS for step in range(version, SCHEMA_VERSION)):
        raise CaseFileError(
            N_("The case file {name} has an unknown format ({version})."),
            name=path.name,
            version=version,
        )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    online_backup(path, backup_dir / f"{path.stem}.v{version}.{stamp}{CASE_SUFFIX}")
    connection.execute("BEGIN EXCLUSIVE")
    try:
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](connection)
            connection.execute(f"PRAGMA user_version = {step + 1}")
        connection.execute("COMMIT")
    except Exception:
        connection.execute("ROLLBACK")
        raise


def quick_check(path: Path) -> CaseFileError | None:
    """None when the file is a sound case file, else what is wrong with it."""
    try:
        check_case_file(path)
        connection = raw_connect(path)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
            rows = connection.execute("SELECT count(*) FROM case_info").fetchone()[0]
        finally:
            connection.close()
    except CaseFileError as error:
        return error
    except DATABASE_ERRORS as error:
        result, rows = str(error), 1
    if result != "ok" or rows != 1:
        reason = result if result != "ok" else "case_info"
        return DamagedCaseFileError(
            N_("The case file {name} is damaged ({reason})."),
            N_("Restore it from a backup."),
            name=path.name,
            reason=reason,
        )
    return None


def file_signature(path: Path) -> tuple[int, int, int]:
    """(mtime_ns, size, wal size): changes whenever the file's content may have changed."""
    stat = path.stat()
    try:
        wal = os.stat(f"{path}-wal").st_size
    except FileNotFoundError:
        wal = 0
    return stat.st_mtime_ns, stat.st_size, wal
