"""The workspace catalog, in two files: opened, created, upgraded, or replaced when damaged.

- `workspace.sqlite`, the index: what the case files give again (list, agenda, milestones,
  funding, full text). Missing or damaged, it is made anew and refilled; of another version,
  its tables are dropped and refilled.
- `workspace-state.sqlite`, the state: what nothing else holds (partners, outbox queue and
  journal of sends, settings, the workspace's audit log). Of an older version it is migrated
  (storage/catalog_migrations.py), never dropped; missing or damaged, an empty one is made
  so that work goes on, and the loss is recorded in it for `check` to say, with the backup
  to restore it from.

Every catalog connection opens the index and attaches the state as the schema `state`, so
one session reads and writes both (the state's tables name their schema). Its engine is made
by the workspace's key (a locked workspace's catalog opens nothing), and every session holds
the workspace's lock shared, so that no session runs while another process rewrites the
files; creating, upgrading or moving a file aside holds the lock alone.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.storage import catalog_migrations
from advisor_app.storage.disk import disk_problem
from advisor_app.storage.layout import (
    CATALOG_APPLICATION_ID,
    DERIVED_TABLES,
    DIGEST_KEY_NAME,
    INDEX_VERSION,
    LAST_SINGLE_FILE_VERSION,
    STATE_APPLICATION_ID,
    STATE_NAME,
    STATE_SCHEMA,
)
from advisor_app.storage.layout import CATALOG_NAME as CATALOG_NAME
from advisor_app.storage.sqlite_engine import (
    BUSY_TIMEOUT_MS,
    DATABASE_ERRORS,
    WorkspaceKey,
    looks_like_sqlite,
    raw_connect,
)
from advisor_app.storage.workspace_lock import UPGRADE, WorkspaceLock

if TYPE_CHECKING:  # the models and SQLAlchemy are imported by the first session, not before
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

# The oldest index brought to the current version in place: version 5 lacks `month_minutes`,
# which its agenda gives in one statement, and an index (a fraction of a second at 10,000
# cases, rather than reading every case file); versions 5 and 6 lack `case_index.shared`, read
# again from every case file by the reconcile (see `_add_shared`).
MONTH_MINUTES_FROM = 5
UPGRADED_IN_PLACE_FROM = MONTH_MINUTES_FROM
# The tables of the state while it lived in workspace.sqlite (catalog versions 1 to 4).
LEGACY_STATE_TABLES = ("setting", "audit_log", "partner", "outbox", "send_journal")


@dataclass(frozen=True)
class Found:
    """What `_inspect` found: missing, ok, older, newer, damaged, or plain (not encrypted
    in an encrypted workspace); the file's version and its tables."""

    kind: str
    version: int = 0
    tables: frozenset[str] = frozenset()

    @property
    def holds_state(self) -> bool:
        """A catalog of version 4 or older, which held the state beside the index."""
        return (
            self.kind == "older"
            and self.version <= LAST_SINGLE_FILE_VERSION
            and "setting" in self.tables
        )


