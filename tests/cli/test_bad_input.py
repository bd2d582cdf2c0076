"""Whatever an advisor (or a script) types, the command line answers with a sentence and exit 1
or 2: never "Unexpected error", never a traceback, never a wait without end.

Each bad input of the adversarial run's finding 9 runs in a child process, as typed in a
shell, with a time limit. Files written with -o follow one rule for every command: an
existing file is replaced, a folder, a device or a pipe is refused with a sentence.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from advisor_app.services import AppointmentDraft, NewCase, Services
from advisor_app.storage.workspace import Workspace
from tests.cli.daily import wait_for_todays_backup
from tests.conftest import fixed_clock

LIMIT_S = 60  # a command that reads /dev/zero or waits on a pipe would never finish


def typed(workspace: Path, *arguments: str | bytes) -> tuple[int, str, str]:
    """`advisor-app --workspace W --lang en ...` in a child process, bytes passed as the shell
    passes them (not UTF-8 included): its exit code, standard output and standard error."""
    command: list[str | bytes] = [
        sys.executable,
        "-m",
        "advisor_app",
        "--workspace",
        str(workspace),
        "--lang",
        "en",
        *arguments,
    ]
    result = subprocess.run(
        command,
        capture_output=True,
        check=False,
        stdin=subprocess.DEVNULL,
        timeout=LIMIT_S,
    )
    return (
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )


def assert_a_sentence(result: tuple[int, str, str], *words: str) -> None:
    code, _out, err = result
    assert code in (1, 2), err
    assert "Unexpected error" not in err
    assert "Traceback" not in err
    assert err.strip(), "a refusal says why"
    for word in words:
        assert word in err


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A workspace holding Maëlle Quéré's case, with one planned appointment."""
    root = tmp_path_factory.mktemp("bad-input") / "ws"
    services = Services(Workspace.open(root), clock=fixed_clock)
    case_id, _dup, _changes = services.cases.create(
        NewCase(first_name="Maëlle", last_name="Quéré", project_title="Fromagerie")
    )
    services.appointments.add(
        case_id, AppointmentDraft(start=fixed_clock().replace(hour=9), minutes=60, topic="Plan")
    )
    services.close()
    assert typed(root, "list")[0] == 0  # today's backup made: a refusal changes nothing
    wait_for_todays_backup(root)
    return root, case_id


