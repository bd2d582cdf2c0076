"""Appointments of a case: the list, the editor of the selected one, the total hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_datetime, format_duration, label
from advisor_app.services.views import AppointmentView, CaseDetail
from advisor_app.ui.case.appointment_editor import AppointmentEditor, draft_of
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.dialogs.appointment import AppointmentDialog
from advisor_app.ui.session import AppSession


class AppointmentsPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, edits: CaseEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, edits, parent)
        self.total = QLabel()
        self.total.setObjectName("totalHours")
        self.total.setWordWrap(True)
        self.new_button = QPushButton()
        self.texts.add(self.new_button, N_("New appointment…"))
        self.new_button.clicked.connect(self.new_appointment)
        self.remove_button = QPushButton()
        self.texts.add(self.remove_button, N_("Remove the appointment"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.dialog: AppointmentDialog | None = None
        self._wanted: str | None = None
        self.table = QTableWidget(0, 5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for column in (1, 3):  # duration, status: as wide as they read
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # the mode and the topic share the rest: in half a screen they are shortened (with
        # their whole text in a tooltip) rather than pushing the status out of sight
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        # in half a screen the topic is shortened (the editor beside shows it whole) rather
        # than the list scrolling sideways
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(False)
        self.editor = AppointmentEditor(session, case_id, edits)
        self.editor.setMinimumWidth(320)
        self.editor.setMaximumWidth(440)
        top = QHBoxLayout()
        top.addWidget(self.total, 1)
        top.addWidget(self.remove_button)
        top.addWidget(self.new_button)
        # the editor beside the list, or under it when the list's titles would not fit
        self.body = body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        body.addWidget(self.table, 3)  # in half a screen the list keeps the larger share
        # in half a screen the editor scrolls rather than making the window taller
        self.editor_area = QScrollArea()
        self.editor_area.setWidget(self.editor)
        self.editor_area.setWidgetResizable(True)
        self.editor_area.setFrameShape(QFrame.Shape.NoFrame)
        self.editor_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.editor_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to its fields
        bar = self.editor_area.verticalScrollBar().sizeHint().width()
        self.editor_area.setMinimumWidth(self.editor.minimumWidth() + bar)
        self.editor_area.setMaximumWidth(self.editor.maximumWidth() + bar)
        body.addWidget(self.editor_area, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.table.itemSelectionChanged.connect(self._selected)
        self._headers()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # beside when every column shows whole: the date, duration and status as wide as
        # their text, the mode and the topic at least as wide as their titles
        metrics = self.table.horizontalHeader().fontMetrics()
        needed = self.table.verticalScrollBar().sizeHint().width() + 4
        for column in range(self.table.columnCount()):
            title = self.table.horizontalHeaderItem(column)
            width = metrics.horizontalAdvance(title.text()) + 16 if title is not None else 0
            if column in (2, 4):
                width = max(width, 90)
            else:
                width = max(width, self.table.sizeHintForColumn(column))
            needed += width
        beside = event.size().width() - self.editor_area.minimumWidth() >= needed
        self.body.setDirection(
            QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        )
        super().resizeEvent(event)

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
        if self._wanted is not None and any(a.id == self._wanted for a in detail.appointments):
            selected, self._wanted = self._wanted, None
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
                item.setToolTip(text)
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
        current = self.current()
        self.remove_button.setEnabled(current is not None)
        self.editor.show_appointment(current)

    def new_appointment(self) -> AppointmentDialog:
        """The booking dialog, opened without waiting on it; the new one is selected."""
        now = self.session.services.context.now()
        start = (now + timedelta(days=1)).replace(hour=9, minute=30)
        dialog = AppointmentDialog(
            self.session,
            self.case_id,
            datetime.combine(start.date(), start.time()),
            parent=self,
            edits=self.edits,
        )
        dialog.accepted.connect(lambda: self._select_when_shown(dialog.appointment_id))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _select_when_shown(self, appointment_id: str | None) -> None:
        """The booking landed; its `Changes` are announced just after: select it then."""
        self._wanted = appointment_id
        if appointment_id is not None:
            self.select(appointment_id)

    def remove_selected(self) -> None:
        """Removed at once, put back by Édition ▸ Annuler (no question to answer first)."""
        appointment = self.current()
        if appointment is None:
            return
        appointments, case_id = self.session.services.appointments, self.case_id
        draft = draft_of(appointment)
        self.edits.change(
            _("Remove the appointment of {date}").format(date=format_datetime(appointment.start)),
            lambda: appointments.remove(case_id, appointment.id),
            lambda: appointments.restore(case_id, appointment.id, draft),
        )