class Catalog:
    """The catalog's two files, and the engine whose sessions see both."""

    def __init__(self, path: Path, key: WorkspaceKey, lock: WorkspaceLock) -> None:
        self.path = path
        self.state_path = path.with_name(STATE_NAME)
        self.key = key
        self.lock = lock
        self.created = False
        self.moved_aside: Path | None = None
        with lock.shared():
            index, state = self._inspect_both()
        if index.kind != "ok" or state.kind != "ok":
            # again, alone: another process may be doing it at the same moment
            with lock.exclusive(UPGRADE):
                self._prepare(*self._inspect_both())
        self._plain: dict[int, sqlite3.Connection] = {}  # plain_read's, one per thread
        self._plain_guard = threading.Lock()
        self._plain_uses: dict[int, int] = {}  # id of a connection in use → reads under way
        self._retired: dict[int, sqlite3.Connection] = {}  # closed when their read ends
        key.on_dispose(self._close_plain)

    @cached_property
    def engine(self) -> Engine:
        """The engine of the sessions, made (and SQLAlchemy imported) when first used."""
        from sqlalchemy import event

        # Pooled: the catalog is used all the time, and closing the last connection to a WAL
        # database checkpoints it, which made every small transaction pay a checkpoint.
        engine = self.key.engine(self.path, pooled=True)
        event.listen(engine, "connect", self._attach_state)
        return engine

    def _inspect_both(self) -> tuple[Found, Found]:
        index = _inspect(self.path, self.key, CATALOG_APPLICATION_ID, INDEX_VERSION)
        state = _inspect(
            self.state_path, self.key, STATE_APPLICATION_ID, catalog_migrations.CATALOG_VERSION
        )
        return index, state

    def _attach_state(self, dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        if not self.state_path.exists():  # deleted while the workspace was open
            raise AdvisorError(
                N_("The file {name} of the workspace disappeared while it was open."),
                N_(
                    "Close the workspace and open it again; the command check then says "
                    "what was lost and which backup holds it."
                ),
                name=self.state_path.name,
            )
        cursor = dbapi_connection.cursor()
        try:
            text = self.key.text()
            if text is None:
                cursor.execute(f"ATTACH DATABASE ? AS {STATE_SCHEMA}", (str(self.state_path),))
            else:
                cursor.execute(
                    f"ATTACH DATABASE ? AS {STATE_SCHEMA} KEY ?", (str(self.state_path), text)
                )
            # what nothing else holds is written to disk before a save is acknowledged
            cursor.execute(f"PRAGMA {STATE_SCHEMA}.synchronous = FULL")
        finally:
            cursor.close()

    def _prepare(self, index: Found, state: Found) -> None:
        for found, path in ((index, self.path), (state, self.state_path)):
            if found.kind == "plain":
                raise AdvisorError(
                    N_(
                        "The catalog file {name} of the workspace {path} is not encrypted, "
                        "unlike the workspace."
                    ),
                    N_("Nothing was changed; restore the workspace from a copy."),
                    name=path.name,
                    path=str(path.parent),
                )
            if found.kind == "newer":
                raise AdvisorError(
                    N_(
                        "The workspace {path} was written by a newer version of Boussole "
                        "and cannot be opened by this one."
                    ),
                    N_("Update Boussole; nothing was changed."),
                    path=str(path.parent),
                )
        migrations = self.path.parent / "backups" / "migrations"
        if index.holds_state:  # version 4 or older: the state moves into its own file
            if state.kind != "missing":  # left by a split that was cut short: made again
                _move_to(self.state_path, migrations, "workspace-state.replaced")
            catalog_migrations.split_legacy(
                self.path, self.state_path, index.version, self.key, migrations
            )
            _renew_index(self.path, self.key, drop_state=True)
            return
        had_past = index.kind != "missing" or _has_past(self.path.parent)
        # the state first: an upgrade that fails leaves the index as an older Boussole reads it
        if state.kind == "older":
            catalog_migrations.migrate_state(self.state_path, state.version, self.key, migrations)
        elif state.kind in ("missing", "damaged"):
            set_aside = _move_aside(self.state_path) if state.kind == "damaged" else None
            # the imports' records are gone with the state: so is the key of their digests
            (self.path.parent / DIGEST_KEY_NAME).unlink(missing_ok=True)
            catalog_migrations.create_state(self.state_path, self.key)
            if set_aside is not None or had_past:
                _record_loss(self.state_path, self.key, state.kind, set_aside)
        if index.kind == "damaged":
            self.moved_aside = _move_aside(self.path)
        if index.kind in ("missing", "damaged"):
            self.created = True
            _create_index(self.path, self.key)
        elif index.kind == "older" and index.version >= UPGRADED_IN_PLACE_FROM:
            _upgrade_index(self.path, self.key, index.version)
        elif index.kind == "older":
            _renew_index(self.path, self.key)

    @contextmanager
    def read(self) -> Iterator[Session]:
        from sqlalchemy.orm import Session

        with self.lock.shared(), self.engine.connect() as connection:
            connection.info["write"] = False  # a pooled connection may have written before
            with Session(bind=connection) as session:
                yield session

    @contextmanager
    def plain_read(self) -> Iterator[sqlite3.Connection]:
        """A read transaction on a plain DB-API connection (the index, with the state
        attached as `state`): for the reads that need no model and no SQLAlchemy (the
        holders list, reconciling, the command line's reads). One connection per thread,
        kept open as the engine's are, closed with them."""
        with self.lock.shared():
            connection = self._take_plain()
            try:
                if connection.in_transaction:  # a read inside a read of the same thread
                    yield connection
                    return
                connection.execute("BEGIN")
                try:
                    yield connection
                finally:
                    connection.execute("ROLLBACK")
            finally:
                self._give_back(connection)

    def setting(self, key: str) -> str | None:
        """The stored text of the setting `key` (JSON for the services' settings), None when
        it was never set."""
        with self.plain_read() as connection:
            row = connection.execute(
                f"SELECT value FROM {STATE_SCHEMA}.setting WHERE key = ?", (key,)
            ).fetchone()
        return None if row is None else str(row[0])

    def settings(self) -> dict[str, str]:
        """Every stored setting's text, by key."""
        with self.plain_read() as connection:
            rows = connection.execute(f"SELECT key, value FROM {STATE_SCHEMA}.setting")
            return {str(key): str(value) for key, value in rows}

    def _take_plain(self) -> sqlite3.Connection:
        thread = threading.get_ident()
        with self._plain_guard:
            connection = self._plain.get(thread)
            if connection is None:
                connection = self.key.connect(self.path)
                try:
                    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                    self._attach_state(connection, None)
                except BaseException:
                    connection.close()
                    raise
                self._plain[thread] = connection
            self._plain_uses[id(connection)] = self._plain_uses.get(id(connection), 0) + 1
            return connection

    def _give_back(self, connection: sqlite3.Connection) -> None:
        with self._plain_guard:
            uses = self._plain_uses.pop(id(connection)) - 1
            if uses:
                self._plain_uses[id(connection)] = uses
                return
            retired = self._retired.pop(id(connection), None)
        if retired is not None:
            retired.close()

    def _close_plain(self) -> None:
        """Close the plain connections (the key's engines are disposed, or the catalog
        closed); one in use is closed when its read ends."""
        with self._plain_guard:
            connections = list(self._plain.values())
            self._plain.clear()
            idle = [c for c in connections if id(c) not in self._plain_uses]
            self._retired.update((id(c), c) for c in connections if id(c) in self._plain_uses)
        for connection in idle:
            connection.close()

    @contextmanager
    def write(self) -> Iterator[Session]:
        from sqlalchemy.orm import Session

        with self.lock.shared(), self.engine.connect() as connection:
            connection.info["write"] = True
            with Session(bind=connection, expire_on_commit=False) as session:
                yield session
                session.commit()

    @contextmanager
    def refilling(self) -> Iterator[Session]:
        """One write transaction in which the derived tables are emptied, to be refilled
        (an index rebuild): all or nothing, so that a rebuild cut short leaves the index as
        it was. The tables are dropped (children first: no row-by-row cascade) and made
        again without their secondary indexes, which are made once the rows are in, in one
        sorted pass each rather than kept up row by row."""
        from sqlalchemy.schema import CreateIndex, CreateTable

        from advisor_app.storage.catalog_models import FTS_DDL

        tables = [t for t in _index_tables() if t.name in DERIVED_TABLES]
        with self.write() as session:
            connection = session.connection()
            for name in DERIVED_TABLES:
                connection.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
            for table in tables:
                connection.execute(CreateTable(table))
            connection.exec_driver_sql(FTS_DDL)
            yield session
            session.flush()
            for table in tables:
                for index in sorted(table.indexes, key=lambda i: str(i.name)):
                    connection.execute(CreateIndex(index))

    def close(self) -> None:
        self._close_plain()
        if "engine" in self.__dict__:  # made
            self.engine.dispose()


def _inspect(path: Path, key: WorkspaceKey, application_id: int, current: int) -> Found:
    """What the file at `path` is. A key problem (a locked workspace) is raised, and so is
    a full disk or a folder that cannot be read: neither is damage."""
    key.check()
    try:
        if not path.exists():
            return Found("missing")
        if key.encrypted and looks_like_sqlite(path):
            return Found("plain")
    except OSError as error:
        problem = disk_problem(error, path)
        if problem is not None:
            raise problem from error
        raise
    try:
        connection = raw_connect(path, key=key)
        try:
            app_id = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            # A cheap probe of every table's root page: a full quick_check reads the whole
            # file (0.1 s plain, 0.5 s encrypted on 10,000 cases); `check` runs it and
            # marks a damaged file to be replaced at the next open.
            tables = [
                row[0]
                for row in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index_%'"
                )
            ]
            for table in tables:
                connection.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchall()
        finally:
            connection.close()
    except DATABASE_ERRORS as error:
        key.check()
        problem = disk_problem(error, path)
        if problem is not None:
            raise problem from error
        return Found("damaged")
    if app_id != application_id or damage_marker(path).exists():
        return Found("damaged")
    if version > current:
        return Found("newer", version)
    kind = "older" if version < current else "ok"
    return Found(kind, version, frozenset(tables))


