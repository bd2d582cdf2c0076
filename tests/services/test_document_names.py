"""A report's file is named after the document, the person and the day, safely for Windows,
and a batch of reports never replaces a file: two people of the same name get " (2)"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pypdf import PdfReader

from advisor_app.services import NewCase, Services
from advisor_app.services.document_names import document_name, safe_file_name, unused_path
from advisor_app.services.reports import ReportRequest, ReportService
from tests.conftest import run_cli

FORBIDDEN = set('/\\:*?"<>|')


def test_a_progress_report_is_named_after_the_person_and_the_day(services: Services) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    reports = ReportService(services)
    request = ReportRequest("progress", case_id, language="en")
    assert reports.file_name(request) == "Progress – Dupré-Lefèvre Amélie – 2026-11-25.pdf"


def test_a_french_committee_file_is_named_in_french(services: Services) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    name = ReportService(services).file_name(ReportRequest("committee", case_id, language="fr"))
    assert name == "Dossier de comité – Dupré-Lefèvre Amélie – 2026-11-25.pdf"


def test_the_activity_report_is_named_after_its_period(services: Services) -> None:
    request = ReportRequest(
        "activity", first=date(2026, 1, 1), last=date(2026, 11, 25), language="en"
    )
    assert ReportService(services).file_name(request) == (
        "Activity report – 2026-01-01 to 2026-11-25.pdf"
    )


def test_every_kind_of_document_has_its_own_word() -> None:
    day = date(2026, 11, 30)
    names = {
        kind: document_name(kind, "en", person="Dupré-Lefèvre Amélie", day=day)
        for kind in ("progress", "committee", "attendance", "access")
    }
    assert len({name.split(" – ")[0] for name in names.values()}) == len(names)
    assert names["access"] == "Right of access – Dupré-Lefèvre Amélie – 2026-11-30.pdf"


def test_a_name_windows_refuses_is_made_safe() -> None:
    name = document_name(
        "progress", "en", person='Dupont/Durand: "Lulu"? <Zoé> | a*b\\c...', day=date(2026, 11, 30)
    )
    assert not FORBIDDEN & set(name)
    assert name == "Progress – Dupont Durand Lulu Zoé a b c... – 2026-11-30.pdf"
    assert safe_file_name("report. . ") == "report.pdf"
    assert safe_file_name("CON") == "_CON.pdf"
    assert safe_file_name("???") == "_.pdf"


def test_a_very_long_name_is_shortened_keeping_the_document_and_the_date() -> None:
    person = "Castelnau-Montmirail de la Tour d'Auvergne " * 5 + "Marie-Bénédicte"
    name = document_name("committee", "en", person=person, day=date(2026, 11, 30))
    assert len(name) <= 120
    assert name.startswith("Committee file – Castelnau-Montmirail")
    assert name.endswith(" – 2026-11-30.pdf")


def test_an_existing_file_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "Progress – Martin Léa – 2026-11-30.pdf").write_bytes(b"kept")
    (tmp_path / "Progress – Martin Léa – 2026-11-30 (2).pdf").write_bytes(b"kept")
    free = unused_path(tmp_path, "Progress – Martin Léa – 2026-11-30.pdf")
    assert free.name == "Progress – Martin Léa – 2026-11-30 (3).pdf"
    (tmp_path / "Right of access – Dupont J. – 2026-11-30").mkdir()
    folder = unused_path(tmp_path, "Right of access – Dupont J. – 2026-11-30", suffix="")
    assert folder.name == "Right of access – Dupont J. – 2026-11-30 (2)"


def test_a_batch_names_each_report_after_its_person_and_keeps_namesakes_apart(
    services: Services, tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    first, _d, _c = services.cases.create(NewCase("Léa", "Martin"))
    second, _d, _c = services.cases.create(NewCase("Léa", "Martin", email="lea.m@example.org"))
    third, _d, _c = services.cases.create(NewCase("Hugo", "Bernard"))
    steps = list(ReportService(services).progress_batch([first, second, third], folder, "en"))
    assert [(step.done, step.total) for step in steps] == [(1, 3), (2, 3), (3, 3)]
    assert sorted(path.name for path in folder.iterdir()) == [
        "Progress – Bernard Hugo – 2026-11-25.pdf",
        "Progress – Martin Léa – 2026-11-25 (2).pdf",
        "Progress – Martin Léa – 2026-11-25.pdf",
    ]
    # Printed again the same day, nothing is replaced.
    list(ReportService(services).progress_batch([third], folder, "en"))
    assert (folder / "Progress – Bernard Hugo – 2026-11-25 (2).pdf").exists()


def test_the_command_line_writes_into_a_folder_under_the_same_name(
    services: Services, tmp_path: Path
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    root = services.context.workspace.root
    folder = tmp_path / "reports"
    folder.mkdir()
    services.close()
    code, out, err = run_cli(root, "report", "progress", case_id, "-o", str(folder))
    assert code == 0, err
    (written,) = folder.iterdir()
    assert written.name.startswith("Progress – Dupré-Lefèvre Amélie – ")
    assert Path(out.strip()) == written
    assert "Amélie Dupré-Lefèvre" in PdfReader(written).pages[0].extract_text()
