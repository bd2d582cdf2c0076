"""A command loads what it needs and no more, and the first command of the day answers before
today's backup, which follows in a process of its own.

What is loaded is read in `sys.modules` of a child process that ran the command: a script
that calls `advisor-app` a hundred times pays for each import a hundred times.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from advisor_app.services import AppointmentDraft, NewCase, Services
from advisor_app.services.backups import DAILY_MARKER
from advisor_app.storage.backups import list_backups
from tests.cli.daily import wait_for_todays_backup
from tests.conftest import fixed_clock, run_cli

# What only some commands need: the database layer, the PDF reports, the exchange of
# packages (schemas, keyring, calendar), the spreadsheets, the window.
HEAVY = (
    "sqlalchemy",
    "reportlab",
    "pypdf",
    "jsonschema",
    "keyring",
    "icalendar",
    "openpyxl",
    "PySide6",
    "advisor_app.storage",
    "advisor_app.reports",
    "advisor_app.exchange",
    "advisor_app.sheets",
)

# Runs the command line as `advisor-app` does, then says which of HEAVY it loaded.
# The process leaves without tearing the interpreter down (launcher.leave), after the
# functions registered to run at exit: the list is printed by one of them.
PROBE = """
import atexit, json, sys
atexit.register(lambda: print("LOADED " + json.dumps(sorted(sys.modules)), file=sys.stderr))
from advisor_app.launcher import main
sys.exit(main())
"""


def loaded(*arguments: str) -> set[str]:
    """The modules among HEAVY that `advisor-app ARGUMENTS` loaded (by their top package, or
    by their name for Boussole's own layers)."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--lang", "en", *arguments],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    line = next(x for x in result.stderr.splitlines() if x.startswith("LOADED "))
    modules = json.loads(line.removeprefix("LOADED "))
    return {
        heavy
        for heavy in HEAVY
        for name in modules
        if name == heavy or name.startswith(heavy + ".")
    }


def a_workspace(root: Path) -> str:
    """Maëlle Quéré's case, with one appointment, and today's backup already made."""
    services = Services.open(root)
    case_id, _duplicates, _changes = services.cases.create(
        NewCase(first_name="Maëlle", last_name="Quéré", project_title="Fromagerie")
    )
    services.appointments.add(case_id, AppointmentDraft(start=fixed_clock(), minutes=60))
    services.backups.back_up_now()
    services.close()
    return case_id


def test_help_and_version_load_no_database_report_or_exchange() -> None:
    assert loaded("--help") == set()
    assert loaded("--version") == set()
    assert loaded("list", "--help") == set()
    assert loaded("lst") == set()  # a mistyped command: the list of commands, nothing more


def test_listing_the_cases_loads_neither_the_reports_nor_the_exchange(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    a_workspace(root)
    # the list reads the catalog in plain SQL: not even the database layer is loaded
    assert loaded("--workspace", str(root), "list", "--search", "Quéré") == {"advisor_app.storage"}
    assert loaded(
        "--workspace", str(root), "agenda", "--from", "2026-11-01", "--to", "2026-11-30"
    ) == {"sqlalchemy", "advisor_app.storage"}


def test_recording_an_appointment_loads_neither_the_reports_nor_the_exchange(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    case_id = a_workspace(root)
    arguments = ("add-appointment", case_id, "--start", "2026-12-01T09:30", "--minutes", "45")
    assert loaded("--workspace", str(root), *arguments, "--mode", "office") == {
        "sqlalchemy",
        "advisor_app.storage",
    }
    assert loaded("--workspace", str(root), "note", "add", case_id, "--text", "Appelée") == {
        "sqlalchemy",
        "advisor_app.storage",
    }


def test_the_first_command_of_the_day_answers_then_todays_backup_follows(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    code, out, err = run_cli(root, "new-case", "--first-name", "Jade", "--last-name", "Morel")
    assert code == 0, err
    case_id = out.strip()
    assert "backup" not in err  # nothing to wait for, nothing said
    wait_for_todays_backup(root)
    (backup,) = list_backups(root / "backups")
    assert backup.kind == "daily"
    assert case_id in backup.case_ids  # made after the command: it holds what was saved

    assert run_cli(root, "list")[0] == 0  # the next command of the day: no other backup
    assert not (root / "backups" / DAILY_MARKER).exists()
    assert len(list_backups(root / "backups")) == 1


def test_a_command_run_while_todays_backup_is_being_made_starts_no_other(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    a_workspace(root)
    shutil.rmtree(root / "backups")  # yesterday's workspace, say: today's backup is due
    services = Services.open(root)
    assert services.backups.claim_daily_backup()  # another command's backup, under way
    assert not services.backups.claim_daily_backup()

    assert run_cli(root, "list")[0] == 0
    assert list_backups(root / "backups") == []  # it left the backup to the one making it

    assert services.backups.make_claimed_daily_backup() is not None
    assert not (root / "backups" / DAILY_MARKER).exists()
    assert not services.backups.claim_daily_backup()  # made: due again tomorrow only
    services.close()


def test_a_backup_whose_process_was_killed_is_made_by_the_next_command(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    a_workspace(root)
    shutil.rmtree(root / "backups")
    (root / "backups").mkdir(mode=0o700)
    marker = root / "backups" / DAILY_MARKER  # left by a process that was killed hours ago
    marker.touch()
    two_hours_ago = time.time() - 2 * 3600
    os.utime(marker, (two_hours_ago, two_hours_ago))

    assert run_cli(root, "list")[0] == 0
    wait_for_todays_backup(root)
    assert len(list_backups(root / "backups")) == 1


def test_the_backup_of_an_encrypted_workspace_opens_it_with_the_passphrase_given(
    tmp_path: Path,
) -> None:
    root = tmp_path / "ws"
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("une phrase de passe assez longue\n", encoding="utf-8")
    services = Services.open(root, passphrase="une phrase de passe assez longue")
    case_id, _duplicates, _changes = services.cases.create(
        NewCase(first_name="Ondine", last_name="Fabre")
    )
    services.close()
    shutil.rmtree(root / "backups", ignore_errors=True)

    code, _out, err = run_cli(root, "--passphrase-file", str(passphrase), "show", case_id)
    assert code == 0, err
    wait_for_todays_backup(root)
    (backup,) = list_backups(root / "backups")
    assert backup.case_ids == (case_id,)


def test_a_command_process_ends_with_its_whole_answer_and_its_exit_code(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    case_id = a_workspace(root)
    command = [sys.executable, "-c", PROBE, "--lang", "en", "--workspace", str(root)]
    shown = subprocess.run(
        [*command, "show", case_id, "--json"], capture_output=True, text=True, check=False
    )
    assert shown.returncode == 0
    assert json.loads(shown.stdout)["person"]["last_name"] == "Quéré"  # every byte, flushed
    missing = subprocess.run(
        [*command, "show", "3f2a9c4e-5b1d-4c2e-9a7f-0e8d6c5b4a31"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 1
    assert "There is no case" in missing.stderr
