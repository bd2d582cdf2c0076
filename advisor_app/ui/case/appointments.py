"""Appointments of a case: the list, the editor of the selected one, the total hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_datetime, format_duration, label
from advisor_app.services.views import AppointmentView, CaseDetail
from advisor_app.ui.case.appointment_editor import AppointmentEditor
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.dialogs.appointment import AppointmentDialog
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import UndoList


class AppointmentsPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, undo: UndoList, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, undo, parent)
        self.total = QLabel()
        self.total.setObjectName("totalHours")
        self.new_button = QPushButton()
        self.texts.add(self.new_button, N_("New appointment…"))
        self.new_button.clicked.connect(self.new_appointment)
        self.table = QTableWidget(0, 5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(1, 70)
        self.table.setColumnWidth(2, 110)
        self.table.setColumnWidth(3, 90)
        self.editor = AppointmentEditor(session, case_id, undo)
        self.editor.setMinimumWidth(380)
        self.editor.setMaximumWidth(440)
        top = QHBoxLayout()
        top.addWidget(self.total, 1)
        top.addWidget(self.new_button)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addWidget(self.editor)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.table.itemSelectionChanged.connect(self._selected)
        self._headers()

    def _headers(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [_("Date"), _("Duration"), _("Mode"), _("Status"), _("Topic")]
        )

    def retranslate(self) -> None:
        self._headers()
        self.editor.retranslate()
        super().retranslate()

    def appointments(self) -> list[AppointmentView]:
        if self.detail is None:
            return []
        return sorted(self.detail.appointments, key=lambda a: a.start, reverse=True)

    def show_detail(self, detail: CaseDetail) -> None:
        super().show_detail(detail)
        selected = self.editor.view.id if self.editor.view is not None else None
        self.total.setText(
            _("Total hours of accompaniment: {hours}").format(
                hours=format_duration(detail.done_minutes)
            )
        )
        rows = self.appointments()
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        select_row = -1
        for row, appointment in enumerate(rows):
            cells = [
                format_datetime(appointment.start),
                format_duration(appointment.minutes),
                label(appointment.mode),
                label(appointment.status),
                appointment.topic,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, appointment.id)
                self.table.setItem(row, column, item)
            if appointment.id == selected:
                select_row = row
        self.table.blockSignals(False)
        if select_row >= 0:
            self.table.selectRow(select_row)
        elif rows:
            self.table.selectRow(0)
        self._selected()

    def current(self) -> AppointmentView | None:
        row = self.table.currentRow()
        rows = self.appointments()
        return rows[row] if 0 <= row < len(rows) else None

    def select(self, appointment_id: str) -> None:
        for row, appointment in enumerate(self.appointments()):
            if appointment.id == appointment_id:
                self.table.selectRow(row)

    def _selected(self) -> None:
        self.editor.show_appointment(self.current())

    def new_appointment(self) -> None:
        now = self.session.services.context.now()
        start = (now + timedelta(days=1)).replace(hour=9, minute=30)
        dialog = AppointmentDialog(
            self.session, self.case_id, datetime.combine(start.date(), start.time()), parent=self
        )
        if dialog.exec() and dialog.appointment_id:
            self.select(dialog.appointment_id)
