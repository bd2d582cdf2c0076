"""The association's tracker imported from the command line: `import-sheet FILE`, its dry run,
its JSON, a second sheet of appointments, and `import-sheet --undo`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from advisor_app.cli import main
from advisor_app.services import NewCase, Services
from tests.conftest import fixed_clock, run_cli

# As Excel saves "CSV (séparateur : point-virgule)": Windows-1252, CRLF, a title line and a
# blank line above the header, a note with a line break and a semicolon inside quotes, the
# same person twice, a row with no first name.
TRACKER_CSV = (
    "Suivi des porteurs de projet 2024\r\n"
    "\r\n"
    "Nom;Prénom;Date de naissance;E-mail;Tél.;Commune;Projet;Date 1er RDV;Prêt d'honneur;"
    "Observations\r\n"
    "DUPONT;Amélie;03/02/1985;amelie.dupont@exemple.fr;06 12 34 56 78;Guéret;Boulangerie;"
    '04/03/2025;12 500,00 €;"Motivée ; suivie par France Travail.\r\nA un local en vue."\r\n'
    "Martin;Paul;NC;;;Aubusson;Garage solidaire;;NC;\r\n"
    "Dupont;Amelie;03/02/1985;;;;;;;Relancée en juin\r\n"
    "Sans prénom;;;;;;;;;\r\n"
)


def cli(workspace: Path, *arguments: str) -> int:
    return main(["--lang", "en", "--workspace", str(workspace), *arguments])


def run_json(
    workspace: Path, capsys: pytest.CaptureFixture[str], *arguments: str
) -> tuple[int, Any]:
    capsys.readouterr()
    code = cli(workspace, *arguments, "--json")
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else None


def listed(workspace: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, cases = run_json(workspace, capsys, "list")
    assert code == 0
    return list(cases)


def shown(workspace: Path, capsys: pytest.CaptureFixture[str], case_id: str) -> dict[str, Any]:
    code, case = run_json(workspace, capsys, "show", case_id)
    assert code == 0
    return dict(case)


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    path = tmp_path / "suivi-porteurs.csv"
    path.write_bytes(TRACKER_CSV.encode("cp1252"))
    return path


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """An .xlsx with the people on one sheet and their appointments on another."""
    path = tmp_path / "suivi.xlsx"
    book = xlsxwriter.Workbook(str(path))
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    people = book.add_worksheet("Porteurs")
    for column, header in enumerate(["Nom", "Prénom", "Mail", "Ville", "Projet"]):
        people.write(0, column, header)
    people.write_row(1, 0, ["Benali", "Karim", "karim@exemple.fr", "Felletin", "Atelier vélo"])
    people.write_row(2, 0, ["Nguyen", "Linh", "", "Guéret", "Food truck"])
    meetings = book.add_worksheet("Rendez-vous")
    for column, header in enumerate(["Nom", "Prénom", "Date", "Durée", "Objet", "Mode", "Statut"]):
        meetings.write(0, column, header)
    from datetime import datetime

    rows = [
        ("Benali", "Karim", datetime(2025, 9, 2, 9, 30), "1h30", "Accueil", "", ""),
        ("Benali", "Karim", datetime(2025, 10, 7, 14, 0), "45 min", "Étude", "Téléphone", ""),
        ("Nguyen", "Linh", datetime(2025, 9, 4, 10, 0), "1h", "Accueil", "visio", "annulé"),
        ("Durand", "Zoé", datetime(2025, 9, 5, 10, 0), "1h", "Accueil", "", ""),
    ]
    for number, (last, first, start, length, topic, mode, status) in enumerate(rows, start=1):
        meetings.write(number, 0, last)
        meetings.write(number, 1, first)
        meetings.write_datetime(number, 2, start, dates)
        meetings.write_row(number, 3, [length, topic, mode, status])
    book.close()
    return path


def test_the_dry_run_says_what_would_be_done_and_changes_nothing(
    tmp_path: Path, tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = tmp_path / "ws"
    code, plan = run_json(workspace, capsys, "import-sheet", str(tracker), "--dry-run")
    assert code == 0
    assert (plan["dry_run"], plan["imported"], plan["batch"]) == (True, False, None)
    assert [(c["holder"], c["rows"]) for c in plan["created"]] == [
        ("Amélie DUPONT", [4, 6]),
        ("Paul Martin", [5]),
    ]
    amelie = plan["created"][0]
    assert amelie["person"]["birth_date"] == "1985-02-03"
    assert (amelie["honour_loan_cents"], amelie["notes"]) == (1_250_000, 2)
    assert amelie["welcome_done_on"] == "2025-03-04"
    [refused] = plan["refused"]
    assert (refused["row"], refused["column"]) == (7, "Prénom")
    assert "first name" in refused["reason"]
    assert listed(workspace, capsys) == []

    capsys.readouterr()
    assert cli(workspace, "import-sheet", str(tracker), "--dry-run") == 0
    said = capsys.readouterr().out
    assert "Dry run of suivi-porteurs.csv: nothing was changed." in said
    assert "2 cases to create" in said
    assert "row 7, column “Prénom”" in said


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    tmp_path: Path, tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = tmp_path / "ws"
    code, first = run_json(workspace, capsys, "import-sheet", str(tracker))
    assert code == 0
    assert first["imported"] and first["batch"]["cases_created"] == 2
    cases = listed(workspace, capsys)
    assert sorted(c["last_name"] for c in cases) == ["DUPONT", "Martin"]
    before = {c["case_id"]: shown(workspace, capsys, c["case_id"]) for c in cases}
    [amelie] = [case for case in before.values() if case["person"]["first_name"] == "Amélie"]
    assert amelie["opened_on"] == "2025-03-04"
    assert amelie["person"]["phone"] == "06 12 34 56 78"
    assert [f["amount_asked_cents"] for f in amelie["funding"]] == [1_250_000]
    assert any("A un local en vue." in note["text"] for note in amelie["notes"])

    code, second = run_json(workspace, capsys, "import-sheet", str(tracker))
    assert code == 0
    assert (second["created"], second["updated"], second["unchanged"]) == ([], [], 2)
    assert second["imported"] is False
    after = {
        c["case_id"]: shown(workspace, capsys, c["case_id"]) for c in listed(workspace, capsys)
    }
    assert after == before


def test_a_second_sheet_of_appointments_is_attached_to_the_people_it_names(
    tmp_path: Path, workbook: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = tmp_path / "ws"
    code, result = run_json(
        workspace,
        capsys,
        "import-sheet",
        str(workbook),
        "--sheet",
        "Porteurs",
        "--appointments-sheet",
        "Rendez-vous",
    )
    assert code == 0
    [nobody] = result["refused"]
    assert (nobody["sheet"], nobody["row"], nobody["value"]) == ("Rendez-vous", 5, "Zoé Durand")
    cases = {c["first_name"]: c["case_id"] for c in listed(workspace, capsys)}
    karim = shown(workspace, capsys, cases["Karim"])
    assert [(a["start"], a["minutes"], a["mode"], a["status"]) for a in karim["appointments"]] == [
        ("2025-09-02T09:30:00", 90, "office", "done"),
        ("2025-10-07T14:00:00", 45, "phone", "done"),
    ]
    assert karim["opened_on"] == "2025-09-02"
    linh = shown(workspace, capsys, cases["Linh"])
    assert [(a["mode"], a["status"]) for a in linh["appointments"]] == [("video", "cancelled")]


def test_undo_removes_the_import_and_is_refused_the_second_time(
    tmp_path: Path, tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workspace = tmp_path / "ws"
    code, result = run_json(workspace, capsys, "import-sheet", str(tracker))
    assert code == 0
    batch = result["batch"]["id"]
    code, batches = run_json(workspace, capsys, "import-sheet", "--list")
    assert code == 0
    assert [(b["id"], b["state"], b["source"]) for b in batches] == [
        (batch, "done", "suivi-porteurs.csv")
    ]

    capsys.readouterr()
    assert cli(workspace, "import-sheet", "--undo", batch) == 0
    assert "was undone" in capsys.readouterr().out
    assert listed(workspace, capsys) == []

    capsys.readouterr()
    assert cli(workspace, "import-sheet", "--undo", batch) == 1
    assert "already undone" in capsys.readouterr().err
    assert cli(workspace, "import-sheet", "--undo", "0a1b2c3d-0000-4000-8000-000000000000") == 1
    assert "There is no import" in capsys.readouterr().err


def test_a_file_where_nobody_can_be_taken_exits_with_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "vide.csv"
    path.write_text("Nom;Prénom;Ville\n;Léa;Guéret\nDupont;;Aubusson\n", encoding="utf-8")
    workspace = tmp_path / "ws"
    code, result = run_json(workspace, capsys, "import-sheet", str(path))
    assert code == 1
    assert [r["row"] for r in result["refused"]] == [2, 3]
    assert listed(workspace, capsys) == []


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    capsys.readouterr()
    assert cli(tmp_path / "ws", "import-sheet", str(path)) == 1
    error = capsys.readouterr().err
    assert "photo.xlsx" in error and "Unexpected" not in error


def test_a_saved_mapping_and_a_header_row_are_followed(
    tmp_path: Path, tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mapping = tmp_path / "colonnes.json"
    mapping.write_text(
        json.dumps(
            {
                "format": "boussole-sheet-mapping",
                "version": 1,
                "keep_unmapped": False,
                "people": {"Tél.": "ignore", "Observations": "ignore"},
                "appointments": {},
            }
        ),
        encoding="utf-8",
    )
    workspace = tmp_path / "ws"
    code, plan = run_json(
        workspace,
        capsys,
        "import-sheet",
        str(tracker),
        "--header-row",
        "3",
        "--mapping",
        str(mapping),
        "--dry-run",
    )
    assert code == 0
    amelie = plan["created"][0]
    assert "phone" not in amelie["person"] and amelie["notes"] == 0


def test_import_sheet_needs_a_file_or_an_undo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(tmp_path / "ws", "import-sheet") == 2
    assert "Name the spreadsheet" in capsys.readouterr().err


def test_appointments_from_a_second_file_are_attached(
    tmp_path: Path, tracker: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meetings = tmp_path / "rdv.csv"
    meetings.write_text(  # "CSV UTF-8" as Excel saves it: with a byte-order mark
        "E-mail;Date;Heure;Durée;Objet\r\n"
        "amelie.dupont@exemple.fr;04/03/2025;09:30;1h30;Accueil\r\n"
        "amelie.dupont@exemple.fr;01/04/2025;14:00;1,5 h;Étude de marché\r\n",
        encoding="utf-8-sig",
    )
    workspace = tmp_path / "ws"
    code, result = run_json(
        workspace, capsys, "import-sheet", str(tracker), "--appointments-file", str(meetings)
    )
    assert code == 0 and result["appointments"] == 2
    [amelie] = [c["case_id"] for c in listed(workspace, capsys) if c["first_name"] == "Amélie"]
    case = shown(workspace, capsys, amelie)
    assert [(a["start"], a["minutes"], a["topic"]) for a in case["appointments"]] == [
        ("2025-03-04T09:30:00", 90, "Accueil"),
        ("2025-04-01T14:00:00", 90, "Étude de marché"),
    ]
    assert case["done_minutes"] == 180


def every_byte(root: Path) -> dict[str, str]:
    """A digest of every file of the workspace folder, backups included (the SQLite
    shared-memory index aside: it is not content)."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.endswith("-shm") and path.name != ".lock"
    }


def test_a_dry_run_typed_as_the_first_command_of_the_day_changes_no_byte(
    tmp_path: Path, tracker: Path
) -> None:
    """Today's backup is due, yet the dry run neither makes it nor claims it: the
    workspace is as it was, backups folder included."""
    workspace = tmp_path / "ws"
    services = Services.open(workspace, fixed_clock)
    services.cases.create(NewCase("Amélie", "Dupont", email="amelie.dupont@exemple.fr"))
    services.close()
    before = every_byte(workspace)

    code, out, err = run_cli(workspace, "import-sheet", str(tracker), "--dry-run")
    assert code == 0, err
    assert "nothing was changed" in out
    assert every_byte(workspace) == before

    assert run_cli(workspace, "import-sheet", str(tracker))[0] == 0  # a real one may
    assert every_byte(workspace) != before
