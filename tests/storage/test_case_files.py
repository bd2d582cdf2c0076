"""Case files are ours: stamped, migrated forward, and anything else is refused by name."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from advisor_app.domain.errors import CaseFileError
from advisor_app.services import NewCase, Services
from advisor_app.storage import casefile
from advisor_app.storage.casefile import APPLICATION_ID, SCHEMA_VERSION, open_case_file
from advisor_app.storage.sqlite_engine import WorkspaceKey


def _new_case(services: Services) -> str:
    case_id, _duplicates, _changes = services.cases.create(NewCase("Inès", "Benali"))
    return case_id


def test_a_new_case_file_carries_our_application_id_and_schema_version(services: Services) -> None:
    path = services.workspace.case_path(_new_case(services))
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    connection.close()


def test_a_case_file_of_a_newer_version_is_refused_and_left_untouched(services: Services) -> None:
    path = services.workspace.case_path(_new_case(services))
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(CaseFileError) as refused:
        open_case_file(path, WorkspaceKey.plain())
    assert path.name in str(refused.value)
    assert "newer version" in str(refused.value)
    assert path.read_bytes() == before


def test_a_sqlite_file_that_is_not_a_case_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.case"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.close()
    with pytest.raises(CaseFileError, match=r"other\.case is a SQLite database but not a Boussole"):
        open_case_file(path, WorkspaceKey.plain())


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.case"
    path.write_bytes(b"not a database at all" * 50)
    with pytest.raises(CaseFileError, match=r"garbage\.case is not a SQLite database"):
        open_case_file(path, WorkspaceKey.plain())


def test_an_older_case_file_is_migrated_after_a_backup_copy(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = services.workspace.case_path(_new_case(services))
    applied: list[int] = []

    def add_column(connection: sqlite3.Connection) -> None:
        applied.append(1)
        connection.execute("ALTER TABLE project ADD COLUMN website TEXT DEFAULT ''")

    monkeypatch.setattr(casefile, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(casefile, "MIGRATIONS", {SCHEMA_VERSION: add_column})
    backups = services.workspace.backups_dir / "migrations"
    open_case_file(path, WorkspaceKey.plain(), backups).close()
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    columns = [row[1] for row in connection.execute("PRAGMA table_info(project)")]
    connection.close()
    assert "website" in columns
    assert applied == [1]
    saved = list(backups.glob(f"{path.stem}.v{SCHEMA_VERSION}.*.case"))
    assert len(saved) == 1
    copy = sqlite3.connect(saved[0])
    assert copy.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    copy.close()


def test_a_failed_migration_leaves_the_file_as_it_was(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = services.workspace.case_path(_new_case(services))

    def broken(connection: sqlite3.Connection) -> None:
        connection.execute("ALTER TABLE project ADD COLUMN website TEXT")
        raise RuntimeError("boom")

    monkeypatch.setattr(casefile, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(casefile, "MIGRATIONS", {SCHEMA_VERSION: broken})
    with pytest.raises(RuntimeError):
        open_case_file(path, WorkspaceKey.plain(), services.workspace.backups_dir)
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    columns = [row[1] for row in connection.execute("PRAGMA table_info(project)")]
    connection.close()
    assert "website" not in columns
