"""Case files written and read in bulk (a spreadsheet import of thousands of people), with
plain DB-API statements rather than a session per file.

Each file is made as `Workspace.creating` makes one: the empty template's bytes under
`cases/.<id>.case.new`, one transaction that writes the rows, a first revision and its
history line, reads what the catalog keeps, then the file put in place with `os.replace`.
Values are converted by the column types' own SQLAlchemy processors, so the files hold
exactly what the ORM would have written. The caller indexes the returned data together
(`Workspace.index_many`) and calls `settle` once per batch: the files are written with
`synchronous = OFF`, then put on disk together, before the catalog names them.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.dialects import sqlite

from advisor_app.storage.case_models import CaseBase, CaseInfo, HistoryEntry
from advisor_app.storage.casefile import (
    APPLICATION_ID,
    CASE_SUFFIX,
    SCHEMA_VERSION,
    disk_errors_told,
    empty_case_file_bytes,
)
from advisor_app.storage.indexer import IndexData, read_index_rows
from advisor_app.storage.owner_only import OWNER_ONLY, fsync_file, fsync_folder
from advisor_app.storage.sqlite_engine import DATABASE_ERRORS, WorkspaceKey, raw_connect

_DIALECT = sqlite.dialect()

Rows = Mapping[type[CaseBase], Sequence[Mapping[str, Any]]]


class _Insert:
    """An INSERT of every column of a table but an autoincremented id, values converted."""

    def __init__(self, model: type[CaseBase]) -> None:
        table = model.__table__
        columns = [c for c in table.columns if not (c.primary_key and c.autoincrement is True)]
        self.names = [c.name for c in columns]
        self.defaults: dict[str, Any] = {
            c.name: c.default.arg  # type: ignore[attr-defined]
            for c in columns
            if c.default is not None and not c.default.is_callable
        }
        self.callables: dict[str, Callable[[], Any]] = {
            c.name: _no_context(c.default.arg)  # type: ignore[attr-defined]
            for c in columns
            if c.default is not None and c.default.is_callable
        }
        self.processors: list[Callable[[Any], Any] | None] = [
            c.type.dialect_impl(_DIALECT).bind_processor(_DIALECT) for c in columns
        ]
        placeholders = ", ".join("?" for _name in self.names)
        self.sql = (
            f"INSERT INTO {model.__tablename__} ({', '.join(self.names)}) VALUES ({placeholders})"
        )

    def values(self, row: Mapping[str, Any]) -> tuple[Any, ...]:
        found = []
        for name, process in zip(self.names, self.processors, strict=True):
            if name in row:
                value = row[name]
            elif name in self.callables:
                value = self.callables[name]()
            else:
                value = self.defaults.get(name)
            found.append(process(value) if process is not None and value is not None else value)
        return tuple(found)


def _no_context(function: Callable[..., Any]) -> Callable[[], Any]:
    """A column default SQLAlchemy calls with its execution context (here: none)."""
    return lambda: function(None)


@cache
def _insert(model: type[CaseBase]) -> _Insert:
    return _Insert(model)


def write_new_case_file(
    cases_dir: Path,
    key: WorkspaceKey,
    case_id: str,
    rows: Rows,
    *,
    action: str,
    advisor: str,
    at: datetime,
) -> IndexData:
    """Write the new case file of `case_id` holding `rows` (its `case_info` row among them,
    written at revision 1), with a history line; return what the catalog keeps of it. The
    file must not exist; on any failure nothing is left of it."""
    final = cases_dir / f"{case_id}{CASE_SUFFIX}"
    temporary = cases_dir / f".{case_id}{CASE_SUFFIX}.new"
    at = at.replace(microsecond=0)
    try:
        with disk_errors_told(temporary, own_files=True):
            if final.exists():
                raise FileExistsError(final)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(empty_case_file_bytes(key))
            connection = raw_connect(temporary, key=key)
            try:
                connection.execute("PRAGMA synchronous = OFF")
                connection.execute("BEGIN IMMEDIATE")
                for model, items in rows.items():
                    if model is CaseInfo:
                        items = [{**item, "revision": 1, "updated_at": at} for item in items]
                    if items:
                        insert = _insert(model)
                        connection.executemany(insert.sql, [insert.values(i) for i in items])
                history = _insert(HistoryEntry)
                connection.execute(
                    history.sql,
                    history.values(
                        {
                            "at": at,
                            "revision": 1,
                            "action": action,
                            "detail": "",
                            "advisor": advisor,
                        }
                    ),
                )
                data = read_index_rows(connection)
                connection.execute("COMMIT")
            finally:
                connection.close()
            os.replace(temporary, final)
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)
        raise
    return data


def settle(paths: Sequence[Path]) -> None:
    """Put on disk the case files just written (without syncing) and their names: the
    whole disk synced once where the system can, else file by file."""
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()
    else:  # pragma: no cover - Windows
        for path in paths:
            fsync_file(path)
    for folder in {path.parent for path in paths}:
        fsync_folder(folder)


# -- reading many case files ----------------------------------------------------------------


class Query:
    """A SELECT of some columns of a case-file table, values converted as the ORM does."""

    def __init__(self, model: type[CaseBase], columns: str, where: str = "") -> None:
        table = model.__table__
        self.names = columns.split()
        self.sql = f"SELECT {', '.join(self.names)} FROM {model.__tablename__} {where}".strip()
        self.processors = [
            table.columns[name].type.dialect_impl(_DIALECT).result_processor(_DIALECT, None)
            for name in self.names
        ]

    def rows(self, connection: sqlite3.Connection) -> list[dict[str, Any]]:
        found = []
        for raw in connection.execute(self.sql).fetchall():
            found.append(
                {
                    name: process(value) if process is not None else value
                    for name, process, value in zip(self.names, self.processors, raw, strict=True)
                }
            )
        return found


def read_sound_rows(
    path: Path, key: WorkspaceKey, case_id: str, queries: Sequence[Query]
) -> list[list[dict[str, Any]]] | None:
    """The rows of `queries` in the case file of `case_id`, read in one snapshot with one
    connection when the file is of the current format and holds that case; None for
    anything else, which the caller then reads the careful way (`Workspace.reading`), to
    migrate it or say what is wrong with it. A key problem is raised."""
    key.check()
    try:
        connection = raw_connect(path, key=key)
    except OSError:
        return None
    except DATABASE_ERRORS:
        return None
    try:
        found = connection.execute(
            "SELECT * FROM pragma_application_id(), pragma_user_version()"
        ).fetchone()
        if tuple(found) != (APPLICATION_ID, SCHEMA_VERSION):
            return None
        connection.execute("BEGIN")
        own = connection.execute("SELECT id FROM case_info").fetchall()
        if own != [(case_id,)]:
            connection.execute("COMMIT")
            return None
        rows = [query.rows(connection) for query in queries]
        connection.execute("COMMIT")
        return rows
    except Exception:  # the careful way tells what it was
        return None
    finally:
        connection.close()
