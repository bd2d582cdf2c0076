"""History: what changed in the case file, when, and by whom."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.history import action_label_id, readable_detail
from advisor_app.i18n import _, format_datetime
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.session import AppSession

WHEN, WHAT, DETAIL, ADVISOR = range(4)


class HistoryPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, undo: CaseEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, undo, parent)
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # one line per change: the detail takes the room left by the short columns, and a
        # detail too long for it is elided, said in full in its tooltip
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in (WHEN, WHAT, ADVISOR):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAIL, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def show_detail(self, detail: CaseDetail) -> None:
        super().show_detail(detail)
        self.table.setHorizontalHeaderLabels([_("When"), _("What"), _("Detail"), _("Advisor")])
        self.table.setAccessibleName(_("History of the case"))
        entries = sorted(detail.history, key=lambda h: h.revision, reverse=True)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for column, text in enumerate(
                (
                    format_datetime(entry.at),
                    _(action_label_id(entry.action)),
                    readable_detail(entry.action, entry.detail, _),
                    entry.advisor,
                )
            ):
                item = QTableWidgetItem(text)
                if column == DETAIL and text:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
