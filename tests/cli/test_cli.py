"""The command line: the same services, exit codes that scripts can trust."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from advisor_app.cli import main
from tests.conftest import run_cli


def cli(arguments: list[str]) -> int:
    """The command line, with messages in English for the assertions."""
    return main(["--lang", "en", *arguments])


def test_new_case_then_appointment_then_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(tmp_path / "ws")
    assert (
        cli(
            [
                "--workspace",
                ws,
                "new-case",
                "--first-name",
                "Zoé",
                "--last-name",
                "Müller",
                "--project",
                "Épicerie vrac",
                "--commune",
                "Felletin",
                "--opened-on",
                "2026-03-01",
            ]
        )
        == 0
    )
    case_id = capsys.readouterr().out.strip()
    assert (
        cli(
            [
                "--workspace",
                ws,
                "add-appointment",
                case_id,
                "--start",
                "2026-03-02T09:30",
                "--minutes",
                "90",
                "--mode",
                "office",
                "--status",
                "done",
                "--topic",
                "Diagnostic",
            ]
        )
        == 0
    )
    assert (
        cli(
            [
                "--lang",
                "en",
                "--workspace",
                ws,
                "done-milestone",
                case_id,
                "welcome",
                "--date",
                "2026-03-02",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert cli(["--workspace", ws, "show", case_id, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["person"]["first_name"] == "Zoé"
    assert shown["done_minutes"] == 90
    assert shown["milestones"][0]["done_on"] == "2026-03-02"


def test_refusals_exit_1_with_a_sentence_and_wrong_usage_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = str(tmp_path / "ws")
    cli(
        [
            "--lang",
            "en",
            "--workspace",
            ws,
            "new-case",
            "--first-name",
            "Léa",
            "--last-name",
            "Noël",
        ]
    )
    case_id = capsys.readouterr().out.strip()
    code = cli(
        [
            "--workspace",
            ws,
            "add-appointment",
            case_id,
            "--start",
            "2026-03-02T09:30",
            "--minutes",
            "900",
            "--mode",
            "office",
        ]
    )
    assert code == 1
    assert "12 hours" in capsys.readouterr().err
    assert (
        cli(
            [
                "--workspace",
                ws,
                "add-appointment",
                case_id,
                "--start",
                "mardi",
                "--minutes",
                "60",
                "--mode",
                "office",
            ]
        )
        == 1
    )
    assert "not a date" in capsys.readouterr().err
    assert cli(["--workspace", ws, "show", "no-such-case"]) == 1
    with pytest.raises(SystemExit) as usage:
        cli(["--workspace", ws, "add-appointment"])
    assert usage.value.code == 2


def test_demo_check_list_and_a_garbage_case_file(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert run_cli(ws, "demo", "--cases", "30", "--seed", "1")[0] == 0
    code, out, _err = run_cli(ws, "check", "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    assert len(list((ws / "cases").glob("*.case"))) == 30
    code, out, _err = run_cli(ws, "list", "--search", "levain", "--json")
    assert code == 0
    victim = sorted((ws / "cases").glob("*.case"))[0]
    victim.write_bytes(b"garbage" * 500)
    code, out, _err = run_cli(ws, "check", "--json")
    report = json.loads(out)
    assert code == 1
    assert victim.name in report["problems"][0]["message"]
    code, out, _err = run_cli(ws, "list", "--json")
    rows = json.loads(out)
    assert code == 0
    assert len([r for r in rows if not r["damaged"]]) == 29
    assert [r["case_id"] for r in rows if r["damaged"]] == [victim.stem]


def test_agenda_and_rebuild_index(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run_cli(ws, "demo", "--cases", "10", "--seed", "2")
    code, out, _err = run_cli(ws, "agenda", "--from", "2020-01-01", "--to", "2030-12-31", "--json")
    assert code == 0 and len(json.loads(out)) > 10
    assert run_cli(ws, "rebuild-index")[0] == 0
    assert json.loads(run_cli(ws, "check", "--json")[1])["ok"] is True


def test_without_a_display_the_application_says_to_use_the_command_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "en_GB.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "advisor_app", "--workspace", str(tmp_path / "ws")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert "no graphical display" in result.stderr
    assert "advisor-app list" in result.stderr
    assert "Traceback" not in result.stderr
