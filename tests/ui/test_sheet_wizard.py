"""File ▸ Import a spreadsheet…: an advisor brings in the tracker the association kept
before Boussole, in English and in French, with real files; and File ▸ Export the list of
cases… writes it back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from python_calamine import CalamineWorkbook

from advisor_app.i18n import set_language
from advisor_app.services import CaseFilter
from advisor_app.services.sheet_preview import IGNORE, Mapping
from advisor_app.ui.dialogs.sheet_export import export_case_list
from advisor_app.ui.dialogs.sheet_import import (
    PAGE_DRY_RUN,
    PAGE_IMPORT,
    PAGE_MAPPING,
    PAGE_SHEET,
    SheetImportWizard,
)
from advisor_app.ui.main_window import MainWindow
from tests.sheets.conftest import NOTE_AMÉLIE, write_cp1252_csv, write_tracker_xlsx


@pytest.fixture
def french() -> Iterator[None]:
    set_language("fr")
    yield
    set_language("en")


def open_wizard(window: MainWindow, qtbot: QtBot) -> SheetImportWizard:
    """As the advisor does: File ▸ Import a spreadsheet…"""
    window.import_sheet_action.trigger()
    wizard = window.findChildren(SheetImportWizard)[-1]  # the one just opened
    qtbot.waitUntil(wizard.isVisible)
    wizard.resize(960, 600)
    return wizard


def settled(qtbot: QtBot, wizard: SheetImportWizard) -> None:
    qtbot.waitUntil(lambda: not wizard.busy, timeout=30_000)


def go_to_dry_run(wizard: SheetImportWizard, qtbot: QtBot, path: Path) -> None:
    wizard.file_page.open_file(path)
    wizard.next()
    assert wizard.currentId() == PAGE_SHEET
    settled(qtbot, wizard)
    wizard.next()
    assert wizard.currentId() == PAGE_MAPPING
    settled(qtbot, wizard)
    wizard.next()
    assert wizard.currentId() == PAGE_DRY_RUN
    settled(qtbot, wizard)


def people_count(window: MainWindow) -> int:
    return window.session.services.search.count(CaseFilter())


def test_an_advisor_imports_her_tracker_checks_it_and_undoes_it(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    tracker = write_tracker_xlsx(tmp_path)
    wizard = open_wizard(window, qtbot)

    wizard.file_page.open_file(tracker)
    assert "2 sheets" in wizard.file_page.about.text()
    wizard.next()
    settled(qtbot, wizard)
    sheet_page = wizard.sheet_page
    assert sheet_page.header_row.value() == 4  # under the title and the blank rows
    assert sheet_page.appointments.currentData() == "Rendez-vous"
    wizard.grab().save(str(tmp_path / "sheetread-en-sheet.png"))

    wizard.next()
    settled(qtbot, wizard)
    columns = wizard.mapping_page.people
    assert columns.field_of("NOM") == "last_name"
    assert columns.field_of("Né(e) le") == "birth_date"
    assert columns.field_of("Prêt d'honneur") == "honour_loan"
    assert columns.field_of("Dossier papier") == ""  # not recognised: kept in the notes
    assert wizard.mapping_page.meetings.field_of("Durée") == "minutes"
    columns.set_field_of("Dossier papier", IGNORE)
    wizard.mapping_page.save_named("Suivi de l'association")
    saved = window.session.services.sheet_preview.mapping_named("Suivi de l'association")
    assert saved.people["Dossier papier"] == IGNORE
    wizard.grab().save(str(tmp_path / "sheetread-en-mapping.png"))

    wizard.next()
    settled(qtbot, wizard)
    summary = wizard.dry_run_page.summary.text()
    assert "2 new cases will be created." in summary  # Amélie's two rows are one person
    assert "3 appointments" in summary
    assert people_count(window) == 0  # the dry run wrote nothing
    wizard.grab().save(str(tmp_path / "sheetread-en-dry-run.png"))

    wizard.next()  # Import
    assert wizard.currentId() == PAGE_IMPORT
    qtbot.waitUntil(lambda: wizard.import_page.isComplete(), timeout=30_000)
    assert "The import is done: 2 cases created" in wizard.import_page.summary.text()
    assert people_count(window) == 2
    services = window.session.services
    amélie = next(c for c in services.search.cases(CaseFilter()) if c.first_name == "Amélie")
    detail = services.cases.get(amélie.case_id)
    assert detail.person.birth_date is not None and detail.person.birth_date.year == 1985
    welcome = next(a for a in detail.appointments if a.topic == "Accueil")
    assert (welcome.minutes, welcome.summary) == (90, "Premier entretien ; projet clair.")
    assert any(NOTE_AMÉLIE in note.text for note in detail.notes)
    assert wizard.import_page.undo.isVisible()
    wizard.grab().save(str(tmp_path / "sheetread-en-done.png"))

    wizard.import_page.undo.click()
    settled(qtbot, wizard)
    assert "undone" in wizard.import_page.summary.text()
    assert people_count(window) == 0


def test_the_same_file_twice_changes_nothing_the_second_time(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    tracker = write_cp1252_csv(tmp_path)
    first = open_wizard(window, qtbot)
    go_to_dry_run(first, qtbot, tracker)
    first.next()
    qtbot.waitUntil(lambda: first.import_page.isComplete(), timeout=30_000)
    first.accept()

    again = open_wizard(window, qtbot)
    go_to_dry_run(again, qtbot, tracker)

    assert "Importing would change nothing." in again.dry_run_page.summary.text()
    assert not again.dry_run_page.isComplete()  # no Import button to press
    assert people_count(window) == 2


def test_a_saved_mapping_is_used_again(window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    services = window.session.services
    services.sheet_preview.save_mapping(
        "Ancien suivi", Mapping(people={"Observations": IGNORE, "Commune": "address"})
    )
    wizard = open_wizard(window, qtbot)
    wizard.file_page.open_file(write_cp1252_csv(tmp_path))
    wizard.next()
    settled(qtbot, wizard)
    wizard.next()
    settled(qtbot, wizard)

    wizard.mapping_page.use_saved("Ancien suivi")

    columns = wizard.mapping_page.people
    assert columns.field_of("Observations") == IGNORE
    assert columns.field_of("Commune") == "address"
    assert columns.field_of("NOM") == "last_name"  # not in the saved mapping: guessed
    path = tmp_path / "colonnes.json"
    wizard.mapping_page.write_file(path)
    assert Mapping.from_json(path.read_text(encoding="utf-8")).people["Commune"] == "address"


def test_without_a_names_column_the_wizard_waits(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = open_wizard(window, qtbot)
    wizard.file_page.open_file(write_cp1252_csv(tmp_path))
    wizard.next()
    settled(qtbot, wizard)
    wizard.next()
    settled(qtbot, wizard)
    page = wizard.mapping_page

    page.people.set_field_of("NOM", IGNORE)

    assert not page.isComplete()
    assert page.error.isVisible()
    page.people.set_field_of("NOM", "last_name")
    assert page.isComplete()


def test_a_file_that_cannot_be_read_is_said_and_stops_the_wizard(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    wrong = tmp_path / "notes de réunion.docx"
    wrong.write_bytes(b"PK\x03\x04 not a spreadsheet")
    wizard = open_wizard(window, qtbot)

    wizard.file_page.open_file(wrong)

    assert "notes de réunion.docx" in wizard.file_page.error.text()
    assert not wizard.file_page.isComplete()


def test_the_wizard_in_french(
    window: MainWindow, qtbot: QtBot, tmp_path: Path, french: None
) -> None:
    window.retranslate()
    tracker = write_cp1252_csv(tmp_path)
    wizard = open_wizard(window, qtbot)
    assert window.import_sheet_action.text() != ""

    wizard.file_page.open_file(tracker)
    wizard.grab().save(str(tmp_path / "sheetread-fr-file.png"))
    wizard.next()
    settled(qtbot, wizard)
    assert not wizard.sheet_page.form.isRowVisible(wizard.sheet_page.sheet)  # a CSV: one table
    wizard.next()
    settled(qtbot, wizard)
    wizard.grab().save(str(tmp_path / "sheetread-fr-mapping.png"))
    assert wizard.mapping_page.people.field_of("Tél.") == "phone"
    wizard.next()
    settled(qtbot, wizard)
    wizard.grab().save(str(tmp_path / "sheetread-fr-dry-run.png"))
    assert wizard.dry_run_page.isComplete()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.import_page.isComplete(), timeout=30_000)
    wizard.grab().save(str(tmp_path / "sheetread-fr-done.png"))

    people = window.session.services.search.cases(CaseFilter())
    assert sorted(p.last_name for p in people) == ["DUPRÉ-LEFÈVRE", "Martin"]
    assert {p.commune for p in people} == {"Saint-Étienne", "Lyon"}


def test_the_list_of_cases_is_exported_from_the_file_menu(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    services = window.session.services
    records = services.sheet_import.read_file(write_cp1252_csv(tmp_path))
    services.sheet_import.apply(services.sheet_import.plan(records))
    path = tmp_path / "pour le financeur.xlsx"

    task = export_case_list(window.session, window, path)
    qtbot.waitUntil(lambda: not task.running, timeout=30_000)

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    assert sheet.height == 3
    qtbot.waitUntil(
        lambda: any(
            "2 cases were written" in box.text() for box in window.findChildren(QMessageBox)
        )
    )
    assert window.export_sheet_action.text() == "Export the list of cases…"


def test_cancel_while_the_file_is_read_closes_the_wizard(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = open_wizard(window, qtbot)
    wizard.file_page.open_file(write_tracker_xlsx(tmp_path))
    wizard.next()
    settled(qtbot, wizard)
    wizard.next()  # the reading starts

    with qtbot.waitSignal(wizard.rejected, timeout=30_000):  # closed once the reading stopped
        wizard.reject()

    assert people_count(window) == 0


def test_an_import_stopped_says_what_it_did_and_can_be_undone(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = open_wizard(window, qtbot)
    go_to_dry_run(wizard, qtbot, write_tracker_xlsx(tmp_path))
    wizard.next()

    wizard.reject()  # Escape during the import stops it, and keeps the wizard open

    qtbot.waitUntil(lambda: wizard.import_page.isComplete(), timeout=30_000)
    assert wizard.isVisible()
    imported = people_count(window)
    if imported:  # stopped after its first group of cases, or done before the stop
        assert wizard.import_page.undo.isVisible()
        wizard.import_page.undo.click()
        settled(qtbot, wizard)
    assert people_count(window) == 0


def test_the_appointments_can_come_from_a_second_file(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    meetings = tmp_path / "rendez-vous.csv"
    meetings.write_text(
        "Nom;Prénom;Date;Heure;Durée;Objet\r\n"
        "Martin;Karim;01/02/2024;14:00;45 min;Étude de marché\r\n",
        encoding="cp1252",
    )
    wizard = open_wizard(window, qtbot)
    wizard.file_page.open_file(write_cp1252_csv(tmp_path))
    wizard.next()
    settled(qtbot, wizard)

    wizard.sheet_page.use_appointments_file(meetings)

    assert "rendez-vous.csv" in wizard.sheet_page.appointments.currentText()
    wizard.next()
    settled(qtbot, wizard)
    assert wizard.mapping_page.meetings.field_of("Durée") == "minutes"
    wizard.next()
    settled(qtbot, wizard)
    assert "To add: 1 appointment," in wizard.dry_run_page.summary.text()
