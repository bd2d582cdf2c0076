"""A state file written by catalog version 5 (before spreadsheet imports were recorded)
opens upgraded, with every row kept and the imports' tables added.

`tests/fixtures/workspace-state-v5.sqlite` was written by Boussole with catalog version 5:
two settings besides the case-file format, one partner (a folder), one audit line. Keep one
such file for every released catalog version.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from advisor_app.services import Services
from advisor_app.storage.catalog_models import CATALOG_VERSION
from advisor_app.storage.layout import STATE_NAME
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock

FIXTURES = Path(__file__).parent.parent / "fixtures"
VERSION_5 = FIXTURES / "workspace-state-v5.sqlite"
STATE_OF_VERSION_5 = ("setting", "audit_log", "partner", "outbox", "send_journal", "state_loss")


def _rows(path: Path, tables: tuple[str, ...]) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    try:
        return {
            table: list(connection.execute(f"SELECT * FROM {table} ORDER BY 1")) for table in tables
        }
    finally:
        connection.close()


def _version(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()


def _workspace_left_by_version_5(root: Path) -> Path:
    (root / "cases").mkdir(parents=True)
    shutil.copyfile(VERSION_5, root / STATE_NAME)
    return root / STATE_NAME


def test_the_fixture_is_a_version_5_state() -> None:
    assert _version(VERSION_5) == 5 < CATALOG_VERSION


def test_a_version_5_state_opens_with_its_rows_kept_and_imports_recorded(
    tmp_path: Path,
) -> None:
    root = tmp_path / "workspace"
    state = _workspace_left_by_version_5(root)
    before = _rows(state, STATE_OF_VERSION_5)

    services = Services(Workspace.open(root), clock=fixed_clock)
    try:
        assert services.settings.advisor_name == "Camille Rivière"
        assert [p.name for p in services.partners.all()] == ["Initiative Creuse"]
        assert services.sheet_import.batches() == []
    finally:
        services.close()

    assert _version(state) == CATALOG_VERSION
    after = _rows(state, STATE_OF_VERSION_5)
    assert after["partner"] == before["partner"]
    # every setting kept; the case files' format is recorded anew once they are upgraded
    kept = {row for row in before["setting"] if row[0] != "case_schema_version"}
    assert kept <= set(after["setting"])
    assert after["audit_log"][: len(before["audit_log"])] == before["audit_log"]
    assert _rows(state, ("import_batch", "import_item")) == {"import_batch": [], "import_item": []}
    [copy] = (root / "backups" / "migrations").glob("workspace-state.v5.*.sqlite")
    assert _rows(copy, STATE_OF_VERSION_5) == before


def test_an_upgraded_state_has_the_tables_and_columns_of_a_new_one(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "old"
    _workspace_left_by_version_5(root)
    Workspace.open(root).close()
    services.close()

    def schema(path: Path) -> dict[str, list[tuple[object, ...]]]:
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

    assert schema(root / STATE_NAME) == schema(services.workspace.root / STATE_NAME)
