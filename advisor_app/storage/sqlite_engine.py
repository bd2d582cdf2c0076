"""SQLAlchemy engines on SQLite files with our pragmas and real transactions.

pysqlite's own transaction handling is switched off so that BEGIN is ours: deferred for
reads, IMMEDIATE for writes (set `connection.info["write"] = True` before the first
statement), as in SQLAlchemy's "serializable isolation / savepoints" recipe.

Encrypted workspaces (SQLCipher): a workspace opened with its passphrase registers the
derived key for its folder with `set_folder_key`; every engine and raw connection made
here for a file inside that folder is then keyed (`PRAGMA key` first), without the callers
having to carry the key. Without a registered key the files are plain SQLite.
"""

from __future__ import annotations

import sqlite3
from contextvars import ContextVar
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool, QueuePool

BUSY_TIMEOUT_MS = 10_000

try:  # SQLCipher is only needed for encrypted workspaces
    import sqlcipher3.dbapi2 as sqlcipher

    DATABASE_ERRORS: tuple[type[Exception], ...] = (
        sqlite3.DatabaseError,
        sqlcipher.DatabaseError,
    )
except ImportError:  # pragma: no cover - the dependency is declared
    sqlcipher = None
    DATABASE_ERRORS = (sqlite3.DatabaseError,)


class _FromFolder:
    """The default `key`: look the key up from the folder the file is in."""


FROM_FOLDER: Any = _FromFolder()
_folder_keys: dict[Path, str] = {}


def set_folder_key(folder: Path, key: str | None) -> None:
    """Key every SQLite file under `folder` with `key` (a SQLCipher raw key), or forget it."""
    folder = folder.absolute()
    if key is None:
        forgotten = _folder_keys.pop(folder, None)
        for settings in [k for k in _shared_engines if forgotten and k[1] == forgotten]:
            _shared_engines.pop(settings).dispose()
    else:
        _folder_keys[folder] = key


def key_for(path: Path) -> str | None:
    if not _folder_keys:
        return None
    absolute = path.absolute()
    for folder in absolute.parents:
        key = _folder_keys.get(folder)
        if key is not None:
            return key
    return None


def _resolve(path: Path, key: Any) -> str | None:
    return key_for(path) if key is FROM_FOLDER else cast("str | None", key)


def sqlite_engine(
    path: Path, *, synchronous: str = "NORMAL", key: Any = FROM_FOLDER, pooled: bool = False
) -> Engine:
    """An engine on one file; `pooled` keeps connections open between transactions (for the
    catalog: closing the last connection of a WAL database checkpoints it every time)."""
    key = _resolve(path, key)
    pool: dict[str, Any] = (
        {"poolclass": QueuePool, "pool_size": 2, "max_overflow": 4, "pool_pre_ping": False}
        if pooled
        else {"poolclass": NullPool}
    )
    if key is None:
        engine = create_engine(
            f"sqlite:///{path}", connect_args={"check_same_thread": False}, **pool
        )
    else:
        # The pysqlcipher dialect sends `PRAGMA key="<password>"` first on every connection;
        # a raw key (x'…') spares SQLCipher its key derivation at each connection.
        engine = create_engine(
            URL.create("sqlite+pysqlcipher", password=key, database=str(path)),
            connect_args={"check_same_thread": False},
            **pool,
        )
    _configure(engine, synchronous)
    return engine


_file_to_open: ContextVar[Path | None] = ContextVar("sqlite_file_to_open", default=None)
_shared_engines: dict[tuple[str, str | None], Engine] = {}


def shared_engine(path: Path, *, synchronous: str = "NORMAL", key: Any = FROM_FOLDER) -> Engine:
    """One engine for all the case files with the same settings; `connect_file` chooses the
    file at each connection. Sharing it shares SQLAlchemy's compiled-statement cache: with
    an engine per file, every query of every case file would be compiled again (a third of
    the time of an index rebuild)."""
    key = _resolve(path, key)
    engine = _shared_engines.get((synchronous, key))
    if engine is None:
        if key is None:
            engine = create_engine("sqlite://", creator=_open_chosen_plain, poolclass=NullPool)
        else:
            engine = create_engine(
                URL.create("sqlite+pysqlcipher", password=key),
                creator=_open_chosen_keyed,
                poolclass=NullPool,
            )
        _configure(engine, synchronous)
        _shared_engines[(synchronous, key)] = engine
    return engine


def connect_file(engine: Engine, path: Path) -> Connection:
    """A connection of a shared engine to the file at `path`."""
    token = _file_to_open.set(path)
    try:
        return engine.connect()
    finally:
        _file_to_open.reset(token)


def _chosen_file() -> str:
    path = _file_to_open.get()
    if path is None:
        raise RuntimeError("a shared engine connects through connect_file()")
    return str(path)


def _open_chosen_plain() -> sqlite3.Connection:
    return sqlite3.connect(_chosen_file(), timeout=BUSY_TIMEOUT_MS / 1000)


def _open_chosen_keyed() -> sqlite3.Connection:
    if sqlcipher is None:  # pragma: no cover
        raise RuntimeError("sqlcipher3 is not installed")
    return cast(
        sqlite3.Connection, sqlcipher.connect(_chosen_file(), timeout=BUSY_TIMEOUT_MS / 1000)
    )


def _configure(engine: Engine, synchronous: str) -> None:

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA synchronous = {synchronous}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.info.get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def raw_connect(path: Path, *, key: Any = FROM_FOLDER) -> sqlite3.Connection:
    """A plain sqlite3 connection in autocommit mode, for pragmas, checks and backups.

    For a file of an encrypted workspace, a SQLCipher connection with the same interface.
    """
    key = _resolve(path, key)
    if key is None:
        connection = sqlite3.connect(
            str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
        )
    else:
        connection = keyed_connect(path, key)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def keyed_connect(path: Path, key: str) -> sqlite3.Connection:
    """A SQLCipher connection keyed with `key` ("" opens a plain file through SQLCipher)."""
    if sqlcipher is None:  # pragma: no cover
        raise RuntimeError("sqlcipher3 is not installed")
    connection = sqlcipher.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute("PRAGMA cipher_log_level = NONE")
    if key:
        connection.execute(f'PRAGMA key = "{key}"')
    return cast(sqlite3.Connection, connection)


SQLITE_MAGIC = b"SQLite format 3\x00"


def looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == SQLITE_MAGIC


def online_backup(source: Path, target: Path, *, key: Any = FROM_FOLDER) -> None:
    """Copy a database with SQLite's backup API (safe while it is in use).

    Both files share the key of `source`'s folder (or `key`); SQLCipher's backup works
    between two databases keyed alike.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    src = raw_connect(source, key=key)
    dst = raw_connect(target, key=key if key is not FROM_FOLDER else key_for(source))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
