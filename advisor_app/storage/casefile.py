"""Opening, creating and migrating one case file (the document of one project holder).

A case file is a SQLite database stamped with our `application_id` and its schema version
in `user_version`. An older file is migrated on open, after a backup copy, in one
transaction; a newer one, a foreign SQLite file or a non-SQLite file is refused.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Dialect, Engine, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.schema import CreateIndex, CreateTable

from advisor_app.domain.disk import is_damage, sqlite_code
from advisor_app.domain.errors import CaseFileError
from advisor_app.domain.hlc import HybridClock
from advisor_app.domain.messages import N_
from advisor_app.storage import team_models as team_models  # its tables are in every file
from advisor_app.storage.case_migrations import MIGRATIONS as MIGRATIONS
from advisor_app.storage.case_migrations import SCHEMA_VERSION as SCHEMA_VERSION
from advisor_app.storage.case_migrations import Migration as Migration
from advisor_app.storage.case_models import CaseBase, CaseInfo, HistoryEntry
from advisor_app.storage.disk import disk_problem
from advisor_app.storage.layout import APPLICATION_ID as APPLICATION_ID
from advisor_app.storage.layout import CASE_SUFFIX as CASE_SUFFIX
from advisor_app.storage.layout import file_signature as file_signature
from advisor_app.storage.owner_only import OWNER_ONLY, owner_only_folder, unused_path
from advisor_app.storage.sqlite_engine import (
    DATABASE_ERRORS,
    WorkspaceKey,
    connect_file,
    looks_like_sqlite,
    online_backup,
    raw_connect,
)


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
    """The file is damaged or not a case file at all: it belongs in the quarantine.

    Only an unreadable header (not SQLite, not ours, SQLITE_CORRUPT or SQLITE_NOTADB) or a
    failed integrity check says so. A full disk, a read-only folder, an I/O error or a busy
    file raise their own errors (domain/disk.py) and leave the file where it is."""


# SQLite's codes of a file someone else holds: the file is fine
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
# What reading or writing a file may raise, SQLAlchemy's wrapping included
_FILE_ERRORS: tuple[type[Exception], ...] = (*DATABASE_ERRORS, OSError)
_SESSION_ERRORS: tuple[type[Exception], ...] = (*_FILE_ERRORS, DBAPIError)


@contextmanager
def disk_errors_told(path: Path, *, own_files: bool = False) -> Iterator[None]:
    """Turn a full disk, a read-only folder or an I/O error met on `path` into its sentence
    (a StorageError); anything else goes through unchanged. An OSError counts only when it
    names `path` (or its journals), or with `own_files` when the block touches no other file:
    an export written while the case is read fails on its own disk, not the workspace's."""
    try:
        yield
    except _SESSION_ERRORS as error:
        named = getattr(error, "filename", None)
        ours = own_files or (named is not None and str(named).startswith(str(path)))
        if isinstance(error, OSError) and not ours:
            raise
        problem = disk_problem(error, path)
        if problem is None:
            raise
        raise problem from error


def empty_case_file_bytes(key: WorkspaceKey) -> bytes:
    """The bytes of an empty case file of the current schema, built once per workspace key
    (an encrypted workspace gets templates encrypted with its key; locking drops them)."""
    template = key.templates.get("case")
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
            template = key.templates["case"] = path.read_bytes()
    return template


