"""`advisor-app report ...`: the four reports from the command line."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from advisor_app.cli import main
from advisor_app.reports import REPORT_KINDS
from advisor_app.services import Services
from tests.reports.conftest import PrintedCase


@pytest.fixture
def workspace(services: Services, printed_case: PrintedCase) -> Path:
    root = services.workspace.root
    services.close()
    return root


def test_each_registered_report_prints_from_the_command_line(
    workspace: Path, printed_case: PrintedCase, tmp_path: Path
) -> None:
    base = ["--workspace", str(workspace), "report"]
    commands = {
        "progress": [printed_case.case_id],
        "committee": [printed_case.case_id, "--funding", printed_case.funding_id],
        "activity": ["--from", "2026-01-01", "--to", "31/12/2026"],
        "attendance": [printed_case.case_id, "--from", "2026-02-01", "--to", "2026-02-28"],
    }
    assert set(commands) == {kind.key for kind in REPORT_KINDS}
    for key, arguments in commands.items():
        out = tmp_path / f"{key}.pdf"
        assert main([*base, key, *arguments, "-o", str(out), "--lang", "fr"]) == 0
        assert len(PdfReader(out).pages) >= 1


def test_a_protected_committee_file_from_the_command_line(
    workspace: Path, printed_case: PrintedCase, tmp_path: Path
) -> None:
    """The password comes from a file, never from the command line; the file is its
    owner's only."""
    secret = tmp_path / "password.txt"
    secret.write_text("un comité, douze signes au moins\n", encoding="utf-8")
    out = tmp_path / "c.pdf"
    base = ["--workspace", str(workspace), "report", "committee", printed_case.case_id]
    assert main([*base, "--password-file", str(secret), "-o", str(out)]) == 0
    reader = PdfReader(out)
    assert reader.is_encrypted
    reader.decrypt("un comité, douze signes au moins")
    assert "Lefèvre" in reader.pages[0].extract_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_password_on_the_command_line_is_refused(
    workspace: Path, printed_case: PrintedCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "c.pdf"
    code = main(
        [
            "--lang",
            "en",
            "--workspace",
            str(workspace),
            "report",
            "committee",
            printed_case.case_id,
            "--password",
            "a long enough password",
            "-o",
            str(out),
        ]
    )
    assert code == 1
    assert "never typed on the command line" in capsys.readouterr().err
    assert not out.exists()


def test_an_unknown_case_is_a_refusal_not_a_crash(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "--workspace",
            str(workspace),
            "report",
            "progress",
            "nope",
            "-o",
            str(tmp_path / "p.pdf"),
            "--lang",
            "en",
        ]
    )
    assert code == 1
    assert capsys.readouterr().err.strip()
    assert not (tmp_path / "p.pdf").exists()


def test_a_missing_folder_is_refused_with_a_sentence(
    workspace: Path,
    printed_case: PrintedCase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        [
            "--workspace",
            str(workspace),
            "report",
            "progress",
            printed_case.case_id,
            "-o",
            str(tmp_path / "nowhere" / "p.pdf"),
            "--lang",
            "en",
        ]
    )
    assert code == 1
    assert "does not exist" in capsys.readouterr().err