def damage_marker(path: Path) -> Path:
    """Left by `check` when a catalog file fails its full integrity check."""
    return path.with_name(f".{path.name}.damaged")


def _has_past(root: Path) -> bool:
    """Whether the workspace was used before (a case file, a backup): then a state file
    found missing was lost, not yet to be made."""
    for folder, pattern in (("cases", "*.case"), ("backups", "*")):
        if any((root / folder).glob(pattern)):
            return True
    return False


def _move_aside(path: Path) -> Path:
    """Into `damaged/`, never deleted."""
    target = _move_to(path, path.parent / "damaged", path.stem)
    damage_marker(path).unlink(missing_ok=True)
    return target


def _move_to(path: Path, folder: Path, stem: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}"
    counter = 1
    while target.exists():
        target = folder / f"{stem}-{datetime.now():%Y%m%d-%H%M%S}-{counter}{path.suffix}"
        counter += 1
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{target}{suffix}"))
    return target


def _record_loss(path: Path, key: WorkspaceKey, reason: str, set_aside: Path | None) -> None:
    relative = str(set_aside.relative_to(path.parent)) if set_aside is not None else ""
    connection = raw_connect(path, key=key)
    try:
        connection.execute(
            "INSERT INTO state_loss (at, reason, set_aside) VALUES (?, ?, ?)",
            (datetime.now().isoformat(sep=" ", timespec="microseconds"), reason, relative),
        )
    finally:
        connection.close()


