"""File ▸ Import a spreadsheet…: the trackers kept before Boussole brought in, step by step.

1. the file (CSV, xlsx, xls, ods); 2. its sheet and header row, with a preview of its first
rows, and the sheet of appointments if it has one; 3. the columns mapped to Boussole's
fields, each over its first values, a mapping saved or reused by name or as a file; 4. the
dry run: what would be created, updated and refused, and why (nothing written); 5. the
import, with its progress and a way to stop it, then what was done and "Undo this import".

Reading, planning and importing run on the task runner, so a large file never freezes the
window; the wizard calls the services only (`sheet_preview`, `sheet_import`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, describe, ngettext
from advisor_app.services.sheet_import import ImportBatch, ImportPlan
from advisor_app.services.sheet_preview import (
    SUFFIXES,
    Mapping,
    PreviewRow,
    Table,
)
from advisor_app.ui.dialogs.sheet_columns import MappingPage, shown
from advisor_app.ui.dialogs.sheet_result import DryRunPage, ImportPage
from advisor_app.ui.errors import error_sentence
from advisor_app.ui.file_dialogs import FileKind, choose_open_file
from advisor_app.ui.session import AppSession
from advisor_app.ui.tasks import Task
from advisor_app.ui.widgets.fields import ErrorLabel

PAGE_FILE, PAGE_SHEET, PAGE_MAPPING, PAGE_DRY_RUN, PAGE_IMPORT = range(5)
NO_APPOINTMENTS = ""
OTHER_FILE = "\x00other file"  # the appointments chooser's entry for a second file


def _spreadsheet_filters() -> str:
    patterns = " ".join(f"*{suffix}" for suffix in SUFFIXES)
    return _("Spreadsheets ({patterns})").format(patterns=patterns)


class SheetImportWizard(QWizard):
    """What the advisor chose so far, shared by the pages."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.preview = session.services.sheet_preview
        self.importer = session.services.sheet_import
        self.path: Path | None = None
        self.sheets: list[str] = []
        self.sheet: str | None = None
        self.header_row: int | None = None
        self.appointments_sheet: str | None = None
        self.appointments_file: Path | None = None  # or a second file holding them
        self.people: Table | None = None
        self.appointments: Table | None = None
        self.mapping = Mapping()
        self.plan: ImportPlan | None = None
        self.batch: ImportBatch | None = None
        self.task: Task | None = None
        self.closing = False  # cancelled while something ran: closes when it stops
        self.setWindowTitle(_("Import a spreadsheet"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)  # "Stop" stops
        self.file_page = FilePage(self)
        self.sheet_page = SheetPage(self)
        self.mapping_page = MappingPage(self)
        self.dry_run_page = DryRunPage(self)
        self.import_page = ImportPage(self)
        for number, page in enumerate(
            (
                self.file_page,
                self.sheet_page,
                self.mapping_page,
                self.dry_run_page,
                self.import_page,
            )
        ):
            self.setPage(number, page)
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Import"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Close"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.resize(960, 600)

    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[BaseException], None],
        bar: QProgressBar,
    ) -> Task:
        """Run `work` on the task runner, its progress on `bar`; one task at a time."""
        bar.setRange(0, 0)
        bar.show()

        def progress(step: int, total: int) -> None:
            bar.setRange(0, max(total, 1))
            bar.setValue(min(step, max(total, 1)))

        def finish(result: object) -> None:
            bar.hide()
            self.task = None
            if self.closing:
                super(SheetImportWizard, self).reject()
            else:
                done(result)

        def fail(error: BaseException) -> bool:
            bar.hide()
            self.task = None
            if self.closing:
                super(SheetImportWizard, self).reject()
            else:
                failed(error)
            return True

        self.task = self.session.tasks.run(work, finish, on_error=fail)
        self.task.progress.connect(progress)
        return self.task

    @property
    def busy(self) -> bool:
        return self.task is not None

    def reject(self) -> None:
        """Cancel (or Escape) stops what runs: a reading or a dry run, and the wizard closes
        once it has stopped; an import stops between two groups of cases and says what it
        did, which can be undone."""
        if self.task is not None:
            self.task.cancel()
            if self.currentId() != PAGE_IMPORT:
                self.closing = True
            return
        super().reject()


# -- 1. the file --------------------------------------------------------------------------


