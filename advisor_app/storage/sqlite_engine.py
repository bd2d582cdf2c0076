"""SQLAlchemy engines on SQLite files with our pragmas and real transactions, and the key of
an open workspace.

pysqlite's own transaction handling is switched off so that BEGIN is ours: deferred for
reads, IMMEDIATE for writes (set `connection.info["write"] = True` before the first
statement), as in SQLAlchemy's "serializable isolation / savepoints" recipe.

Encrypted workspaces (SQLCipher): the open workspace owns a `WorkspaceKey` and hands it to
whatever opens one of its files. Every engine is made by its key (`WorkspaceKey.engine`,
`WorkspaceKey.case_engine`) and connects through it: no URL holds the key, and there is no
registry of keys in this module. Locking (`WorkspaceKey.forget`) disposes every engine the
key made and drops it; opening a file afterwards raises `WorkspaceLockedError`, which is
not damage.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.storage.owner_only import new_owner_only_file, owner_only_folder

if TYPE_CHECKING:  # SQLAlchemy is imported when the first engine is made, not before:
    # a command that only reads the catalog (plain SQL) starts without it
    from sqlalchemy import Connection, Engine

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


class KeyUnavailableError(AdvisorError):
    """The workspace's files cannot be opened with the key this window holds: a key problem,
    never damage (nothing is quarantined for it)."""


class WorkspaceLockedError(KeyUnavailableError):
    """The workspace was locked: its key was forgotten until the passphrase is typed again."""


class WorkspaceChangedError(KeyUnavailableError):
    """Another window or command gave the workspace another key since it was opened here."""


def _locked_error() -> WorkspaceLockedError:
    return WorkspaceLockedError(
        N_("The workspace is locked."),
        N_("Type its passphrase to unlock it, then try again."),
    )


def _changed_error() -> WorkspaceChangedError:
    return WorkspaceChangedError(
        N_(
            "The workspace was re-encrypted by another window or command since it was "
            "opened here; nothing was read or written."
        ),
        N_(
            "Give its new passphrase to carry on: the window asks for it, the command line "
            "takes it with --passphrase-file."
        ),
    )


_OPEN, _LOCKED, _CHANGED = "open", "locked", "changed"


class WorkspaceKey:
    """The SQLCipher key of one open workspace (none for a plain one), and the engines made
    with it.

    The workspace owns it and hands it to what opens its files. `forget()` (locking)
    disposes every engine made with it and drops the key: opening a file afterwards raises
    `WorkspaceLockedError` until `remember()`. `verifier` identifies the key (the hash kept
    in encryption.json), so that a window can tell that another re-keyed the workspace.
    """

    def __init__(self, text: str | None, verifier: str | None = None) -> None:
        self._text = text
        self.verifier = verifier
        self.encrypted = text is not None
        self._state = _OPEN
        self._guard = threading.RLock()
        self._engines: weakref.WeakSet[Engine] = weakref.WeakSet()
        self._case_engines: dict[str, Engine] = {}
        # what closes the plain connections made with the key (Catalog.plain_read's)
        self._on_dispose: list[weakref.WeakMethod[Callable[[], None]]] = []
        # bytes built once per key (the empty case file, encrypted with the key)
        self.templates: dict[str, bytes] = {}

    @classmethod
    def plain(cls) -> WorkspaceKey:
        return cls(None)

    # -- the key itself ---------------------------------------------------------------

    @property
    def locked(self) -> bool:
        return self._state == _LOCKED

    @property
    def changed(self) -> bool:
        return self._state == _CHANGED

    def check(self) -> None:
        """Raise the key problem, if any: locked, or changed by another window."""
        if self._state == _LOCKED:
            raise _locked_error()
        if self._state == _CHANGED:
            raise _changed_error()

    def text(self) -> str | None:
        """The SQLCipher raw key (`x'…'`), None for a plain workspace."""
        self.check()
        return self._text

    def forget(self) -> None:
        """Lock: dispose every engine made with the key, then drop the key. A plain
        workspace has nothing to lock."""
        if not self.encrypted:
            return
        with self._guard:
            self._state = _LOCKED
            self._text = None
            self.dispose_engines()

    def mark_changed(self) -> None:
        """Another window re-keyed the workspace: this key opens nothing any more."""
        with self._guard:
            self._state = _CHANGED
            self._text = None
            self.dispose_engines()

    def remember(self, text: str | None, verifier: str | None) -> None:
        """Unlock (after a passphrase was checked), or take the key a re-keying gave."""
        with self._guard:
            self.dispose_engines()
            self._text = text
            self.verifier = verifier
            self.encrypted = text is not None
            self._state = _OPEN

    def dispose_engines(self) -> None:
        """Close every connection made with this key (pooled ones included); the engines
        connect again, through the key, when next used."""
        with self._guard:
            for engine in list(self._engines):
                engine.dispose()
            self._case_engines.clear()
            self.templates.clear()
            for hook in list(self._on_dispose):
                close = hook()
                if close is None:
                    self._on_dispose.remove(hook)
                else:
                    close()

    def on_dispose(self, close: Callable[[], None]) -> None:
        """Have `close` (a bound method: its object may go away) called whenever the key's
        engines are disposed: for connections made with the key outside an engine."""
        with self._guard:
            self._on_dispose.append(weakref.WeakMethod(close))  # type: ignore[arg-type]

    # -- connections --------------------------------------------------------------------

    def connect(self, path: Path) -> sqlite3.Connection:
        """A new DB-API connection to `path`: SQLCipher keyed with this key, or plain SQLite."""
        return self._connect(path, keyed=self.encrypted)

    def _connect(self, path: Path, *, keyed: bool) -> sqlite3.Connection:
        text = self.text()
        if keyed:  # an engine made keyed stays SQLCipher (a decrypted file opens keyless)
            return keyed_connect(path, text or "")
        if text is not None:  # an engine made plain cannot open encrypted files
            raise _changed_error()
        return sqlite3.connect(
            str(path),
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
        )

    def engine(self, path: Path, *, synchronous: str = "NORMAL", pooled: bool = False) -> Engine:
        """An engine on one file; `pooled` keeps connections open between transactions (for
        the catalog: closing the last connection of a WAL database checkpoints it every
        time)."""
        from sqlalchemy.pool import NullPool, QueuePool

        pool: dict[str, Any] = (
            {"poolclass": QueuePool, "pool_size": 2, "max_overflow": 4, "pool_pre_ping": False}
            if pooled
            else {"poolclass": NullPool}
        )
        keyed = self.encrypted
        return self._made(lambda: self._connect(path, keyed=keyed), keyed, synchronous, pool)

    def case_engine(self, *, synchronous: str = "NORMAL") -> Engine:
        """One engine for all the case files of the workspace with the same settings;
        `connect_file` chooses the file at each connection. Sharing it shares SQLAlchemy's
        compiled-statement cache: with an engine per file, every query of every case file
        would be compiled again (a third of the time of an index rebuild)."""
        with self._guard:
            engine = self._case_engines.get(synchronous)
            if engine is None:
                from sqlalchemy.pool import NullPool

                keyed = self.encrypted
                engine = self._made(
                    lambda: self._connect(_chosen_file(), keyed=keyed),
                    keyed,
                    synchronous,
                    {"poolclass": NullPool},
                )
                self._case_engines[synchronous] = engine
            return engine

    def _made(
        self,
        creator: Callable[[], sqlite3.Connection],
        keyed: bool,
        synchronous: str,
        pool: dict[str, Any],
    ) -> Engine:
        # The URL names no file and no key: the creator connects through this key at each
        # connection, so that a forgotten key opens nothing. SQLCipher's module makes
        # SQLAlchemy recognise SQLCipher's own errors.
        from sqlalchemy import create_engine

        module = {"module": sqlcipher} if keyed else {}
        engine = create_engine("sqlite://", creator=creator, **module, **pool)
        _configure(engine, synchronous)
        with self._guard:
            self._engines.add(engine)
        return engine


_file_to_open: ContextVar[Path | None] = ContextVar("sqlite_file_to_open", default=None)


def connect_file(engine: Engine, path: Path) -> Connection:
    """A connection of a case engine (`WorkspaceKey.case_engine`) to the file at `path`."""
    token = _file_to_open.set(path)
    try:
        return engine.connect()
    finally:
        _file_to_open.reset(token)


def _chosen_file() -> Path:
    path = _file_to_open.get()
    if path is None:
        raise RuntimeError("a case engine connects through connect_file()")
    return path


def _configure(engine: Engine, synchronous: str) -> None:
    from sqlalchemy import event

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


def raw_connect(path: Path, *, key: WorkspaceKey | None) -> sqlite3.Connection:
    """A plain sqlite3 connection in autocommit mode, for pragmas, checks and backups.

    For a file of an encrypted workspace (`key` its WorkspaceKey), a SQLCipher connection
    with the same interface; `key=None` for a file known to be plain.
    """
    if key is None:
        connection = sqlite3.connect(
            str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000
        )
    else:
        connection = key.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def keyed_connect(path: Path, key: str) -> sqlite3.Connection:
    """A SQLCipher connection keyed with `key` ("" opens a plain file through SQLCipher)."""
    if sqlcipher is None:  # pragma: no cover
        raise RuntimeError("sqlcipher3 is not installed")
    connection = sqlcipher.connect(
        str(path),
        isolation_level=None,
        timeout=BUSY_TIMEOUT_MS / 1000,
        check_same_thread=False,
    )
    connection.execute("PRAGMA cipher_log_level = NONE")
    if key:
        connection.execute(f'PRAGMA key = "{key}"')
    return cast(sqlite3.Connection, connection)


SQLITE_MAGIC = b"SQLite format 3\x00"


def looks_like_sqlite(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(16) == SQLITE_MAGIC


def online_backup(source: Path, target: Path, *, key: WorkspaceKey | None) -> None:
    """Copy a database with SQLite's backup API (safe while it is in use).

    Both files are keyed with `key`; SQLCipher's backup works between two databases keyed
    alike.
    """
    owner_only_folder(target.parent)
    new_owner_only_file(target)  # a copy of personal data: its owner's only
    src = raw_connect(source, key=key)
    try:
        dst = raw_connect(target, key=key)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
