"""History: what changed in the case file, when, and by whom."""

from __future__ import annotations

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
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import UndoList


class HistoryPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, undo: UndoList, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, undo, parent)
        self.table = QTableWidget(0, 4)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def show_detail(self, detail: CaseDetail) -> None:
        super().show_detail(detail)
        self.table.setHorizontalHeaderLabels([_("When"), _("What"), _("Detail"), _("Advisor")])
        entries = sorted(detail.history, key=lambda h: h.revision, reverse=True)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for column, text in enumerate(
                (
                    format_datetime(entry.at),
                    _(action_label_id(entry.action)),
                    readable_detail(entry.action, entry.detail),
                    entry.advisor,
                )
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
