"""Project holders: the list of cases, filtered and searched as the advisor types."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.enums import CaseStatus
from advisor_app.i18n import _, label, ngettext
from advisor_app.services import CaseFilter, Changes
from advisor_app.services.context import pathway_template
from advisor_app.services.views import CaseSummary
from advisor_app.ui.dialogs.bin import BinDialog
from advisor_app.ui.pages.holders_model import CASE_ROLE, HoldersModel
from advisor_app.ui.session import AppSession

SEARCH_DELAY_MS = 150


SEARCH_SHOWN = 300


class HoldersPage(QWidget):
    new_case_requested = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = HoldersModel()
        self._stale = True
        self._unsearched: dict[tuple[CaseFilter, date], list[CaseSummary]] = {}

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.stage = QComboBox()
        self.late = QCheckBox()
        self.new_case = QPushButton()
        self.bin_button = QPushButton()
        self.bin_dialog: BinDialog | None = None
        self.count = QLabel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 190, 120, 170, 125, 100, 60)):
            self.table.setColumnWidth(column, width)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.status, 1)
        filters.addWidget(self.stage, 1)
        filters.addWidget(self.late)
        filters.addWidget(self.new_case)
        filters.addWidget(self.bin_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.refresh_search)
        self.search.textChanged.connect(lambda _text: self.timer.start())
        self.status.activated.connect(lambda _i: self.refresh())
        self.stage.activated.connect(lambda _i: self.refresh())
        self.late.toggled.connect(lambda _c: self.refresh())
        self.new_case.clicked.connect(self.new_case_requested)
        self.bin_button.clicked.connect(self.open_bin)
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)
        session.changed.connect(self._on_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Project holders"))
        self.search.setPlaceholderText(_("Search by name, project, commune…"))
        self.late.setText(_("Late only"))
        self.new_case.setText(_("New case…"))
        self.bin_button.setText(_("Bin…"))
        self.bin_button.setToolTip(_("Cases moved to the bin: restore them, or empty the bin"))
        self._fill_combo(
            self.status,
            [(_("All statuses"), None)] + [(label(s), s) for s in CaseStatus],
        )
        template = pathway_template()
        self._fill_combo(
            self.stage,
            [(_("All stages"), None)] + [(_(m.label), m.key) for m in template.milestones],
        )
        self.model.headerDataChanged.emit(
            Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1
        )
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True
        self._unsearched = {}

    @staticmethod
    def _fill_combo(combo: QComboBox, items: list[tuple[str, object]]) -> None:
        current = combo.currentData()
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(combo.findData(current), 0))

    def current_filter(self) -> CaseFilter:
        return CaseFilter(
            text=self.search.text(),
            status=self.status.currentData(),
            stage=self.stage.currentData(),
            late_only=self.late.isChecked(),
        )

    def refresh(self) -> None:
        """Read the list again from the workspace."""
        self._unsearched = {}
        self.refresh_search()

    def refresh_search(self) -> None:
        """The list for the current filter; the unsearched list is reused while typing."""
        self.timer.stop()
        case_filter = self.current_filter()
        total: int | None = None
        if case_filter.text.strip():
            # While typing, the best matches are enough: a word or two more narrows them.
            search = self.session.services.search
            rows = search.cases(replace(case_filter, limit=SEARCH_SHOWN))
            if len(rows) == SEARCH_SHOWN:
                total = search.count(case_filter)
        else:
            # The list without search words comes back each time the search box is cleared:
            # kept until a change touches the list (or the day changes, for "late").
            key = (case_filter, self.session.services.context.today())
            if key not in self._unsearched:
                self._unsearched = {key: self.session.services.search.cases(case_filter)}
            rows = self._unsearched[key]
        self.model.set_rows(rows)
        self._stale = False
        if total is not None and total > len(rows):
            self.count.setText(
                _("The {shown} best matches of {total} cases; type more words to narrow.").format(
                    shown=len(rows), total=total
                )
            )
        else:
            self.count.setText(
                ngettext("{count} case", "{count} cases", len(rows)).format(count=len(rows))
            )

    def _on_changed(self, changes: Changes) -> None:
        if changes.case_list:
            self._unsearched = {}
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True
        self._unsearched = {}

    def showEvent(self, event: object) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)  # type: ignore[arg-type]

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _open(self, index: QModelIndex) -> None:
        case_id = self.model.data(index, CASE_ROLE)
        row = self.model.row_at(index.row())
        if case_id and row.damaged is None:
            self.session.open_case(case_id)

    def open_bin(self) -> BinDialog:
        """Show the bin without waiting on it."""
        self.bin_dialog = BinDialog(self.session, self)
        self.bin_dialog.open()
        return self.bin_dialog