class FilePage(QWizardPage):
    def __init__(self, wizard: SheetImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.setTitle(_("The spreadsheet to import"))
        self.setSubTitle(
            _(
                "A list of the people you accompany, one row per person, as Excel or "
                "LibreOffice saves it: CSV, .xlsx, .xls or .ods. Nothing is changed before "
                "the last step, and the import can be undone."
            )
        )
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(_("No file chosen"))
        self.path.setAccessibleName(_("Spreadsheet file"))
        self.choose = QPushButton(_("Choose a file…"))
        self.choose.clicked.connect(self.choose_file)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.error = ErrorLabel()
        line = QHBoxLayout()
        line.addWidget(self.path, 1)
        line.addWidget(self.choose)
        layout = QVBoxLayout(self)
        layout.addLayout(line)
        layout.addWidget(self.about)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def choose_file(self) -> None:
        path = choose_open_file(
            self, FileKind.SPREADSHEETS, _("Import a spreadsheet"), _spreadsheet_filters()
        )
        if path is not None:
            self.open_file(path)

    def open_file(self, path: Path) -> None:
        """Take `path`: its sheets are listed, or why it cannot be read is said."""
        owner = self.owner
        self.path.setText(str(path))
        owner.people = owner.appointments = None
        try:
            owner.sheets = owner.preview.sheets(path)
        except AdvisorError as error:
            owner.path = None
            self.about.clear()
            self.error.show_message(describe(error))
        else:
            owner.path = path
            owner.sheet = owner.sheets[0] if owner.sheets else None
            owner.header_row = None
            owner.appointments_sheet = None
            owner.appointments_file = None
            self.error.show_message("")
            self.about.setText(
                ngettext(
                    "A workbook of {count} sheet.",
                    "A workbook of {count} sheets.",
                    len(owner.sheets),
                ).format(count=len(owner.sheets))
                if owner.sheets
                else _("A CSV file: a single table.")
            )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.owner.path is not None


# -- 2. the sheet and its header row -------------------------------------------------------


class SheetPage(QWizardPage):
    def __init__(self, wizard: SheetImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.rows: list[PreviewRow] = []
        self.setTitle(_("The sheet and its header row"))
        self.setSubTitle(
            _(
                "The row that holds the column names was looked for; click another row if "
                "it is not the right one. The rows above it are left out."
            )
        )
        self.sheet = QComboBox()
        self.sheet.setAccessibleName(_("Sheet of the people"))
        self.header_row = QSpinBox()
        self.header_row.setRange(1, 1_000_000)
        self.header_row.setAccessibleName(_("Header row"))
        self.header_row.setMaximumWidth(140)
        self.appointments = QComboBox()
        self.appointments.setAccessibleName(_("Sheet of the appointments"))
        self.grid = QTableWidget()
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.grid.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.grid.setWordWrap(False)
        self.grid.horizontalHeader().setDefaultSectionSize(130)
        self.grid.horizontalHeader().hide()  # the file's own column letters are not known
        self.grid.cellClicked.connect(lambda row, _column: self._row_clicked(row))
        self.error = ErrorLabel()
        self.form = QFormLayout()
        self.form.addRow(_("Sheet of the people"), self.sheet)
        self.form.addRow(_("Header row"), self.header_row)
        self.form.addRow(_("Appointments"), self.appointments)
        self.bar = QProgressBar()
        self.bar.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.bar)
        layout.addWidget(self.error)
        self.sheet.currentIndexChanged.connect(lambda _index: self._sheet_chosen())
        self.header_row.valueChanged.connect(lambda value: self._header_chosen(value))
        self.appointments.currentIndexChanged.connect(lambda _index: self._appointments_chosen())

    def initializePage(self) -> None:
        owner = self.owner
        workbook = bool(owner.sheets)
        for widget in (self.sheet, self.appointments):
            widget.blockSignals(True)
            widget.clear()
        for name in owner.sheets:
            self.sheet.addItem(name, name)
        self.appointments.addItem(_("None"), NO_APPOINTMENTS)
        for name in owner.sheets:
            self.appointments.addItem(name, name)
        self.appointments.addItem(self._other_file_text(), OTHER_FILE)
        if owner.sheet is not None:
            self.sheet.setCurrentIndex(max(self.sheet.findData(owner.sheet), 0))
        if owner.appointments_file is not None:
            chosen: str | None = OTHER_FILE
        else:
            chosen = owner.appointments_sheet or _appointments_guess(owner.sheets, owner.sheet)
            owner.appointments_sheet = chosen
        self.appointments.setCurrentIndex(max(self.appointments.findData(chosen or ""), 0))
        for widget in (self.sheet, self.appointments):
            widget.blockSignals(False)
        self.form.setRowVisible(self.sheet, workbook)
        self.load_rows()

    def load_rows(self) -> None:
        """Read the first rows off the window's thread (a large workbook takes a moment)."""
        owner = self.owner
        path, sheet, preview = owner.path, owner.sheet, owner.preview
        assert path is not None
        self.rows = []
        self.grid.clear()
        self.grid.setRowCount(0)
        self.error.show_message("")

        def done(result: object) -> None:
            if owner.sheet == sheet and isinstance(result, tuple):
                self.show_rows(*result)

        def failed(error: BaseException) -> None:
            if owner.sheet == sheet:
                self.error.show_message(error_sentence(error))
                self.completeChanged.emit()

        owner.run(lambda: preview.first_rows(path, sheet), done, failed, self.bar)
        self.completeChanged.emit()

    def show_rows(self, rows: list[PreviewRow], found: int | None) -> None:
        owner = self.owner
        self.rows = rows
        self.error.show_message("" if rows else _("This sheet holds nothing."))
        width = max((len(row.cells) for row in self.rows), default=0)
        self.grid.clear()
        self.grid.setRowCount(len(self.rows))
        self.grid.setColumnCount(width)
        self.grid.setVerticalHeaderLabels([str(row.number) for row in self.rows])
        for r, row in enumerate(self.rows):
            for c, cell in enumerate(row.cells):
                text = shown(cell)
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.grid.setItem(r, c, item)
        chosen = owner.header_row if owner.header_row is not None else found
        if chosen is None and self.rows:
            chosen = self.rows[0].number
        if chosen is not None:
            self.header_row.blockSignals(True)
            self.header_row.setValue(chosen)
            self.header_row.blockSignals(False)
            self._header_chosen(chosen)
        self.completeChanged.emit()

    def _sheet_chosen(self) -> None:
        self.owner.sheet = self.sheet.currentData()
        self.owner.header_row = None
        self.owner.people = None
        self.load_rows()

    def _appointments_chosen(self) -> None:
        chosen = self.appointments.currentData()
        if chosen == OTHER_FILE:
            path = choose_open_file(
                self, FileKind.SPREADSHEETS, _("The appointments"), _spreadsheet_filters()
            )
            if path is None:
                self.appointments.setCurrentIndex(0)
                return
            self.use_appointments_file(path)
            return
        self.owner.appointments_sheet = chosen or None
        self.owner.appointments_file = None
        self.owner.appointments = None
        self.appointments.setItemText(self.appointments.count() - 1, self._other_file_text())

    def use_appointments_file(self, path: Path) -> None:
        """The appointments are in a second file (its first sheet)."""
        self.owner.appointments_file = path
        self.owner.appointments_sheet = None
        self.owner.appointments = None
        last = self.appointments.count() - 1
        self.appointments.blockSignals(True)
        self.appointments.setItemText(last, self._other_file_text())
        self.appointments.setCurrentIndex(last)
        self.appointments.blockSignals(False)

    def _other_file_text(self) -> str:
        chosen = self.owner.appointments_file
        if chosen is None:
            return _("In another file…")
        return _("In the file {name}").format(name=chosen.name)

    def _row_clicked(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.header_row.setValue(self.rows[index].number)

    def _header_chosen(self, number: int) -> None:
        """Row `number` becomes the header: shown in bold, the rows above greyed out."""
        if self.owner.header_row != number:
            self.owner.people = None
        self.owner.header_row = number
        for r, row in enumerate(self.rows):
            for c in range(self.grid.columnCount()):
                item = self.grid.item(r, c)
                if item is None:
                    continue
                font = QFont(item.font())
                font.setBold(row.number == number)
                item.setFont(font)
                item.setForeground(
                    Qt.GlobalColor.gray
                    if row.number < number
                    else self.grid.palette().text().color()
                )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.rows) and self.owner.header_row is not None and not self.owner.busy


def _appointments_guess(sheets: list[str], people: str | None) -> str | None:
    """A second sheet named like appointments ("Rendez-vous", "RDV", "Entretiens")."""
    words = ("rendez", "rdv", "entretien", "appointment", "meeting", "suivi des rdv")
    for name in sheets:
        if name != people and any(word in name.casefold() for word in words):
            return name
    return None


def open_sheet_import(session: AppSession, parent: QWidget | None = None) -> SheetImportWizard:
    """Show the wizard, without waiting on it."""
    wizard = SheetImportWizard(session, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard
