"""The workspace catalog (`workspace.sqlite`): opened, created, or rebuilt when unusable."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from advisor_app.storage.catalog_models import (
    CATALOG_APPLICATION_ID,
    CATALOG_VERSION,
    FTS_DDL,
    CatalogBase,
)
from advisor_app.storage.sqlite_engine import raw_connect, sqlite_engine

CATALOG_NAME = "workspace.sqlite"


class Catalog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.created = not _usable(path)
        if self.created:
            _discard(path)
            _create(path)
        self.engine: Engine = sqlite_engine(path)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self.engine.connect() as connection, Session(bind=connection) as session:
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


def _usable(path: Path) -> bool:
    """A catalog of our current version that SQLite can read; anything else is rebuilt."""
    if not path.exists():
        return False
    try:
        connection = raw_connect(path)
        try:
            app_id = connection.execute("PRAGMA application_id").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            check = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return False
    return bool(app_id == CATALOG_APPLICATION_ID and version == CATALOG_VERSION and check == "ok")


def _discard(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


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