class CaseFile:
    """An open case file. Reads and writes go through `read()` and `write()` sessions."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine

    @contextmanager
    def read(self) -> Iterator[Session]:
        with (
            disk_errors_told(self.path),
            connect_file(self.engine, self.path) as connection,
            Session(bind=connection) as session,
        ):
            yield session

    @contextmanager
    def write(
        self,
        action: str,
        detail: str = "",
        advisor: str = "",
        at: datetime | None = None,
        *,
        team: HybridClock | None = None,
    ) -> Iterator[Session]:
        """One transaction that also bumps the revision and records the change in history
        (dated `at`, the services' clock; now by default). A full disk or a read-only
        folder rolls it back and raises its sentence (a StorageError). With the team's
        `clock`, a write to a shared case also records its changes for the team."""
        from advisor_app.storage.team_changes import ChangeRecorder, is_shared

        with disk_errors_told(self.path), connect_file(self.engine, self.path) as connection:
            connection.info["write"] = True
            with Session(bind=connection, expire_on_commit=False) as session:
                # bumped first, so that what is read for the catalog in the same
                # transaction carries the revision the file will have
                info = session.scalars(select(CaseInfo)).one_or_none()
                if info is not None:
                    info.revision += 1
                recorder = (
                    ChangeRecorder(session, team, advisor)
                    if team is not None and info is not None and is_shared(session)
                    else None
                )
                yield session
                if recorder is not None and info is not None:
                    session.info["team_changes"] = recorder.finish(info.id)
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

    @contextmanager
    def bookkeeping(self) -> Iterator[Session]:
        """A write of the file's own bookkeeping (the team's changes once sent): no revision
        and no history line, since nothing the advisor reads changes."""
        with disk_errors_told(self.path), connect_file(self.engine, self.path) as connection:
            connection.info["write"] = True
            with Session(bind=connection) as session:
                yield session
                session.commit()

    def close(self) -> None:
        """Nothing to release: each session closed its own connection; the engine is shared."""


def create_case_file(path: Path, *, key: WorkspaceKey, synchronous: str = "NORMAL") -> CaseFile:
    """Write an empty case file at `path` (which must not exist) and open it (a full disk
    or a read-only folder raises its StorageError; the caller removes what was begun)."""
    with disk_errors_told(path, own_files=True):
        try:
            return _create_case_file(path, key=key, synchronous=synchronous)
        except OSError:
            if path.exists() and path.stat().st_size < len(empty_case_file_bytes(key)):
                path.unlink()  # begun here, and half written: it holds nothing
            raise


def _create_case_file(path: Path, *, key: WorkspaceKey, synchronous: str) -> CaseFile:
    owner_only_folder(path.parent)
    template = empty_case_file_bytes(key)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY), "wb") as handle:
        handle.write(template)  # its owner's only, as its -wal and -shm will be
    return CaseFile(path, key.case_engine(synchronous=synchronous))


def open_case_file(path: Path, key: WorkspaceKey, backup_dir: Path | None = None) -> CaseFile:
    """Open an existing case file, migrating an older one; refuse what is not ours."""
    check_case_file(path, key, backup_dir)
    return CaseFile(path, key.case_engine())


def check_case_file(path: Path, key: WorkspaceKey, backup_dir: Path | None = None) -> None:
    """Refuse what is not a readable case file of a version we read; migrate an older one
    forward (after a copy into `backup_dir`) when `backup_dir` is given, else leave it.

    A key problem (a locked workspace, one re-keyed by another window) raises the key's
    error, and a full disk, a read-only folder or an I/O error its StorageError, never
    DamagedCaseFileError: only the file itself can be damaged."""
    key.check()
    if not path.exists():
        raise CaseFileError(N_("The case file {name} does not exist."), name=path.name)
    try:
        plain = looks_like_sqlite(path)
        encrypted = key.encrypted
    except OSError as error:
        problem = disk_problem(error, path)
        if problem is not None:
            raise problem from error
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
        connection = raw_connect(path, key=key)
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
                _migrate(connection, path, version, backup_dir, key)
        finally:
            connection.close()
    except _FILE_ERRORS as error:
        key.check()  # forgotten meanwhile: a key problem, not damage
        problem = disk_problem(error, path)
        if problem is not None:
            raise problem from error
        if is_damage(error):  # the header cannot be read
            raise DamagedCaseFileError(
                N_("The case file {name} is damaged ({reason})."),
                N_("Restore it from a backup."),
                name=path.name,
                reason=str(error),
            ) from error
        raise CaseFileError(
            N_("The case file {name} cannot be opened now ({reason})."),
            N_("Try again in a moment; the file was left as it is."),
            name=path.name,
            reason=str(error),
        ) from error


def _migrate(
    connection: sqlite3.Connection, path: Path, version: int, backup_dir: Path, key: WorkspaceKey
) -> None:
    if version < 1 or any(step not in MIGRATIONS for step in range(version, SCHEMA_VERSION)):
        raise CaseFileError(
            N_("The case file {name} has an unknown format ({version})."),
            name=path.name,
            version=version,
        )
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    # another window's copy of the same second is kept
    copy = unused_path(backup_dir, f"{path.stem}.v{version}.{stamp}", CASE_SUFFIX)
    online_backup(path, copy, key=key)
    connection.execute("BEGIN EXCLUSIVE")
    try:
        # another window may have upgraded the file since its version was read
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](connection)
            connection.execute(f"PRAGMA user_version = {step + 1}")
        connection.execute("COMMIT")
    except Exception:
        connection.execute("ROLLBACK")
        raise


@contextmanager
def reading_as_is(path: Path, key: WorkspaceKey) -> Iterator[Session]:
    """Read a case file without changing a byte of the workspace: a file of an older format
    is not upgraded (that is for a write) but read from a copy upgraded in a private
    temporary folder, removed afterwards. Refused, with its sentence, like `open_case_file`
    (a file holding another case included)."""
    check_case_file(path, key)  # says what is wrong; upgrades nothing
    with tempfile.TemporaryDirectory(prefix="boussole-read-") as folder:
        copy = Path(folder) / path.name
        online_backup(path, copy, key=key)
        check_case_file(copy, key, Path(folder) / "before")
        with CaseFile(copy, key.case_engine()).read() as session:
            own = session.scalars(select(CaseInfo.id)).one_or_none()
            if own != path.name[: -len(CASE_SUFFIX)]:
                raise DamagedCaseFileError(
                    N_("The case file {name} holds another case ({other})."),
                    N_("Move it out of the cases folder, or restore it from a backup."),
                    name=path.name,
                    other=str(own),
                )
            yield session


def quick_check(path: Path, key: WorkspaceKey) -> CaseFileError | None:
    """None when the file is a sound case file, else what is wrong with it: a
    DamagedCaseFileError only when its header is unreadable or its integrity check fails. A
    key problem, a full disk, a read-only folder or an I/O error is raised: it says nothing
    about the file."""
    try:
        check_case_file(path, key)
        connection = raw_connect(path, key=key)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
            rows = connection.execute("SELECT count(*) FROM case_info").fetchone()[0]
        finally:
            connection.close()
    except CaseFileError as error:
        return error
    except _FILE_ERRORS as error:
        key.check()
        problem = disk_problem(error, path)
        if problem is not None:
            raise problem from error
        if sqlite_code(error) in (SQLITE_BUSY, SQLITE_LOCKED):
            return CaseFileError(
                N_("The case file {name} cannot be opened now ({reason})."),
                N_("Try again in a moment; the file was left as it is."),
                name=path.name,
                reason=str(error),
            )
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


@dataclass(frozen=True)
class SavedState:
    """How far a case file went: its revision and the time of its last save."""

    revision: int
    updated_at: datetime


def saved_state(path: Path, key: WorkspaceKey) -> SavedState | None:
    """The last save a sound case file holds (a quarantined one, a backup's copy), or None
    when it is damaged or cannot be read as a case file now. A key problem, a full disk or a
    read-only folder is raised."""
    if quick_check(path, key) is not None:
        return None
    connection = raw_connect(path, key=key)
    try:
        revision, updated_at = connection.execute(
            "SELECT revision, updated_at FROM case_info"
        ).fetchone()
    finally:
        connection.close()
    return SavedState(int(revision), datetime.fromisoformat(str(updated_at)))
