"""`list --scope`, `agenda --scope` and `report activity --scope`: Claire's own cases, the
team's shared ones, or all, from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor_app.cli import main
from advisor_app.services import Services
from tests.reports.conftest import pdf_text
from tests.services.team_cases import COLLEAGUE, ME, TeamStory, claire_and_bruno


@pytest.fixture
def workspace(services: Services) -> tuple[Path, TeamStory]:
    story = claire_and_bruno(services)
    root = services.workspace.root
    services.close()
    return root, story


def _json(capsys: pytest.CaptureFixture[str], *arguments: str) -> list[dict[str, object]]:
    assert main(["--lang", "en", *arguments, "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert isinstance(found, list)
    return found


def test_list_keeps_to_the_scope(
    workspace: tuple[Path, TeamStory], capsys: pytest.CaptureFixture[str]
) -> None:
    root, story = workspace
    base = ("--workspace", str(root), "list")
    mine = _json(capsys, *base, "--scope", "mine")
    assert {row["case_id"] for row in mine} == {story.ines, story.marc}
    team = _json(capsys, *base, "--scope", "team")
    assert {(row["last_name"], row["advisor"], row["shared"]) for row in team} == {
        ("Olivier", ME, True),
        ("Lopes", COLLEAGUE, True),
        ("BENALI", COLLEAGUE, True),
    }
    assert len(_json(capsys, *base)) == 4  # all, as before a team

    assert main(["--lang", "en", *base, "--scope", "team", "--search", "lopes"]) == 0
    printed = capsys.readouterr()
    assert f"[{COLLEAGUE}]" in printed.out  # a shared case ends with its référent
    assert "1 case" in printed.err


def test_agenda_keeps_to_the_scope(
    workspace: tuple[Path, TeamStory], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _story = workspace
    base = ("--workspace", str(root), "agenda", "--from", "2026-11-23", "--to", "2026-11-29")
    mine = _json(capsys, *base, "--scope", "mine")
    assert [item["holder"] for item in mine] == ["Inès Benali", "Marc Olivier"]
    team = _json(capsys, *base, "--scope", "team")
    assert {item["advisor"] for item in team} == {ME, COLLEAGUE}
    assert len(team) == 3


def test_an_unknown_scope_is_refused_with_the_choices(
    workspace: tuple[Path, TeamStory], capsys: pytest.CaptureFixture[str]
) -> None:
    root, _story = workspace
    with pytest.raises(SystemExit) as stopped:
        main(["--lang", "en", "--workspace", str(root), "list", "--scope", "others"])
    assert stopped.value.code != 0
    assert "mine" in capsys.readouterr().err


def test_the_activity_report_says_whose_cases_it_covers(
    workspace: tuple[Path, TeamStory], tmp_path: Path
) -> None:
    root, _story = workspace
    base = ["--lang", "en", "--workspace", str(root), "report", "activity"]
    period = ["--from", "2026-01-01", "--to", "2026-12-31"]
    mine, everyone = tmp_path / "mine.pdf", tmp_path / "team.pdf"
    assert main([*base, *period, "-o", str(mine)]) == 0
    assert main([*base, *period, "--scope", "all", "-o", str(everyone)]) == 0
    own = " ".join(pdf_text(mine).split())
    assert f"Cases covered: those followed by {ME}." in own
    assert "People received 2" in own
    shared = " ".join(pdf_text(everyone).split())
    assert "those the team shares; each person is counted once" in shared
    assert "People received 3" in shared  # Inès, met by Claire and by Bruno, once