def snapshot(root: Path) -> dict[str, bytes]:
    """The workspace's files, less the lock file and SQLite's shared memory (which reads
    touch)."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != ".lock" and not path.name.endswith("-shm")
    }


def test_a_time_zone_in_start_is_refused_as_local_time_is_meant(
    workspace: tuple[Path, str],
) -> None:
    root, case_id = workspace
    before = snapshot(root)
    result = typed(
        root,
        "add-appointment",
        case_id,
        "--start",
        "2026-03-14T09:30+02:00",
        "--minutes",
        "30",
        "--mode",
        "office",
    )
    assert_a_sentence(result, "time zone")
    assert snapshot(root) == before


def test_a_year_9999_is_refused_at_entry_and_reports_and_the_calendar_still_work(
    workspace: tuple[Path, str], tmp_path: Path
) -> None:
    root, case_id = workspace
    result = typed(
        root, "add-appointment", case_id, "--start", "9999-12-31T23:59", "--minutes", "30",
        "--mode", "office",
    )  # fmt: skip
    assert_a_sentence(result, "1900 to 2100")
    assert typed(root, "ics", "-o", str(tmp_path / "agenda.ics"))[0] == 0
    report = typed(root, "report", "progress", case_id, "-o", str(tmp_path / "progress.pdf"))
    assert report[0] == 0, report[2]


@pytest.mark.parametrize(
    "arguments",
    [
        ("agenda", "--from", "2026-01-01", "--to", "9999-12-31"),
        ("report", "activity", "--from", "2026-01-01", "--to", "9999-12-31", "-o", "a.pdf"),
        ("new-case", "--first-name", "Ana", "--last-name", "Lo", "--opened-on", "0001-01-01"),
    ],
    ids=["agenda", "activity report", "opening day"],
)
def test_a_period_or_a_day_outside_the_years_kept_is_refused(
    workspace: tuple[Path, str], arguments: Sequence[str]
) -> None:
    root, _case_id = workspace
    assert_a_sentence(typed(root, *arguments), "outside the years Boussole keeps")


def test_a_name_that_is_not_utf8_is_refused_before_anything_runs(
    workspace: tuple[Path, str],
) -> None:
    root, _case_id = workspace
    before = snapshot(root)
    result = typed(root, "new-case", "--first-name", b"Ma\xebl\xff", "--last-name", "Quéré")
    assert_a_sentence(result, "--first-name", "not valid text")
    assert result[0] == 2
    assert snapshot(root) == before


def test_an_id_of_120_kb_gets_a_short_sentence(workspace: tuple[Path, str]) -> None:
    root, _case_id = workspace
    for command in (
        ("show", "{id}"),
        ("erase", "{id}", "--yes"),
        ("note", "add", "{id}", "--text", "x"),
    ):
        result = typed(root, *[part.format(id="a" * 120_000) for part in command])
        assert_a_sentence(result, "is not a case number")
        assert len(result[2]) < 1_000


@pytest.mark.parametrize("kind", ["file", "/dev/null"])
def test_a_workspace_that_is_not_a_folder_is_refused(tmp_path: Path, kind: str) -> None:
    target = Path("/dev/null")
    if kind == "file":
        target = tmp_path / "notes.txt"
        target.write_text("not a workspace", encoding="utf-8")
    assert_a_sentence(typed(target, "list"), "is not a folder")
    assert Path("/dev/null").is_char_device()
    if kind == "file":
        assert target.read_text(encoding="utf-8") == "not a workspace"


def test_an_existing_file_given_to_o_is_replaced_by_every_command(
    workspace: tuple[Path, str], tmp_path: Path
) -> None:
    root, case_id = workspace
    report, calendar = tmp_path / "old.pdf", tmp_path / "old.ics"
    for path in (report, calendar):
        path.write_bytes(b"an older version")
    assert typed(root, "report", "progress", case_id, "-o", str(report))[0] == 0
    assert typed(root, "ics", "-o", str(calendar))[0] == 0
    assert report.read_bytes().startswith(b"%PDF")
    assert calendar.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_a_folder_or_a_device_given_to_ics_o_is_refused_and_nothing_is_left_beside_it(
    workspace: tuple[Path, str], tmp_path: Path
) -> None:
    root, _case_id = workspace
    folder = tmp_path / "exports"
    folder.mkdir()
    assert_a_sentence(typed(root, "ics", "-o", str(folder)), "is a folder")
    assert_a_sentence(typed(root, "ics", "-o", "/dev/null"), "not an ordinary file")
    assert list(tmp_path.iterdir()) == [folder] and not list(folder.iterdir())
    assert Path("/dev/null").is_char_device()


def test_a_report_given_a_folder_is_written_into_it_under_its_document_name(
    workspace: tuple[Path, str], tmp_path: Path
) -> None:
    root, case_id = workspace
    folder = tmp_path / "exports"
    folder.mkdir()
    code, out, err = typed(root, "report", "progress", case_id, "-o", str(folder))
    assert code == 0, err
    (written,) = folder.iterdir()
    assert written.suffix == ".pdf" and written.read_bytes().startswith(b"%PDF")
    assert str(written) in out
    code, _out, _err = typed(root, "report", "progress", case_id, "-o", str(folder))
    assert code == 0
    assert len(list(folder.iterdir())) == 2  # the second one beside, never over, the first
    assert_a_sentence(
        typed(root, "report", "progress", case_id, "-o", "/dev/null"), "not an ordinary file"
    )


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="/proc is Linux's")
@pytest.mark.parametrize("target", ["/proc", "/proc/agenda.ics"])
def test_o_in_proc_gets_a_sentence(workspace: tuple[Path, str], target: str) -> None:
    root, case_id = workspace
    assert_a_sentence(typed(root, "ics", "-o", target))
    assert_a_sentence(typed(root, "report", "progress", case_id, "-o", target))


def test_access_export_into_an_existing_file_is_refused(
    workspace: tuple[Path, str], tmp_path: Path
) -> None:
    root, case_id = workspace
    existing = tmp_path / "export.pdf"
    existing.write_bytes(b"kept")
    assert_a_sentence(typed(root, "access-export", case_id, "-o", str(existing)), "not a folder")
    assert existing.read_bytes() == b"kept"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX's")
@pytest.mark.parametrize("source", ["pipe", "/dev/zero", "/dev/urandom", "folder"])
def test_importing_what_is_not_a_file_is_refused_at_once(
    workspace: tuple[Path, str], tmp_path: Path, source: str
) -> None:
    root, _case_id = workspace
    path = Path(source)
    if source == "pipe":
        path = tmp_path / "package.zip"
        os.mkfifo(path)  # nobody ever writes into it: reading would wait for ever
    elif source == "folder":
        path = tmp_path / "package"
        path.mkdir()
    before = snapshot(root)
    assert_a_sentence(typed(root, "import", str(path)), "is not a package file")
    assert snapshot(root) == before


@pytest.mark.parametrize(
    "arguments",
    [
        ("note", "add", "{case}", "--text-file", "/dev/zero"),
        ("edit", "{case}", "--set", "project.description=@/dev/urandom"),
        ("add-appointment", "{case}", "--start", "2026-12-01T10:00", "--minutes", "30",
         "--mode", "office", "--summary", "@/dev/zero"),
    ],
    ids=["note", "edit", "appointment"],
)  # fmt: skip
def test_a_text_read_from_a_device_is_refused_at_once(
    workspace: tuple[Path, str], arguments: Sequence[str]
) -> None:
    root, case_id = workspace
    before = snapshot(root)
    result = typed(root, *[part.format(case=case_id) for part in arguments])
    assert_a_sentence(result, "not an ordinary file")
    assert snapshot(root) == before


def test_a_passphrase_file_that_never_ends_is_read_no_further_than_its_first_line(
    workspace: tuple[Path, str],
) -> None:
    root, _case_id = workspace
    assert_a_sentence(typed(root, "--passphrase-file", "/dev/zero", "list"))


def test_a_text_over_20000_characters_is_refused_with_a_sentence(
    workspace: tuple[Path, str], tmp_path: Path
) -> None:
    root, case_id = workspace
    before = snapshot(root)
    long_text = tmp_path / "long.txt"
    long_text.write_text("é" * 20_001, encoding="utf-8")
    for arguments in (
        ("note", "add", case_id, "--text-file", str(long_text)),
        ("edit", case_id, "--set", f"project.advisor_opinion=@{long_text}"),
        ("edit", case_id, "--set", "person.commune=" + "x" * 201),
    ):
        assert_a_sentence(typed(root, *arguments), "too long")
    assert snapshot(root) == before


@pytest.mark.parametrize(
    "arguments",
    [
        ("plan", "add-line", "{case}", "--need", "Four", "1e999999"),
        ("funding", "add", "{case}", "--funder", "ADIE", "--kind", "microcredit",
         "--amount", "99999999999999999999", "--annual-rate", "1e999999"),
        ("edit", "{case}", "--set", "project.expected_jobs=99999999999999999999999"),
        ("add-appointment", "{case}", "--start", "2026-12-01T10:00", "--minutes",
         "99999999999999999999", "--mode", "office"),
    ],
    ids=["plan", "funding", "jobs", "minutes"],
)  # fmt: skip
def test_numbers_too_large_to_keep_are_refused(
    workspace: tuple[Path, str], arguments: Sequence[str]
) -> None:
    root, case_id = workspace
    before = snapshot(root)
    assert_a_sentence(typed(root, *[part.format(case=case_id) for part in arguments]))
    assert snapshot(root) == before


@pytest.mark.parametrize(
    "arguments",
    [
        ("partner", "add", "Relais", "--folder", "/dev/null"),
        ("settings", "set", "--min-group", "9" * 23),
        ("demo", "--cases", "99999999999999"),
    ],
    ids=["partner folder", "smallest group", "demo"],
)
def test_settings_and_sizes_out_of_reason_are_refused(
    workspace: tuple[Path, str], arguments: Sequence[str]
) -> None:
    root, _case_id = workspace
    before = snapshot(root)
    assert_a_sentence(typed(root, *arguments))
    assert snapshot(root) == before