def _index_tables() -> list[Any]:
    from advisor_app.storage.catalog_models import CatalogBase

    return [table for table in CatalogBase.metadata.sorted_tables if table.schema is None]


def _renew_index(path: Path, key: WorkspaceKey, *, drop_state: bool = False) -> None:
    """Drop and recreate the derived tables (refilled from the case files); after a split,
    the state's tables go too (they are in their own file now)."""
    connection = raw_connect(path, key=key)
    try:
        connection.execute("BEGIN IMMEDIATE")
        for table in (*DERIVED_TABLES, *(LEGACY_STATE_TABLES if drop_state else ())):
            connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute("COMMIT")
        _create_index_tables(path, key, connection)
    finally:
        connection.close()


def _upgrade_index(path: Path, key: WorkspaceKey, version: int) -> None:
    """Bring an index of version 5 or 6 to the current one in place, in one transaction."""
    connection = raw_connect(path, key=key)
    try:
        connection.execute("BEGIN IMMEDIATE")
        if version == MONTH_MINUTES_FROM:
            _add_month_minutes(connection)
        _add_shared(connection)
        connection.execute(f"PRAGMA user_version = {INDEX_VERSION}")
        connection.execute("COMMIT")
    finally:
        connection.close()


def _add_shared(connection: sqlite3.Connection) -> None:
    """Version 6 to 7: `case_index.shared`, false until the case file says otherwise. The
    rows stay listed, their recorded signatures forgotten so that the reconcile reads every
    file again (which the case files' own change of format, in the same version, asks for
    anyway): an index never says a shared case is not."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(case_index)")}
    if "shared" not in columns:
        connection.execute("ALTER TABLE case_index ADD COLUMN shared BOOLEAN NOT NULL DEFAULT 0")
    connection.execute("CREATE INDEX IF NOT EXISTS ix_case_index_shared ON case_index (shared)")
    connection.execute("UPDATE case_index SET file_mtime_ns = -1")


def _add_month_minutes(connection: sqlite3.Connection) -> None:
    """Version 5 to 6: `month_minutes` made and filled from its agenda, as the indexer
    fills it (minutes done and counted in reports, cases not in the bin), and the search's
    covering index in place of the one on `search_rowid` alone."""
    from sqlalchemy import Table
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from advisor_app.storage.catalog_models import CaseIndex, MonthMinutes

    table = cast(Table, MonthMinutes.__table__)
    dialect = sqlite.dialect()
    connection.execute("DROP INDEX IF EXISTS ix_case_index_search_rowid")
    for index in cast(Table, CaseIndex.__table__).indexes:
        connection.execute(str(CreateIndex(index, if_not_exists=True).compile(dialect=dialect)))
    connection.execute(f"DROP TABLE IF EXISTS {table.name}")
    connection.execute(str(CreateTable(table).compile(dialect=dialect)))
    for index in table.indexes:
        connection.execute(str(CreateIndex(index).compile(dialect=dialect)))
    connection.execute(
        "INSERT INTO month_minutes (case_id, month, minutes) "
        "SELECT a.case_id, substr(a.start, 1, 7), sum(a.minutes) FROM agenda_entry a "
        "JOIN case_index c ON c.case_id = a.case_id "
        "WHERE a.status = 'done' AND a.counts_in_reports = 1 AND c.binned_at IS NULL "
        "GROUP BY a.case_id, substr(a.start, 1, 7)"
    )


def _create_index(path: Path, key: WorkspaceKey) -> None:
    connection = raw_connect(path, key=key)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA application_id = {CATALOG_APPLICATION_ID}")
        _create_index_tables(path, key, connection)
    finally:
        connection.close()


def _create_index_tables(path: Path, key: WorkspaceKey, connection: sqlite3.Connection) -> None:
    from advisor_app.storage.catalog_models import FTS_DDL, CatalogBase

    engine = key.engine(path)
    try:
        CatalogBase.metadata.create_all(engine, tables=_index_tables())
    finally:
        engine.dispose()
    connection.execute(FTS_DDL)
    connection.execute(f"PRAGMA user_version = {INDEX_VERSION}")
