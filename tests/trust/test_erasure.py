"""Erasure that finishes: one journaled erase that reaches every copy of the person in the
workspace (import copies, interrupted backups, packages in the outbox, every backup), that
`erase` run again completes after a kill, and whose leftovers `check` names."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from advisor_app.services import Services
from tests.conftest import run_cli
from tests.trust.conftest import files_containing, open_services

NAME = "Vasseur-Kerbrat"


def named_after(root: Path, case_id: str) -> list[Path]:
    """Every file or folder of the workspace whose name holds the case number."""
    return sorted(p for p in root.rglob("*") if case_id in p.name)


def erase_killed_before_the_backups(root: Path, case_id: str) -> int:
    """`erase` in a real process of its own, killed (SIGKILL) once the case file, its catalog
    rows and its quarantine are gone and before any backup is purged; its exit status."""
    script = textwrap.dedent(
        """
        import os, signal, sys
        from pathlib import Path
        from advisor_app.services import Services, privacy

        def power_cut(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)

        privacy.purge_case_from_backups = power_cut
        services = Services.open(Path(sys.argv[1]))
        services.privacy.erase(sys.argv[2])
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", script, str(root), case_id], capture_output=True, check=False
    )
    return child.returncode


def test_an_erase_killed_once_the_case_file_is_gone_is_finished_by_erase_run_again(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    root = services.workspace.root
    services.backups.back_up_now()
    services.cases.update_person(ids["ondine"], {"phone": "06 12 34 56 78"})
    services.backups.back_up_now()
    services.close()

    assert erase_killed_before_the_backups(root, ids["ondine"]) == -9
    assert not (root / "cases" / f"{ids['ondine']}.case").exists()
    assert len(files_containing(root, NAME)) >= 2  # the two backups still name her

    reopened = open_services(root)
    try:
        # opening the workspace and check both say that an erasure is unfinished
        assert reopened.privacy.unfinished_erasures() == [ids["ondine"]]
        report = reopened.maintenance.run_check()
        assert not report.ok
        assert any(
            case_id == ids["ondine"] and "erase" in error.hint for case_id, error in report.problems
        )
        reopened.privacy.erase(ids["ondine"])  # no "There is no case": it completes
        assert reopened.privacy.unfinished_erasures() == []
        assert reopened.maintenance.run_check().ok
    finally:
        reopened.close()
    assert files_containing(root, NAME) == []
    assert named_after(root, ids["ondine"]) == []
    assert not any((root / "erasing").glob("*.json"))


def test_the_command_line_says_an_erasure_is_unfinished_and_erase_finishes_it(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    root = services.workspace.root
    services.backups.back_up_now()
    services.close()
    assert erase_killed_before_the_backups(root, ids["ondine"]) == -9

    code, _out, err = run_cli(root, "list")
    assert code == 0
    assert "interrupted" in err and f"erase {ids['ondine']}" in err
    code, _out, err = run_cli(root, "check")
    assert code == 1 and f"erase {ids['ondine']}" in err

    code, out, _err = run_cli(root, "erase", ids["ondine"], "--yes")
    assert code == 0 and ids["ondine"] in out
    assert files_containing(root, NAME) == []
    code, _out, err = run_cli(root, "list")
    assert code == 0 and "interrupted" not in err


def test_erasure_reaches_the_copy_made_when_an_import_updated_the_case(
    trio: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    services, ids = trio
    root = services.workspace.root
    # a colleague holds the same case and sends an update back: importing it over the
    # existing case first copies the case file into backups/imports
    colleague = open_services(tmp_path / "colleague")
    try:
        drop = tmp_path / "drop"
        drop.mkdir()
        services.partners.add("Colleague", "advisor", folder=drop)
        services.partners.share_with(ids["ondine"], "Colleague", "signed form")
        package_id, _changes = services.exchange.export(ids["ondine"], "Colleague")
        package = services.outbox.package_path(package_id)
        colleague.exchange.import_package(package)
        colleague.cases.update_person(ids["ondine"], {"phone": "07 00 00 00 01"})
        colleague.partners.add("Back", "advisor", folder=drop)
        colleague.partners.share_with(ids["ondine"], "Back", "signed form")
        back_id, _changes = colleague.exchange.export(ids["ondine"], "Back")
        back = colleague.outbox.package_path(back_id)
        services.exchange.import_package(back)
    finally:
        colleague.close()
    assert list((root / "backups" / "imports").glob(f"{ids['ondine']}.*"))

    services.privacy.erase(ids["ondine"])

    assert named_after(root, ids["ondine"]) == []
    assert files_containing(root, NAME) == []


def test_erasure_reaches_an_interrupted_backup_and_a_backup_whose_manifest_is_unreadable(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    root = services.workspace.root
    backup = services.backups.back_up_now()
    # a backup killed before its last rename stays as a hidden .partial folder
    shutil.copytree(backup.path, root / "backups" / f".{backup.name}-2.partial")
    # and one whose manifest was damaged is no longer listed, but holds the case
    damaged = services.backups.back_up_now()
    (damaged.path / "manifest.json").write_text("{not json", encoding="utf-8")

    services.privacy.erase(ids["ondine"])
    services.close()

    assert named_after(root, ids["ondine"]) == []
    assert files_containing(root, NAME) == []


def test_erasure_removes_the_queued_and_sent_packages_of_the_person_only(
    trio: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    services, ids = trio
    drop = tmp_path / "drop"
    drop.mkdir()
    services.partners.add("Initiative Creuse", "network", folder=drop, reports=[])
    for who in ("ondine", "basile"):
        services.partners.share_with(ids[who], "Initiative Creuse", "signed form")
    sent, _changes = services.exchange.export(ids["ondine"], "Initiative Creuse")
    assert services.outbox.sync().sent == [sent]
    queued, _changes = services.exchange.export(ids["ondine"], "Initiative Creuse")
    other, _changes = services.exchange.export(ids["basile"], "Initiative Creuse")
    # a package whose outbox row was lost (a catalog set aside and created anew)
    stray = services.workspace.outbox_dir / "boussole-lost-row.zip"
    shutil.copyfile(services.outbox.package_path(queued), stray)

    services.privacy.erase(ids["ondine"])

    outbox = services.workspace.outbox_dir
    assert sorted(p.name for p in outbox.iterdir()) == [f"boussole-{other}.zip"]
    assert [item.package_id for item in services.outbox.items()] == [other]
    assert files_containing(services.workspace.root, NAME) == []


def test_check_names_what_is_left_of_an_erased_case_and_erase_removes_it(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    root = services.workspace.root
    backup = services.backups.back_up_now()
    kept = root.parent / "kept-aside"
    shutil.copytree(backup.path, kept)
    services.privacy.erase(ids["ondine"])
    assert services.maintenance.run_check().ok
    # someone puts an old copy of the backup back by hand
    shutil.rmtree(backup.path)
    shutil.copytree(kept, backup.path)

    report = services.maintenance.run_check()

    assert not report.ok
    left = [error for case_id, error in report.problems if case_id == ids["ondine"]]
    assert left, report.problems
    assert any("erased" in error.message for error in left)
    services.privacy.erase(ids["ondine"])  # a leftover is enough to erase again
    assert services.maintenance.run_check().ok
    assert named_after(root, ids["ondine"]) == []


def test_erase_of_a_case_never_held_still_says_there_is_no_such_case(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, _ids = trio
    root = services.workspace.root
    services.backups.back_up_now()
    services.close()

    def files() -> list[Path]:  # a refused command may only add to the backups
        return sorted(p.relative_to(root) for p in root.rglob("*") if "backups" not in p.parts)

    before = files()
    code, _out, err = run_cli(root, "erase", "3f2a9c4e-5b1d-4c2e-9a7f-0e8d6c5b4a31", "--yes")
    assert code == 1 and "There is no case" in err
    assert files() == before


def test_the_erase_journal_names_nothing_but_the_case_number(
    trio: tuple[Services, dict[str, str]],
) -> None:
    services, ids = trio
    root = services.workspace.root
    services.backups.back_up_now()
    services.close()
    assert erase_killed_before_the_backups(root, ids["ondine"]) == -9

    [journal] = (root / "erasing").glob("*.json")
    assert journal.name == f"{ids['ondine']}.json"
    data = json.loads(journal.read_text(encoding="utf-8"))
    assert data["case_id"] == ids["ondine"]
    assert NAME not in journal.read_text(encoding="utf-8")
    assert oct(os.stat(journal).st_mode & 0o777) == oct(0o600)


def test_restoring_the_state_of_an_older_backup_brings_back_no_package_of_an_erased_case(
    trio: tuple[Services, dict[str, str]], tmp_path: Path
) -> None:
    services, ids = trio
    drop = tmp_path / "drop"
    drop.mkdir()
    services.partners.add("Initiative Creuse", "network", folder=drop, reports=[])
    for who in ("ondine", "basile"):
        services.partners.share_with(ids[who], "Initiative Creuse", "signed form")
    services.exchange.export(ids["ondine"], "Initiative Creuse")
    kept, _changes = services.exchange.export(ids["basile"], "Initiative Creuse")
    backup = services.backups.back_up_now()

    services.privacy.erase(ids["ondine"])
    services.backups.restore_state(backup.name)

    assert [item.package_id for item in services.outbox.items()] == [kept]
    assert services.maintenance.run_check().ok
