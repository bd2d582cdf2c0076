"""Project holders: the list of cases, filtered and searched as the advisor types."""

from __future__ import annotations

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
from advisor_app.ui.pages.holders_model import CASE_ROLE, HoldersModel
from advisor_app.ui.session import AppSession

SEARCH_DELAY_MS = 150


class HoldersPage(QWidget):
    new_case_requested = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = HoldersModel()
        self._stale = True

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.stage = QComboBox()
        self.late = QCheckBox()
        self.new_case = QPushButton()
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
        for column, width in enumerate((170, 200, 120, 180, 130, 105, 65)):
            self.table.setColumnWidth(column, width)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.status, 1)
        filters.addWidget(self.stage, 1)
        filters.addWidget(self.late)
        filters.addWidget(self.new_case)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self.timer.start())
        self.status.activated.connect(lambda _i: self.refresh())
        self.stage.activated.connect(lambda _i: self.refresh())
        self.late.toggled.connect(lambda _c: self.refresh())
        self.new_case.clicked.connect(self.new_case_requested)
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)
        session.changed.connect(self._on_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Project holders"))
        self.search.setPlaceholderText(_("Search by name, project, commune…"))
        self.late.setText(_("Late only"))
        self.new_case.setText(_("New case…"))
        self._fill_combo(
            self.status,
            [(_("All statuses"), None)] + [(label(s), s) for s in CaseStatus],
        )
        template = pathway_template()
        self._fill_combo(
            self.stage,
            [(_("All stages"), None)] + [(_(m.label), m.key) for m in template.milestones],
        )
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1)
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

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
        self.timer.stop()
        rows = self.session.services.search.cases(self.current_filter())
        self.model.set_rows(rows)
        self._stale = False
        self.count.setText(
            ngettext("{count} case", "{count} cases", len(rows)).format(count=len(rows))
        )

    def _on_changed(self, changes: Changes) -> None:
        if changes.case_list:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

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
