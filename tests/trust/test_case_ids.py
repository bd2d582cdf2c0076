"""Case numbers are UUIDs wherever they enter: none reaches outside the cases folder, a file
holding another case is refused as damaged, and nothing hides from `check`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor_app.domain.errors import NotFoundError
from advisor_app.services import NewCase, Services
from advisor_app.storage.casefile import DamagedCaseFileError
from tests.conftest import run_cli


def _new_case(services: Services, last_name: str = "Dupré") -> str:
    case_id, _warnings, _changes = services.cases.create(
        NewCase(first_name="Amélie", last_name=last_name, processing_consent_how="signed form")
    )
    return case_id


@pytest.mark.parametrize(
    "arguments",
    [
        ["show", "../../victim"],
        [
            "add-appointment",
            "../../victim",
            "--start",
            "2026-03-14T09:30",
            "--minutes",
            "60",
            "--mode",
            "office",
        ],
        ["erase", "../../victim", "--yes"],
    ],
)
def test_a_case_number_that_points_outside_the_workspace_touches_nothing(
    tmp_path: Path, arguments: list[str]
) -> None:
    workspace = tmp_path / "a" / "b" / "ws"
    victim = tmp_path / "a" / "victim.case"
    victim.parent.mkdir(parents=True)
    victim.write_bytes(b"someone else's file")
    code, _out, err = run_cli(workspace, *arguments)
    assert code == 1
    assert "is not a case number" in err and "Unexpected" not in err
    assert victim.read_bytes() == b"someone else's file"


def test_a_huge_or_unprintable_id_is_refused_in_a_short_sentence(services: Services) -> None:
    with pytest.raises(NotFoundError) as refused:
        services.cases.get("x" * 120_000 + "\udcff")
    assert len(str(refused.value)) < 200


def test_a_case_file_holding_another_case_is_refused_as_damaged(services: Services) -> None:
    first, second = _new_case(services, "Un"), _new_case(services, "Deux")
    workspace = services.workspace
    shutil.copyfile(workspace.case_path(first), workspace.case_path(second))
    with pytest.raises(DamagedCaseFileError), workspace.reading(second):
        pass
    with pytest.raises(DamagedCaseFileError):
        services.notes.add_note(second, "written under the wrong number")
    with workspace.reading(first) as session:  # the original is untouched
        assert session is not None


def test_a_folder_named_like_a_case_file_is_reported_by_check(services: Services) -> None:
    _new_case(services)
    stray = services.workspace.cases_dir / "0b5d1c1e-7a8b-4c3d-9e2f-112233445566.case"
    stray.mkdir()
    (services.workspace.cases_dir / "notes-de-camille.case").write_text("pas un dossier")
    report = services.maintenance.run_check()
    named = [where for where, _error in report.problems]
    assert stray.name in named and "notes-de-camille.case" in named
    assert not report.ok
