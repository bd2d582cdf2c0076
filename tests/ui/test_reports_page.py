"""The Reports page prints the chosen report, or saves it as a PDF named after the document,
the person and the day, in the background, for the chosen case."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import AppointmentStatus
from advisor_app.services import AppointmentDraft, Changes, NewCase, Services
from advisor_app.ui.file_dialogs import documents_folder
from advisor_app.ui.main_window import MainWindow
from tests.ui.conftest import opened
from tests.ui.test_file_dialogs import answer_the_dialog


def test_print_report_on_a_case_writes_its_progress_report(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    case_id, _d, _c = services.cases.create(
        NewCase("Maëlle", "Château", project_title="Savonnerie")
    )
    services.appointments.add(
        case_id, AppointmentDraft(datetime(2026, 11, 20, 9), 90, status=AppointmentStatus.DONE)
    )
    opened(window.open_case(case_id))
    window.print_case_action.trigger()
    assert window.current_page() == "reports"
    page = window.reports
    assert page.case_id() == case_id
    assert page.chosen_kind().key == "progress"
    target = tmp_path / "suivi.pdf"
    page.print_to(target)
    qtbot.waitUntil(lambda: page.last_written == target, timeout=20_000)
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Maëlle Château" in text
    assert page.open_button.isVisible()


def test_the_activity_report_asks_for_a_period_not_a_case(window: MainWindow) -> None:
    window.show_page("reports")
    page = window.reports
    page.kind.setCurrentIndex(page.kind.findData("activity"))
    assert not page.case.isVisible()
    assert page.first.isVisible() and page.last.isVisible()
    page.kind.setCurrentIndex(page.kind.findData("committee"))
    assert page.case.isVisible() and page.password.isVisible()


def test_a_committee_file_password_has_twelve_characters_typed_twice(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Maëlle", "Château"))
    window.show_page("reports")
    page = window.reports
    page.prepare(case_id, "committee")
    assert page.password.isVisible() and page.password_again.isVisible()
    target = tmp_path / "comité.pdf"
    page.password.setText("comité2027")
    page.password_again.setText("comité2027")
    page.print_to(target)
    assert "at least 12 characters" in page.status.text()
    page.password.setText("le four chauffe à cinq heures")
    page.password_again.setText("le four chauffe à six heures")
    page.print_to(target)
    assert "differ" in page.status.text()
    assert not target.exists()
    page.password_again.setText("le four chauffe à cinq heures")
    page.print_to(target)
    qtbot.waitUntil(lambda: page.last_written == target, timeout=20_000)
    reader = PdfReader(target)
    assert reader.is_encrypted and reader.decrypt("le four chauffe à cinq heures")


def test_print_sends_every_page_of_the_report_to_the_printer(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    for day in range(1, 29):
        services.appointments.add(
            case_id,
            AppointmentDraft(datetime(2026, 10, day, 9), 60, status=AppointmentStatus.DONE),
        )
    window.show_page("reports")
    page = window.reports
    page.prepare(case_id)
    page.language.setCurrentIndex(page.language.findData("en"))
    saved = tmp_path / "saved.pdf"
    page.print_to(saved)
    qtbot.waitUntil(lambda: page.last_written == saved, timeout=20_000)
    # The printer the print dialog would have set: here a PDF file, at a light resolution.
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    page.print_report(printer)
    qtbot.waitUntil(lambda: "sent to the printer" in page.status.text(), timeout=30_000)
    pages = len(PdfReader(saved).pages)
    assert pages > 1
    assert len(PdfReader(printed).pages) == pages
    assert page.status.text() == f"{pages} pages sent to the printer."
    title = PdfReader(printed).metadata.title
    assert title == "Progress – Dupré-Lefèvre Amélie – 2026-11-25"
    assert not list(Path(tempfile.gettempdir()).glob("boussole-print-*/*.pdf"))


def test_save_as_pdf_proposes_the_document_the_person_and_the_day(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    window.show_page("reports")
    page = window.reports
    page.prepare(case_id)
    page.language.setCurrentIndex(page.language.findData("en"))
    folder = documents_folder() / "Boussole tests"
    folder.mkdir(exist_ok=True)
    proposed: list[str] = []

    def save_there(dialog: QFileDialog) -> None:
        proposed.extend(Path(name).name for name in dialog.selectedFiles())
        dialog.setDirectory(str(folder))
        dialog.selectFile(str(folder / proposed[0]))
        dialog.accept()

    answer_the_dialog(qtbot, save_there)
    page.save_button.click()
    assert proposed == ["Progress – Dupré-Lefèvre Amélie – 2026-11-25.pdf"]
    target = folder / proposed[0]
    qtbot.waitUntil(lambda: page.last_written == target, timeout=20_000)
    assert "Amélie Dupré-Lefèvre" in PdfReader(target).pages[0].extract_text()
    assert page.open_button.text() == "Open the file"


def test_nothing_is_asked_before_a_case_is_chosen(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page("reports")
    page = window.reports
    qtbot.waitUntil(page.case_choices_loaded)
    page.kind.setCurrentIndex(page.kind.findData("progress"))
    page.save_button.click()
    assert page.status.text() == "Choose the case to print."
    page.print_button.click()
    assert page.status.text() == "Choose the case to print."


def test_the_batch_names_files_after_people_and_offers_to_open_the_folder(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    for first, last in (("Léa", "Martin"), ("Léa", "Martin"), ("Hugo", "Bernard")):
        services.cases.create(NewCase(first, last))
    window.show_page("reports")
    page = window.reports
    page.language.setCurrentIndex(page.language.findData("en"))
    (tmp_path / "Progress – Martin Léa – 2026-11-25.pdf").write_bytes(b"an older report, kept")
    page.print_batch(tmp_path)
    qtbot.waitUntil(lambda: page.last_written == tmp_path, timeout=30_000)
    assert sorted(path.name for path in tmp_path.glob("*.pdf")) == [
        "Progress – Bernard Hugo – 2026-11-25.pdf",
        "Progress – Martin Léa – 2026-11-25 (2).pdf",
        "Progress – Martin Léa – 2026-11-25 (3).pdf",
        "Progress – Martin Léa – 2026-11-25.pdf",
    ]
    assert (tmp_path / "Progress – Martin Léa – 2026-11-25.pdf").read_bytes().startswith(b"an")
    assert page.status.text() == f"3 progress reports saved in {tmp_path}."
    assert page.open_button.isVisible() and page.open_button.text() == "Open the folder"


def test_the_case_chooser_is_filled_in_the_background(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    names = [("Léa", "Martin"), ("Hugo", "Bernard"), ("Zoé", "Castelnau")]
    ids = [services.cases.create(NewCase(first, last))[0] for first, last in names]
    window.session.announce(Changes(case_list=True))  # as the window does after a creation
    window.show_page("reports")
    page = window.reports
    page.prepare(ids[2])  # chosen at once, while the list is still being read
    assert page.case_id() == ids[2]
    qtbot.waitUntil(page.case_choices_loaded)
    assert sorted(page.case_ids) == sorted(ids)
    assert page.case_id() == ids[2]
    assert page.case.currentText() == "Zoé Castelnau"
    completer = page.case.completer()
    completer.setCompletionPrefix("bern")
    assert completer.currentCompletion() == "Hugo Bernard"


def test_the_print_dialog_offers_the_report_s_pages_and_can_be_cancelled(
    window: MainWindow, services: Services, qtbot: QtBot
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    window.show_page("reports")
    page = window.reports
    page.prepare(case_id)
    offered: list[tuple[int, int, str]] = []

    def look_then_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QPrintDialog):
            QTimer.singleShot(20, look_then_cancel)
            return
        offered.append((dialog.minPage(), dialog.maxPage(), dialog.printer().docName()))
        dialog.reject()

    QTimer.singleShot(0, look_then_cancel)
    page.print_button.click()
    qtbot.waitUntil(lambda: page.status.text() == "Printing cancelled.", timeout=20_000)
    assert offered == [(1, 1, "Progress – Dupré-Lefèvre Amélie – 2026-11-25")]
    # The copy made for the printer is gone.
    assert not list(Path(tempfile.gettempdir()).glob("boussole-print-*/*.pdf"))
