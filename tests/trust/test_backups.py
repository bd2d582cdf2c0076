"""Backups: written with the online backup API, listed, pruned, restored whole or one case."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

from advisor_app.cli import main
from advisor_app.services import Services
from advisor_app.storage.backups import BackupInfo, backups_to_prune
from tests.trust.conftest import add_person


def test_a_backup_holds_the_state_and_every_case(trio: tuple[Services, dict[str, str]]) -> None:
    services, ids = trio
    backup = services.backups.back_up_now()
    assert set(backup.case_ids) == set(ids.values())
    # partners, outbox queue, settings, audit log: what the case files cannot give again
    assert backup.state_source == backup.path / "workspace-state.sqlite"
    # the index is rebuilt from the case files: no copy of it, and of the names it lists
    assert not backup.catalog_path.exists()
    assert [b.name for b in services.backups.all()] == [backup.name]
    assert not list(backup.path.rglob("*-wal"))


def test_the_daily_backup_is_made_once_a_day(trio: tuple[Services, dict[str, str]]) -> None:
    services, _ids = trio
    assert services.backups.daily_backup_if_due() is not None
    assert services.backups.daily_backup_if_due() is None
    assert len(services.backups.all()) == 1


def test_an_unchanged_case_is_linked_to_its_previous_copy(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    first = services.backups.back_up_now()
    services.notes.add_note(ids["basile"], "Rappeler la banque.")
    second = services.backups.back_up_now()
    same = (
        first.case_path(ids["ondine"]).stat().st_ino
        == second.case_path(ids["ondine"]).stat().st_ino
    )
    changed = (
        first.case_path(ids["basile"]).stat().st_ino
        == second.case_path(ids["basile"]).stat().st_ino
    )
    assert same and not changed


def test_restoring_one_case_leaves_the_others_untouched(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    backup = services.backups.back_up_now()
    services.cases.update_person(ids["ondine"], {"commune": "Guéret"})
    services.cases.update_person(ids["basile"], {"commune": "Felletin"})
    services.backups.restore(backup.name, ids["ondine"])
    assert services.cases.get(ids["ondine"]).person.commune == "Aubusson"
    assert services.cases.get(ids["basile"]).person.commune == "Felletin"
    kinds = [b.kind for b in services.backups.all()]
    assert "before-restore" in kinds
    assert services.maintenance.run_check().ok


def test_restoring_a_whole_backup_puts_every_case_back(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    backup = services.backups.back_up_now()
    services.cases.update_person(ids["basile"], {"commune": "Felletin"})
    later = add_person(services, "Noé", "Tardif")
    services.backups.restore(backup.name)
    assert services.cases.get(ids["basile"]).person.commune == "Aubusson"
    assert not services.cases.exists(later)
    before = next(b for b in services.backups.all() if b.kind == "before-restore")
    assert later in before.case_ids
    assert {s.case_id for s in services.search.cases()} == set(ids.values())
    assert services.maintenance.run_check().ok


def test_old_backups_are_pruned_keeping_days_and_weeks() -> None:
    now = datetime(2026, 11, 25, 12)
    backups = [
        BackupInfo(f"b{n}", Path(f"b{n}"), now - timedelta(days=n), "daily", ()) for n in range(60)
    ]
    doomed = {b.name for b in backups_to_prune(backups, keep_daily=7, keep_weekly=4, now=now)}
    kept = [b for b in backups if b.name not in doomed]
    assert {f"b{n}" for n in range(7)} <= {b.name for b in kept}
    assert len(kept) <= 7 + 4 + 1
    assert "b59" in doomed


def test_backup_backups_and_restore_from_the_command_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws = str(tmp_path / "ws")
    assert main(["--workspace", ws, "new-case", "--first-name", "Léa", "--last-name", "Noël"]) == 0
    case_id = capsys.readouterr().out.strip()
    assert main(["--workspace", ws, "backup"]) == 0
    capsys.readouterr()
    assert main(["--workspace", ws, "backups", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    manual = next(b for b in listed if b["kind"] == "manual")
    assert case_id in manual["cases"]
    assert main(["--workspace", ws, "restore", manual["name"], "--case", case_id]) == 0
    assert main(["--workspace", ws, "restore", "no-such-backup"]) == 1
    assert "no backup" in capsys.readouterr().err


def test_a_backup_leaves_alone_the_one_another_window_is_writing(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, _ids = trio
    backups = services.workspace.root / "backups"
    under_way = backups / ".20261130-101500-manual.partial"
    (under_way / "cases").mkdir(parents=True)
    left = backups / ".20261129-091500-daily.partial"
    (left / "cases").mkdir(parents=True)
    two_hours_ago = time.time() - 2 * 3600
    for folder in (left / "cases", left):
        os.utime(folder, (two_hours_ago, two_hours_ago))

    services.backups.back_up_now()

    assert under_way.exists()  # another process is writing it
    assert not left.exists()  # a backup stopped long ago: its copies go
