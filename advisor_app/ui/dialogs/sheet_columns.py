"""Step 3 of the import of a spreadsheet: what each column holds. The columns of a sheet
under their field choosers (one column per column of the file, a chooser on top: "Ignore",
a field of Boussole, or "not recognised: kept in the notes", and its first values below),
for the people and for the appointments; a mapping saved or reused by name or as a file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import (
    _,
    describe,
    format_date,
    format_datetime,
    format_number,
    format_time,
    ngettext,
)
from advisor_app.services.sheet_preview import (
    IGNORE,
    UNMAPPED,
    Cell,
    Mapping,
    SheetKind,
    SheetPreviewService,
    Table,
    field_choices,
)
from advisor_app.ui.dialogs.sheet_result import last_of
from advisor_app.ui.errors import error_sentence
from advisor_app.ui.file_dialogs import FileKind, choose_open_file, choose_save_file
from advisor_app.ui.widgets.fields import ErrorLabel

if TYPE_CHECKING:
    from advisor_app.ui.dialogs.sheet_import import SheetImportWizard

PREVIEW_ROWS = 6
COLUMN_WIDTH = 200


def shown(cell: Cell) -> str:
    """A cell as the user reads it, on one line: dates and times the locale's way, whole
    numbers as digits (postcodes, phone numbers), other numbers with the locale's mark."""
    if isinstance(cell, bool):
        return _("yes") if cell else _("no")
    if isinstance(cell, datetime):
        return format_date(cell.date(), "short") if cell.time() == time() else format_datetime(cell)
    if isinstance(cell, date):
        return format_date(cell, "short")
    if isinstance(cell, time):
        return format_time(cell)
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e15 else format_number(cell)
    return " ".join(str(cell).split())


class ColumnMapping(QTableWidget):
    """The mapping of one sheet: row 0 holds a chooser per column, the next rows the first
    values; the vertical header numbers them as the file does."""

    changed = Signal()

    def __init__(self, kind: SheetKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.headers: tuple[str, ...] = ()
        self.choosers: list[QComboBox] = []
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setDefaultSectionSize(COLUMN_WIDTH)
        self.horizontalHeader().setMinimumSectionSize(90)
        self.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)  # tooltip: all

    def show_table(self, table: Table, fields: Sequence[str]) -> None:
        """The columns of `table`, each with its chooser set to its field in `fields`."""
        self.clear()
        self.choosers = []
        self.headers = table.headers
        rows = min(len(table.rows), PREVIEW_ROWS)
        self.setColumnCount(len(table.headers))
        self.setRowCount(1 + rows)
        self.setHorizontalHeaderLabels(list(table.headers))
        self.setVerticalHeaderLabels([_("Field")] + [str(row.number) for row in table.rows[:rows]])
        for index, header in enumerate(table.headers):
            header_item = self.horizontalHeaderItem(index)
            if header_item is not None:
                header_item.setToolTip(header)
            chooser = QComboBox()
            chooser.setAccessibleName(_("Field of the column “{header}”").format(header=header))
            for choice in field_choices(self.kind):
                chooser.addItem(_(choice.label), choice.key)
            self.choosers.append(chooser)
            self.setCellWidget(0, index, chooser)
            self.set_field(index, fields[index] if index < len(fields) else UNMAPPED)
            chooser.currentIndexChanged.connect(lambda _i, column=index: self._chosen(column))
            for offset, cell in enumerate(SheetPreviewService.column_preview(table, index, rows)):
                value = shown(cell)
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.setItem(1 + offset, index, item)
        self.resizeRowToContents(0)

    def set_field(self, index: int, key: str) -> None:
        chooser = self.choosers[index]
        position = chooser.findData(key)
        chooser.setCurrentIndex(position if position >= 0 else chooser.findData(UNMAPPED))
        self._shade(index)

    def set_field_of(self, header: str, key: str) -> None:
        """Choose `key` for the column named `header`."""
        self.set_field(self.headers.index(header), key)

    def field_of(self, header: str) -> str:
        return str(self.choosers[self.headers.index(header)].currentData())

    def columns(self) -> dict[str, str]:
        """Each header and the field chosen for it."""
        return {
            header: str(chooser.currentData())
            for header, chooser in zip(self.headers, self.choosers, strict=True)
        }

    def _chosen(self, index: int) -> None:
        self._shade(index)
        self.changed.emit()

    def _shade(self, index: int) -> None:
        """An ignored column's values greyed out; a mapped column's header in bold."""
        key = str(self.choosers[index].currentData())
        header = self.horizontalHeaderItem(index)
        if header is not None:
            font = QFont(header.font())
            font.setBold(key not in (IGNORE, UNMAPPED))
            header.setFont(font)
        for row in range(1, self.rowCount()):
            item = self.item(row, index)
            if item is not None:
                item.setForeground(
                    Qt.GlobalColor.gray if key == IGNORE else self.palette().text().color()
                )


