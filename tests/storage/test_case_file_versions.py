"""Case files written by earlier versions of Boussole open upgraded, with every value kept.

`tests/fixtures/case-v1.case` was written by Boussole with case-file format 1 (before the
committee file's fields): a case with a person, a project, appointments, milestones, a
funding request, plan and forecast lines, a note and a consent. Keep one such file for
every released format.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from advisor_app.domain.enums import Recommendation
from advisor_app.services import NewCase, Services
from advisor_app.storage import casefile
from advisor_app.storage.casefile import SCHEMA_VERSION
from advisor_app.storage.sqlite_engine import WorkspaceKey
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock

FIXTURES = Path(__file__).parent.parent / "fixtures"
VERSION_1 = FIXTURES / "case-v1.case"


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            table: sorted(connection.execute(f"SELECT * FROM {table}"), key=repr)
            for table in tables
        }
    finally:
        connection.close()


def _columns(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Each table's columns: name, type, not null, primary key (defaults set apart)."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {
            table: [
                (name, kind, notnull, pk)
                for _cid, name, kind, notnull, _default, pk in connection.execute(
                    f"PRAGMA table_info({table})"
                )
            ]
            for table in tables
        }
    finally:
        connection.close()


def _version(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])
    finally:
        connection.close()


def _workspace_holding_the_version_1_file(root: Path) -> tuple[Path, str]:
    """A workspace folder as an earlier Boussole left it: its case file, in format 1."""
    connection = sqlite3.connect(VERSION_1)
    (case_id,) = connection.execute("SELECT id FROM case_info").fetchone()
    connection.close()
    (root / "cases").mkdir(parents=True)
    path = root / "cases" / f"{case_id}.case"
    shutil.copyfile(VERSION_1, path)
    return path, case_id


def test_the_fixture_is_a_version_1_case_file() -> None:
    assert _version(VERSION_1) == 1 < SCHEMA_VERSION == 3


def test_the_first_start_upgrades_a_version_1_file_and_keeps_every_value(tmp_path: Path) -> None:
    root = tmp_path / "workspace"
    path, case_id = _workspace_holding_the_version_1_file(root)
    before = _rows(path)

    services = Services(Workspace.open(root), clock=fixed_clock)
    try:
        assert _version(path) == SCHEMA_VERSION
        after = _rows(path)
        history = after.pop("history")
        assert len(history) == len(before.pop("history"))  # reading writes no history
        for table, rows in before.items():
            assert [row[: len(rows[0])] for row in after[table]] == rows, table
        # the new columns say "not given yet", not a value the advisor never typed
        case = services.cases.get(case_id)
        assert (case.person.first_name, case.person.commune) == ("Zoë", "Alès")
        assert case.person.training == case.person.household == ""
        assert case.project.advisor_opinion == "Projet solide; porteuse expérimentée."
        assert case.project.recommendation is None
        assert case.project.recommended_amount_cents is None
        assert case.project.customer_days is None and case.project.opinion_signed_on is None
        [request] = case.funding
        assert (request.funder, request.amount_asked_cents) == ("Initiative Gard", 800_000)
        assert request.term_months is request.deferral_months is None
        assert len(case.appointments) == 2 and len(case.notes) == 1
        assert case.plan.total_needs == 1_200_000
        # listed, not damaged
        [summary] = services.search.cases()
        assert summary.case_id == case_id and summary.damaged is None
    finally:
        services.close()

    [copy] = (root / "backups" / "migrations").glob(f"{case_id}.v1.*.case")
    assert _version(copy) == 1
    assert _rows(copy) == {**before, "history": history}


def test_an_upgraded_file_has_the_columns_of_a_new_one(services: Services, tmp_path: Path) -> None:
    path, _case_id = _workspace_holding_the_version_1_file(tmp_path / "old")
    Services(Workspace.open(tmp_path / "old"), clock=fixed_clock).close()
    new_id, _d, _c = services.cases.create(NewCase("Inès", "Benali"))
    assert _columns(path) == _columns(services.workspace.case_path(new_id))


def test_an_upgraded_file_takes_the_committee_fields(tmp_path: Path) -> None:
    root = tmp_path / "workspace"
    _path, case_id = _workspace_holding_the_version_1_file(root)
    services = Services(Workspace.open(root), clock=fixed_clock)
    try:
        services.cases.update_person(case_id, {"training": "CAP boulanger, 2008"})
        services.cases.update_project(
            case_id, {"recommendation": "favourable", "recommended_amount_cents": 800_000}
        )
        case = services.cases.get(case_id)
        assert case.person.training == "CAP boulanger, 2008"
        assert case.project.recommendation is Recommendation.FAVOURABLE
        assert case.project.recommended_amount_cents == 800_000
    finally:
        services.close()


def test_two_windows_opening_an_old_case_file_at_once_upgrade_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second window to reach the file finds it upgraded by the first: it does not run
    the steps again (which would fail, or apply a change twice), and neither copy of the
    file made before the upgrade overwrites the other."""
    path = tmp_path / "cases" / "case.case"
    path.parent.mkdir()
    shutil.copyfile(VERSION_1, path)
    original = _rows(path)
    backups = tmp_path / "migrations"
    key = WorkspaceKey.plain()
    real_backup = casefile.online_backup
    raced: list[bool] = []

    def backup_while_another_window_upgrades(source: Path, target: Path, **kwargs: Any) -> None:
        real_backup(source, target, **kwargs)
        if not raced:  # the first window is between its copy and its upgrade
            raced.append(True)
            casefile.check_case_file(path, key, backups)

    monkeypatch.setattr(casefile, "online_backup", backup_while_another_window_upgrades)
    casefile.check_case_file(path, key, backups)

    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        connection.close()
    copies = sorted(backups.iterdir())
    assert len(copies) == 2
    assert _rows(copies[0]) == original
