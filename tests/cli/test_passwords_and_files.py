"""Passwords and files that hold personal data, from the command line.

A committee file's password has at least 12 characters and never appears on the command line:
it comes from a file or is asked twice on the terminal. What the command line writes about a
person (reports, the calendar file, packages for partners) is readable by its owner only. `--lang` before the
command sets the language of the report too, and the demo names who prints.
"""

from __future__ import annotations

import json
import os
import pty
import select
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from advisor_app.cli import main
from advisor_app.services.demo_data import ADVISOR, ORGANISATION
from tests.conftest import run_cli

PASSWORD = "le levain monte à l'aube"


def cli(workspace: Path, *arguments: str) -> int:
    return main(["--lang", "en", "--workspace", str(workspace), *arguments])


@pytest.fixture
def case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    """A workspace holding one case with a planned appointment."""
    ws = tmp_path / "ws"
    assert cli(ws, "new-case", "--first-name", "Léon", "--last-name", "Bréhat") == 0
    case_id = capsys.readouterr().out.strip()
    assert (
        cli(
            ws,
            "add-appointment",
            case_id,
            "--start",
            "2031-03-02T09:30",
            "--minutes",
            "60",
            "--mode",
            "office",
            "--topic",
            "Plan de financement",
        )
        == 0
    )
    capsys.readouterr()
    return ws, case_id


def owner_only(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_short_password_is_refused_and_nothing_is_written(
    case: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws, case_id = case
    secret = tmp_path / "password.txt"
    secret.write_text("comité2027\n", encoding="utf-8")  # 10 characters
    out = tmp_path / "c.pdf"
    code = cli(ws, "report", "committee", case_id, "--password-file", str(secret), "-o", str(out))
    assert code == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert not out.exists()


def test_a_password_given_as_an_argument_is_refused(
    case: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws, case_id = case
    out = tmp_path / "c.pdf"
    assert cli(ws, "report", "committee", case_id, "--password", PASSWORD, "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert "Passwords are never typed on the command line" in err and "--password-file" in err
    assert not out.exists()


def test_without_a_terminal_the_password_comes_from_a_file(
    case: tuple[Path, str], tmp_path: Path
) -> None:
    ws, case_id = case
    out = tmp_path / "c.pdf"
    code, _out, err = run_cli(ws, "report", "committee", case_id, "--protect", "-o", str(out))
    assert code == 1
    assert "no terminal" in err and "--password-file" in err
    assert not out.exists()


def _answer_prompts(workspace: Path, arguments: list[str], answers: list[str]) -> tuple[int, str]:
    """Run the command line on a terminal of its own (a pseudo-terminal, in a session with no
    other terminal), typing each answer once its prompt is shown; its exit code and stderr."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "advisor_app",
            "--workspace",
            str(workspace),
            "--lang",
            "en",
            *arguments,
        ],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    os.close(follower)
    assert process.stderr is not None
    seen = b""
    try:
        for prompt, answer in zip(
            ("Password of the file", "The same again"), answers, strict=False
        ):
            while prompt.encode() not in seen:
                ready, _w, _x = select.select([process.stderr], [], [], 60)
                assert ready, f"no prompt {prompt!r}: {seen!r}"
                chunk = os.read(process.stderr.fileno(), 4096)
                assert chunk, f"ended before {prompt!r}: {seen!r}"
                seen += chunk
            os.write(leader, f"{answer}\n".encode())
        _out, rest = process.communicate(timeout=120)
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()
    return process.returncode, (seen + rest).decode()


def test_on_a_terminal_the_password_is_asked_twice(case: tuple[Path, str], tmp_path: Path) -> None:
    ws, case_id = case
    out = tmp_path / "c.pdf"
    arguments = ["report", "committee", case_id, "--protect", "-o", str(out)]
    code, err = _answer_prompts(ws, arguments, [PASSWORD, "le levain monte à midi"])
    assert code == 1 and "The two passwords differ" in err
    assert not out.exists()
    code, err = _answer_prompts(ws, arguments, [PASSWORD, PASSWORD])
    assert code == 0, err
    reader = PdfReader(out)
    assert reader.is_encrypted and reader.decrypt(PASSWORD)
    assert "Bréhat" in reader.pages[0].extract_text()
    assert owner_only(out)


def test_reports_and_the_calendar_file_are_their_owners_only(
    case: tuple[Path, str], tmp_path: Path
) -> None:
    ws, case_id = case
    secret = tmp_path / "password.txt"
    secret.write_text(f"{PASSWORD}\n", encoding="utf-8")
    written = {
        "progress": tmp_path / "progress.pdf",
        "committee": tmp_path / "committee.pdf",
        "calendar": tmp_path / "agenda.ics",
    }
    assert cli(ws, "report", "progress", case_id, "-o", str(written["progress"])) == 0
    assert (
        cli(
            ws,
            "report",
            "committee",
            case_id,
            "--password-file",
            str(secret),
            "-o",
            str(written["committee"]),
        )
        == 0
    )
    written["calendar"].write_text("an older file, readable by all")
    written["calendar"].chmod(0o644)
    assert cli(ws, "ics", "--case", case_id, "-o", str(written["calendar"])) == 0
    assert b"Plan de financement" in written["calendar"].read_bytes()
    for name, path in written.items():
        assert owner_only(path), name
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _progress_report_text(
    ws: Path, case_id: str, out: Path, before: list[str], after: list[str]
) -> str:
    """The first page of the progress report, with options before and after the command."""
    arguments = ["--workspace", str(ws), "report", "progress", case_id, "-o", str(out)]
    assert main([*before, *arguments, *after]) == 0
    return PdfReader(out).pages[0].extract_text()


def test_the_language_given_before_the_command_is_the_report_s(
    case: tuple[Path, str], tmp_path: Path
) -> None:
    ws, case_id = case
    assert cli(ws, "settings", "set", "--language", "fr") == 0
    out = tmp_path / "progress.pdf"
    assert "Progress report" in _progress_report_text(ws, case_id, out, ["--lang", "en"], [])
    assert "Rapport de suivi" in _progress_report_text(ws, case_id, out, ["--lang", "fr"], [])
    # The report's own --lang, after its name, wins.
    english = _progress_report_text(ws, case_id, out, ["--lang", "fr"], ["--lang", "en"])
    assert "Progress report" in english


def test_the_demo_names_who_prints_its_reports_unless_already_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = tmp_path / "ws"
    assert cli(ws, "demo", "--cases", "2") == 0
    capsys.readouterr()
    assert cli(ws, "settings", "show", "--json") == 0
    settings = json.loads(capsys.readouterr().out)
    assert (settings["organisation"], settings["advisor_name"]) == (ORGANISATION, ADVISOR)

    other = tmp_path / "other"
    assert cli(other, "settings", "set", "--advisor", "Hélène Dupré") == 0
    assert cli(other, "demo", "--cases", "1") == 0
    capsys.readouterr()
    assert cli(other, "settings", "show") == 0
    shown = capsys.readouterr().out
    assert "Advisor: Hélène Dupré" in shown and f"Organisation: {ORGANISATION}" in shown


def test_the_packages_for_partners_are_their_owners_only(
    case: tuple[Path, str], tmp_path: Path
) -> None:
    ws, case_id = case
    drop = tmp_path / "partner"
    drop.mkdir()
    assert cli(ws, "partner", "add", "Initiative Creuse", "--folder", str(drop)) == 0
    assert cli(ws, "consent", case_id, "--share-with", "Initiative Creuse", "--how", "oral") == 0
    assert cli(ws, "export", case_id, "--partner", "Initiative Creuse") == 0
    [package] = (ws / "outbox").iterdir()
    assert owner_only(package)
    assert cli(ws, "sync") == 0
    [delivered] = drop.iterdir()
    assert owner_only(delivered)