# -- the page --------------------------------------------------------------------------


class MappingPage(QWizardPage):
    def __init__(self, wizard: SheetImportWizard) -> None:
        super().__init__(wizard)
        self.owner = wizard
        self.loaded_for: tuple[object, ...] | None = None
        self.setTitle(_("What each column holds"))
        self.setSubTitle(
            _(
                "Each column was matched to a field of Boussole by its name. Check the "
                "choices above the first values, and correct them where needed."
            )
        )
        self.people = ColumnMapping(SheetKind.PEOPLE)
        self.meetings = ColumnMapping(SheetKind.APPOINTMENTS)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.people, _("People"))
        self.tabs.addTab(self.meetings, _("Appointments"))
        self.keep = QCheckBox(_("Keep the columns not recognised in the notes, as “Column: value”"))
        self.keep.setChecked(True)
        self.use = QToolButton()
        self.use.setText(_("Use a saved mapping"))
        self.use.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.use_menu = QMenu(self.use)
        self.use.setMenu(self.use_menu)
        self.use_menu.aboutToShow.connect(self._fill_use_menu)
        self.save = QToolButton()
        self.save.setText(_("Save this mapping"))
        self.save.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        save_menu = QMenu(self.save)
        save_menu.addAction(_("In the workspace, under a name…"), self.ask_name_and_save)
        save_menu.addAction(_("As a file…"), self.save_file)
        self.save.setMenu(save_menu)
        self.bar = QProgressBar()
        self.bar.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.error = ErrorLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.use)
        buttons.addWidget(self.save)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.keep)
        layout.addLayout(buttons)
        layout.addWidget(self.bar)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        self.people.changed.connect(self._check)
        self.meetings.changed.connect(self._check)

    # -- reading the tables

    def initializePage(self) -> None:
        owner = self.owner
        other_file = owner.appointments_file
        key = (owner.path, owner.sheet, owner.header_row, owner.appointments_sheet, other_file)
        if key == self.loaded_for and owner.people is not None:
            return
        self.loaded_for = None
        self.tabs.setEnabled(False)
        self.error.show_message("")
        self.message.setText(_("Reading the file…"))
        path, sheet, header, other = (
            owner.path,
            owner.sheet,
            owner.header_row,
            owner.appointments_sheet,
        )
        assert path is not None
        preview = owner.preview

        def work() -> Iterator[object]:
            people = yield from last_of(preview.reading(path, sheet, header))
            meetings = None
            if other:
                meetings = yield from last_of(preview.reading(path, other, None))
            elif other_file is not None:
                meetings = yield from last_of(preview.reading(other_file, None, None))
            yield (people, meetings)

        def done(result: object) -> None:
            if not isinstance(result, tuple):
                return
            owner.people, owner.appointments = result
            self.loaded_for = key
            self.show_tables(owner.mapping)

        def failed(error: BaseException) -> None:
            self.message.clear()
            self.error.show_message(error_sentence(error))
            self.completeChanged.emit()

        owner.run(work, done, failed, self.bar)
        self.completeChanged.emit()

    def show_tables(self, mapping: Mapping) -> None:
        """The tables read, each column under the field `mapping` gives it (else guessed)."""
        owner = self.owner
        if owner.people is None:
            return
        self.people.show_table(
            owner.people, mapping.columns(SheetKind.PEOPLE, owner.people.headers)
        )
        if owner.appointments is not None:
            self.meetings.show_table(
                owner.appointments,
                mapping.columns(SheetKind.APPOINTMENTS, owner.appointments.headers),
            )
        self.tabs.setTabVisible(1, owner.appointments is not None)
        self.tabs.setTabText(
            0,
            _("People: {sheet}").format(sheet=owner.people.sheet)
            if owner.people.sheet
            else _("People"),
        )
        self.keep.setChecked(mapping.keep_unmapped)
        self.tabs.setEnabled(True)
        self.message.setText(
            ngettext(
                "{count} row under the header.",
                "{count} rows under the header.",
                len(owner.people.rows),
            ).format(count=len(owner.people.rows))
        )
        self._check()

    def chosen_mapping(self) -> Mapping:
        owner = self.owner
        return Mapping(
            self.people.columns() if owner.people is not None else {},
            self.meetings.columns() if owner.appointments is not None else {},
            self.keep.isChecked(),
        )

    def apply(self, mapping: Mapping) -> None:
        """Take a saved mapping: its columns where it names them, the others guessed."""
        self.owner.mapping = mapping
        self.show_tables(mapping)

    def _check(self) -> None:
        """A people sheet needs its names: said at once, and Next waits for them."""
        columns = set(self.people.columns().values())
        named = bool(columns & {"last_name", "full_name", "full_name_first"})
        self.error.show_message(
            ""
            if named or self.owner.people is None
            else _("Choose the column of the last names (or of the full names) to go on.")
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.owner.people is None or self.owner.busy:
            return False
        return not self.error.isVisible() or not self.error.text()

    def validatePage(self) -> bool:
        self.owner.mapping = self.chosen_mapping()
        return True

    # -- saved mappings

    def _fill_use_menu(self) -> None:
        self.use_menu.clear()
        names = self.owner.preview.saved_mappings()
        for name in names:
            action = self.use_menu.addAction(name)
            action.setData(name)
            action.triggered.connect(lambda _checked=False, chosen=name: self.use_saved(chosen))
        if not names:
            none = self.use_menu.addAction(_("No mapping saved yet"))
            none.setEnabled(False)
        self.use_menu.addSeparator()
        self.use_menu.addAction(_("From a file…"), self.open_file)

    def use_saved(self, name: str) -> None:
        try:
            self.apply(self.owner.preview.mapping_named(name))
        except AdvisorError as error:
            self.error.show_message(describe(error))

    def save_named(self, name: str) -> None:
        try:
            self.owner.session.edit(
                lambda: self.owner.preview.save_mapping(name, self.chosen_mapping())
            )
        except AdvisorError as error:
            self.error.show_message(describe(error))
            return
        self.message.setText(_("The mapping was saved as “{name}”.").format(name=name))

    def ask_name_and_save(self) -> None:
        suggested = self.owner.path.stem if self.owner.path is not None else ""
        name, accepted = QInputDialog.getText(
            self, _("Save this mapping"), _("Name of the mapping:"), text=suggested
        )
        if accepted:
            self.save_named(name)

    def save_file(self) -> None:
        suggested = f"{self.owner.path.stem if self.owner.path else 'colonnes'}.json"
        path = choose_save_file(
            self,
            FileKind.SPREADSHEETS,
            _("Save this mapping"),
            suggested,
            _("Column mappings (*.json)"),
        )
        if path is not None:
            self.write_file(path)

    def write_file(self, path: Path) -> None:
        try:
            self.owner.preview.write_mapping_file(path, self.chosen_mapping())
        except (AdvisorError, OSError) as error:
            self.error.show_message(error_sentence(error))
            return
        self.message.setText(_("The mapping was saved in {name}.").format(name=path.name))

    def open_file(self) -> None:
        path = choose_open_file(
            self, FileKind.SPREADSHEETS, _("Use a saved mapping"), _("Column mappings (*.json)")
        )
        if path is not None:
            self.read_file(path)

    def read_file(self, path: Path) -> None:
        try:
            self.apply(self.owner.preview.mapping_from_file(path))
        except AdvisorError as error:
            self.error.show_message(describe(error))
