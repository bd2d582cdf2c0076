"""Catalogs written by earlier versions of Boussole open upgraded, with every partner, outbox
entry, journal line, setting and audit line kept.

`tests/fixtures/catalog-v4.sqlite` was written by Boussole with catalog version 4, the last
one that kept everything in `workspace.sqlite`: two partners (a folder, a WebDAV share), a
package sent (with its journal line) and one queued, four settings, three audit lines and
the index of two cases. Keep one such file for every released catalog version.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from advisor_app.domain.errors import AdvisorError
from advisor_app.services import NewCase, Services
from advisor_app.storage import catalog_migrations, encryption
from advisor_app.storage.catalog_models import CATALOG_VERSION, INDEX_VERSION, STATE_TABLES
from advisor_app.storage.layout import STATE_NAME
from advisor_app.storage.sqlite_engine import SQLITE_MAGIC
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock

FIXTURES = Path(__file__).parent.parent / "fixtures"
VERSION_4 = FIXTURES / "catalog-v4.sqlite"
# What the fixture holds, as its code wrote it
STATE_OF_VERSION_4 = ("setting", "audit_log", "partner", "outbox", "send_journal")


def _rows(path: Path, tables: tuple[str, ...]) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    try:
        return {
            table: list(connection.execute(f"SELECT * FROM {table} ORDER BY 1")) for table in tables
        }
    finally:
        connection.close()


def _tables(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_index_%'"
            )
        }
    finally:
        connection.close()


def _schema(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Each table's columns (name, type, not null, default, primary key) and its indexes."""
    connection = sqlite3.connect(path)
    try:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            name: [tuple(row[1:]) for row in connection.execute(f"PRAGMA table_info({name})")]
            or [tuple(row[1:]) for row in connection.execute(f"PRAGMA index_info({name})")]
            for name in names
        }
    finally:
        connection.close()


def _pragma(path: Path, name: str) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute(f"PRAGMA {name}").fetchone()[0])
    finally:
        connection.close()


