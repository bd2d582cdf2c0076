"""A command on one case does not first look at every case file (a twentieth of a second at
10,000 cases): its write brings the case's own line of the catalog up to date, and the next
list brings in what changed elsewhere."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from advisor_app.services import NewCase, Services
from tests.conftest import fixed_clock, run_cli


def a_case(root: Path, first: str, last: str) -> str:
    services = Services.open(root, clock=fixed_clock)
    case_id, _duplicates, _changes = services.cases.create(
        NewCase(first_name=first, last_name=last, project_title="Fromagerie")
    )
    services.backups.back_up_now()
    services.close()
    return case_id


def listed(root: Path, text: str) -> list[str]:
    code, out, err = run_cli(root, "list", "--search", text, "--json")
    assert code == 0, err
    return [line["last_name"] for line in json.loads(out)]


def test_a_note_on_a_case_copied_in_by_hand_saves_it_and_lists_it(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    a_case(root, "Maëlle", "Quéré")
    elsewhere = tmp_path / "laptop"
    arrived = a_case(elsewhere, "Yannick", "Le Gall")
    shutil.copy2(elsewhere / "cases" / f"{arrived}.case", root / "cases")

    code, out, err = run_cli(root, "note", "add", arrived, "--text", "Rappeler jeudi")
    assert code == 0, err
    assert listed(root, "Gall") == ["Le Gall"]
    code, out, err = run_cli(root, "show", arrived, "--json")
    assert code == 0, err
    assert "Rappeler jeudi" in out


def test_a_case_file_removed_by_hand_leaves_the_list_at_the_next_list(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    kept = a_case(root, "Maëlle", "Quéré")
    gone = a_case(root, "Yannick", "Le Gall")
    (root / "cases" / f"{gone}.case").unlink()

    code, _out, err = run_cli(root, "note", "add", kept, "--text", "Vue au marché")
    assert code == 0, err
    assert listed(root, "Gall") == []
    assert listed(root, "Quéré") == ["Quéré"]
