"""Locking is locking: the open workspace owns its key, and locking forgets it everywhere.

After `lock()`, no connection keeps the key (the catalog's pooled ones included), reading
the catalog or a case says "the workspace is locked", and nothing is ever taken for damage
or moved into the quarantine because of it. The idle lock waits for background work.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from advisor_app.services import Services
from advisor_app.services.workspace_lock import PassphraseError, WorkspaceLockedError
from advisor_app.ui.idle_lock import IdleLock
from advisor_app.ui.pages.backups import BackupsPage
from advisor_app.ui.session import AppSession
from tests.trust.conftest import PASSPHRASE, add_person, open_services


@pytest.fixture
def locked(tmp_path: Path) -> tuple[Services, str]:
    """An encrypted workspace holding Ondine Vasseur-Kerbrat, open, then locked."""
    services = open_services(tmp_path / "ws", PASSPHRASE)
    case_id = add_person(services, "Ondine", "Vasseur-Kerbrat")
    assert services.search.cases()[0].last_name == "Vasseur-Kerbrat"
    services.lock()
    return services, case_id


def _quarantined(root: Path) -> list[Path]:
    folder = root / "quarantine"
    return list(folder.iterdir()) if folder.is_dir() else []


def test_after_locking_the_catalog_says_locked_and_shows_no_name(
    locked: tuple[Services, str],
) -> None:
    services, _case_id = locked
    assert services.locked
    with pytest.raises(WorkspaceLockedError, match="The workspace is locked"):
        services.search.cases()
    with pytest.raises(WorkspaceLockedError):
        services.agenda.week_of(date(2026, 11, 25))
    # no engine keeps the key in its address
    engine = services.workspace.catalog.engine
    assert "x'" not in str(engine.url) and engine.url.password is None


def test_after_locking_a_case_says_locked_and_goes_nowhere(
    locked: tuple[Services, str],
) -> None:
    services, case_id = locked
    root = services.workspace.root
    with pytest.raises(WorkspaceLockedError):
        services.cases.get(case_id)
    with pytest.raises(WorkspaceLockedError):
        services.notes.add_note(case_id, "Rappeler lundi.")
    with pytest.raises(WorkspaceLockedError):
        services.workspace.reindex_case(case_id)
    with pytest.raises(WorkspaceLockedError):
        services.maintenance.run_check()
    assert _quarantined(root) == []
    assert services.workspace.case_path(case_id).exists()


def test_unlocking_gives_everything_back(locked: tuple[Services, str]) -> None:
    services, case_id = locked
    with pytest.raises(PassphraseError):
        services.unlock("pas la bonne phrase")
    assert services.locked
    services.unlock(PASSPHRASE)
    assert not services.locked
    assert services.cases.get(case_id).person.last_name == "Vasseur-Kerbrat"
    services.notes.add_note(case_id, "Rappeler lundi.")
    report = services.maintenance.run_check()
    assert report.ok and _quarantined(services.workspace.root) == []
    services.close()


def test_two_workspaces_open_in_one_process_keep_their_own_keys(tmp_path: Path) -> None:
    """No registry of keys: locking one workspace leaves another alone."""
    first = open_services(tmp_path / "first", PASSPHRASE)
    second = open_services(tmp_path / "second", "une autre phrase secrète")
    add_person(first, "Basile", "Morvan")
    add_person(second, "Jade", "Ferrand")
    first.lock()
    assert [c.last_name for c in second.search.cases()] == ["Ferrand"]
    with pytest.raises(WorkspaceLockedError):
        first.search.cases()
    first.close()
    second.close()


def test_the_idle_lock_waits_while_background_work_runs(qtbot: QtBot, tmp_path: Path) -> None:
    services = open_services(tmp_path / "ws", PASSPHRASE)
    case_id = add_person(services, "Basile", "Morvan")
    session = AppSession(services)
    window = BackupsPage(session)
    qtbot.addWidget(window)
    asked: list[bool] = []

    def ask(_root: Path, unlock: object) -> str:
        asked.append(services.locked)
        services.unlock(PASSPHRASE)
        return PASSPHRASE

    idle = IdleLock(session, window, minutes=5, ask=ask)
    release = threading.Event()

    def restore_like_work() -> str:
        release.wait(30)  # a restore, a rebuild or a re-keying in progress
        return services.cases.get(case_id).person.last_name

    results: list[object] = []
    task = session.tasks.run(restore_like_work, on_done=results.append)
    assert session.tasks.busy
    assert not idle.lock_now()  # the time is up, but work runs: no lock
    assert not services.locked and asked == [] and idle.timer.isActive()
    release.set()
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)
    assert results == ["Morvan"]
    assert idle.lock_now()  # nothing runs any more: it locks, and asks
    assert asked == [True] and not services.locked and not idle.is_locked
    session.tasks.wait()
    services.close()
