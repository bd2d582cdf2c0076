"""The workspace catalog (`workspace.sqlite`): opened, created, upgraded, or replaced when damaged."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.storage.catalog_models import (
    CATALOG_APPLICATION_ID,
    CATALOG_VERSION,
    DERIVED_TABLES,
    FTS_DDL,
    CatalogBase,
)
from advisor_app.storage.sqlite_engine import (
    DATABASE_ERRORS,
    key_for,
    looks_like_sqlite,
    raw_connect,
    sqlite_engine,
)

CATALOG_NAME = "workspace.sqlite"


class Catalog:
    """The catalog file. Derived tables are rebuilt from the case files; the others
    (settings, audit log, outbox...) are kept across upgrades, and a damaged file is moved
    aside into `damaged/` rather than deleted."""

    def __init__(self, path: Path) -> None:
        self.path = path
        state = _inspect(path)
        if state == "plain":
            raise AdvisorError(
                N_("The catalog of the workspace {path} is not encrypted, unlike the workspace."),
                N_("Nothing was changed; restore the workspace from a copy."),
                path=str(path.parent),
            )
        if state == "newer":
            raise AdvisorError(
                N_(
                    "The workspace {path} was written by a newer version of Boussole "
                    "and cannot be opened by this one."
                ),
                N_("Update Boussole; nothing was changed."),
                path=str(path.parent),
            )
        self.created = state in ("missing", "damaged")
        self.moved_aside: Path | None = None
        if state == "damaged":
            self.moved_aside = _move_aside(path)
        if self.created:
            _create(path)
        elif state == "older":
            _upgrade(path)
        # Pooled: the catalog is used all the time, and closing the last connection to a WAL
        # database checkpoints it, which made every small transaction pay a checkpoint.
        self.engine: Engine = sqlite_engine(path, pooled=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.engine.connect() as connection:
            connection.info["write"] = False  # a pooled connection may have written before
            with Session(bind=connection) as session:
                yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self.engine.connect() as connection:
            connection.info["write"] = True
            with Session(bind=connection, expire_on_commit=False) as session:
                yield session
                session.commit()

    def close(self) -> None:
        self.engine.dispose()


def _inspect(path: Path) -> str:
    """missing, ok, older, newer, damaged, or plain (not encrypted in an encrypted workspace)."""
    if not path.exists():
        return "missing"
    if key_for(path) is not None and looks_like_sqlite(path):
        return "plain"
    try:
        connection = raw_connect(path)
        try:
            app_id = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            # A cheap probe of every table's root page: a full quick_check reads the whole
            # file (0.1 s plain, 0.5 s encrypted on 10,000 cases); `check` runs it and
            # marks a damaged catalog to be replaced at the next open.
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
    except DATABASE_ERRORS:
        return "damaged"
    if app_id != CATALOG_APPLICATION_ID or damage_marker(path).exists():
        return "damaged"
    if version > CATALOG_VERSION:
        return "newer"
    return "older" if version < CATALOG_VERSION else "ok"


def damage_marker(path: Path) -> Path:
    """Left by `check` when the catalog fails its full integrity check."""
    return path.with_name(f".{path.name}.damaged")


def _move_aside(path: Path) -> Path:
    folder = path.parent / "damaged"
    folder.mkdir(exist_ok=True)
    target = folder / f"{path.stem}-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}"
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{target}{suffix}"))
    damage_marker(path).unlink(missing_ok=True)
    return target


def _upgrade(path: Path) -> None:
    """Drop and recreate the derived tables (refilled from the case files), add new ones."""
    connection = raw_connect(path)
    try:
        connection.execute("BEGIN IMMEDIATE")
        for table in DERIVED_TABLES:
            connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute("COMMIT")
        engine = sqlite_engine(path)
        CatalogBase.metadata.create_all(engine)
        engine.dispose()
        connection.execute(FTS_DDL)
        connection.execute(f"PRAGMA user_version = {CATALOG_VERSION}")
    finally:
        connection.close()


def _create(path: Path) -> None:
    connection = raw_connect(path)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA application_id = {CATALOG_APPLICATION_ID}")
        engine = sqlite_engine(path)
        CatalogBase.metadata.create_all(engine)
        engine.dispose()
        connection.execute(FTS_DDL)
        connection.execute(f"PRAGMA user_version = {CATALOG_VERSION}")
    finally:
        connection.close()