def _workspace_left_by_version_4(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copyfile(VERSION_4, root / "workspace.sqlite")
    return root / "workspace.sqlite"


def test_the_fixture_is_a_version_4_catalog() -> None:
    assert _pragma(VERSION_4, "user_version") == 4 < CATALOG_VERSION
    assert set(STATE_OF_VERSION_4) <= _tables(VERSION_4)


def test_opening_a_version_4_catalog_keeps_everything_that_cannot_be_rebuilt(
    tmp_path: Path,
) -> None:
    root = tmp_path / "workspace"
    index = _workspace_left_by_version_4(root)
    before = _rows(index, STATE_OF_VERSION_4)

    services = Services(Workspace.open(root), clock=fixed_clock)
    try:
        partners = services.partners.all()
        assert [(p.name, p.kind, p.transport) for p in partners] == [
            ("France Active Limousin", "funder", "webdav"),
            ("Initiative Creuse", "network", "folder"),
        ]
        assert [(i.partner, i.state) for i in services.outbox.items()] == [
            ("Initiative Creuse", "sent"),
            ("France Active Limousin", "queued"),
        ]
        [line] = services.outbox.journal()
        assert (line.partner, line.outcome) == ("Initiative Creuse", "delivered")
        assert services.settings.advisor_name == "Camille Rivière"
        assert services.settings.programmes == ["Cap Création", "Entreprendre au féminin"]
        assert services.settings.get("idle_lock_minutes") == 15
        # the index names no case whose file is not there, and still works
        assert services.search.cases() == []
        new_id, _d, _c = services.cases.create(NewCase("Inès", "Benali"))
        assert [s.case_id for s in services.search.cases()] == [new_id]
    finally:
        services.close()

    state = root / STATE_NAME
    after = _rows(state, STATE_OF_VERSION_4)
    assert after["partner"] == before["partner"]
    assert after["outbox"] == before["outbox"]
    assert after["send_journal"] == before["send_journal"]
    assert set(before["setting"]) <= set(after["setting"])
    assert after["audit_log"][: len(before["audit_log"])] == before["audit_log"]
    assert _pragma(state, "user_version") == CATALOG_VERSION
    assert _pragma(index, "user_version") == INDEX_VERSION
    # the index keeps only what is rebuilt from the case files
    assert not set(STATE_TABLES) & _tables(index)
    # the copy made first holds the state as version 4 left it, and no name of a person
    [copy] = (root / "backups" / "migrations").glob("workspace-state.v4.*.sqlite")
    assert _rows(copy, STATE_OF_VERSION_4) == before
    assert b"Marchal" not in copy.read_bytes()


def test_an_upgraded_state_has_the_tables_and_columns_of_a_new_one(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "old"
    _workspace_left_by_version_4(root)
    Workspace.open(root).close()
    services.close()
    assert _schema(root / STATE_NAME) == _schema(services.workspace.root / STATE_NAME)
    assert _schema(root / "workspace.sqlite") == _schema(
        services.workspace.root / "workspace.sqlite"
    )


def test_an_upgrade_cut_after_the_state_was_written_is_done_again_from_the_old_file(
    tmp_path: Path,
) -> None:
    root = tmp_path / "workspace"
    index = _workspace_left_by_version_4(root)
    before = _rows(index, STATE_OF_VERSION_4)
    Workspace.open(root).close()
    # as if stopped before the old file lost its tables: it is still version 4, whole
    shutil.copyfile(VERSION_4, index)
    services = Services(Workspace.open(root), clock=fixed_clock)
    try:
        assert len(services.partners.all()) == 2 and len(services.outbox.items()) == 2
    finally:
        services.close()
    assert _rows(root / STATE_NAME, ("partner", "outbox")) == {
        "partner": before["partner"],
        "outbox": before["outbox"],
    }


def _add_a_later_step(monkeypatch: pytest.MonkeyPatch) -> int:
    """A step as team mode will add one: a column on the partners, the version one higher."""
    version = CATALOG_VERSION

    def add_team_column(connection: sqlite3.Connection) -> None:
        connection.execute("ALTER TABLE partner ADD COLUMN team TEXT NOT NULL DEFAULT ''")

    monkeypatch.setitem(catalog_migrations.CATALOG_MIGRATIONS, version, add_team_column)
    monkeypatch.setattr(catalog_migrations, "CATALOG_VERSION", version + 1)
    return version + 1


def test_a_later_step_adds_its_column_and_keeps_every_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "workspace"
    _workspace_left_by_version_4(root)
    Workspace.open(root).close()
    state = root / STATE_NAME
    before = _rows(state, STATE_OF_VERSION_4)
    later = _add_a_later_step(monkeypatch)
    Workspace.open(root).close()
    assert _pragma(state, "user_version") == later
    after = _rows(state, STATE_OF_VERSION_4)
    assert [row[:-1] for row in after["partner"]] == before["partner"]
    assert [row[-1] for row in after["partner"]] == ["", ""]
    assert after["outbox"] == before["outbox"]
    [copy] = (root / "backups" / "migrations").glob(f"workspace-state.v{later - 1}.*.sqlite")
    assert _rows(copy, STATE_OF_VERSION_4) == before


def test_a_step_that_fails_leaves_the_state_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "workspace"
    _workspace_left_by_version_4(root)
    Workspace.open(root).close()
    version = CATALOG_VERSION

    def half_done(connection: sqlite3.Connection) -> None:
        connection.execute("DELETE FROM partner")
        connection.execute("ALTER TABLE nowhere ADD COLUMN team TEXT")

    monkeypatch.setitem(catalog_migrations.CATALOG_MIGRATIONS, version, half_done)
    monkeypatch.setattr(catalog_migrations, "CATALOG_VERSION", version + 1)
    state = root / STATE_NAME
    before = _rows(state, STATE_OF_VERSION_4)
    with pytest.raises(AdvisorError, match="could not be upgraded"):
        Workspace.open(root)
    assert _rows(state, STATE_OF_VERSION_4) == before
    assert _pragma(state, "user_version") == version


def test_a_state_from_a_newer_version_is_refused_untouched(services: Services) -> None:
    root = services.workspace.root
    services.close()
    connection = sqlite3.connect(root / STATE_NAME)
    connection.execute(f"PRAGMA user_version = {CATALOG_VERSION + 1}")
    connection.close()
    before = (root / STATE_NAME).read_bytes()
    with pytest.raises(AdvisorError, match="newer version"):
        Workspace.open(root)
    assert (root / STATE_NAME).read_bytes() == before


def test_an_encrypted_version_4_catalog_opens_upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encryption, "ITERATIONS", 1_000)
    root = tmp_path / "workspace"
    root.mkdir()
    params, key = encryption.new_key("la boussole du nord")
    encryption.copy_rekeyed(VERSION_4, root / "workspace.sqlite", None, key)
    (root / "encryption.json").write_text(json.dumps(params.as_dict()), encoding="utf-8")
    services = Services(Workspace.open(root, passphrase="la boussole du nord"), clock=fixed_clock)
    try:
        assert len(services.partners.all()) == 2 and len(services.outbox.items()) == 2
        assert services.settings.advisor_name == "Camille Rivière"
        assert services.maintenance.run_check().ok
    finally:
        services.close()
    for path in [root / STATE_NAME, *(root / "backups" / "migrations").glob("*.sqlite")]:
        assert path.read_bytes()[:16] != SQLITE_MAGIC, path


def test_a_backup_made_by_version_4_brings_back_a_lost_state(tmp_path: Path) -> None:
    root = tmp_path / "workspace"
    Workspace.open(root).close()
    old_backup = root / "backups" / "20260302-093000-manual"
    old_backup.mkdir(parents=True)
    shutil.copyfile(VERSION_4, old_backup / "workspace.sqlite")  # as version 4 made them
    manifest = {"format": 1, "created_at": "2026-03-02T09:30:00", "kind": "manual", "cases": {}}
    (old_backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (root / STATE_NAME).unlink()
    services = Services(Workspace.open(root), clock=fixed_clock)
    try:
        assert services.backups.newest_whole_state() is not None
        services.backups.restore_state(old_backup.name)
        assert len(services.partners.all()) == 2 and len(services.outbox.items()) == 2
        assert services.settings.advisor_name == "Camille Rivière"
        assert services.maintenance.run_check().ok
    finally:
        services.close()
