"""Agenda: the week across all cases (or a list for any range), conflicts marked."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import _, format_date, format_datetime, format_duration, label
from advisor_app.services import CaseFilter, Changes
from advisor_app.services.views import AgendaItem
from advisor_app.ui.dialogs.appointment import AppointmentDialog
from advisor_app.ui.pages.agenda_week import WeekGrid
from advisor_app.ui.session import AppSession

LIST_WEEKS = 8


class AgendaPage(QWidget):
    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        today = session.services.context.today()
        self.monday = today - timedelta(days=today.weekday())
        self.items: list[AgendaItem] = []
        self._stale = True
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.period = QLabel()
        self.previous = QPushButton("◀")
        self.next = QPushButton("▶")
        self.this_week = QPushButton()
        self.as_list = QPushButton()
        self.as_list.setCheckable(True)
        self.range_to = QLabel()
        self.range_to.setVisible(False)
        self.range_first = QDateEdit()
        self.range_last = QDateEdit()
        for edit in (self.range_first, self.range_last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setVisible(False)
        self._set_range(self.monday, self.monday + timedelta(weeks=LIST_WEEKS, days=-1))
        self.conflicts = QLabel()
        self.conflicts.setStyleSheet("color: #d32f2f;")
        self.grid = WeekGrid()
        self.table = QTableWidget(0, 6)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.views = QStackedWidget()
        self.views.addWidget(self.grid)
        self.views.addWidget(self.table)
        bar = QHBoxLayout()
        bar.addWidget(self.previous)
        bar.addWidget(self.this_week)
        bar.addWidget(self.next)
        bar.addWidget(self.period, 1)
        bar.addWidget(self.range_first)
        bar.addWidget(self.range_to)
        bar.addWidget(self.range_last)
        bar.addWidget(self.conflicts)
        bar.addWidget(self.as_list)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(bar)
        layout.addWidget(self.views, 1)
        self.previous.clicked.connect(lambda: self.move_weeks(-1))
        self.next.clicked.connect(lambda: self.move_weeks(1))
        self.this_week.clicked.connect(self.go_today)
        self.as_list.toggled.connect(lambda _c: self.refresh())
        self.range_first.dateChanged.connect(lambda _d: self.refresh())
        self.range_last.dateChanged.connect(lambda _d: self.refresh())
        self.grid.appointment_clicked.connect(lambda item: session.open_case(item.case_id))
        self.grid.slot_chosen.connect(self.book_at)
        self.table.doubleClicked.connect(self._open_row)
        session.changed.connect(self._on_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Agenda"))
        self.this_week.setText(_("This week"))
        self.as_list.setText(_("List"))
        self.range_to.setText(_("to (last day)"))
        self.previous.setToolTip(_("Previous week"))
        self.next.setToolTip(_("Next week"))
        self.grid.setToolTip(
            _("Click an appointment to open its case; double-click a free slot to book one.")
        )
        self.table.setHorizontalHeaderLabels(
            [_("Date"), _("Duration"), _("Holder"), _("Mode"), _("Status"), _("Topic")]
        )
        self.refresh()

    def list_range(self) -> tuple[date, date]:
        """The days the list shows (any range the advisor chooses)."""
        first, last = self.range_first.date(), self.range_last.date()
        return (
            date(first.year(), first.month(), first.day()),
            date(last.year(), last.month(), last.day()),
        )

    def _set_range(self, first: date, last: date) -> None:
        for edit, day in ((self.range_first, first), (self.range_last, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def move_weeks(self, weeks: int) -> None:
        self.monday += timedelta(weeks=weeks)
        self.refresh()

    def go_today(self) -> None:
        today = self.session.services.context.today()
        self.monday = today - timedelta(days=today.weekday())
        self.refresh()

    def refresh(self) -> None:
        self._stale = False
        agenda = self.session.services.agenda
        today = self.session.services.context.today()
        listing = self.as_list.isChecked()
        for widget in (self.range_first, self.range_to, self.range_last):
            widget.setVisible(listing)
        for button in (self.previous, self.next, self.this_week):
            button.setVisible(not listing)
        if listing:
            first, last = self.list_range()
            self.items = agenda.between(first, last)
            self._fill_table()
            self.views.setCurrentWidget(self.table)
            self.period.setText(_("Appointments from"))
            self.range_last.setMinimumDate(self.range_first.date())
        else:
            last = self.monday + timedelta(days=6)
            self.items = agenda.week_of(self.monday)
            self.grid.show_week(self.monday, today, self.items)
            self.views.setCurrentWidget(self.grid)
            self.period.setText(
                _("From {first} to {last}").format(
                    first=format_date(self.monday, "long"), last=format_date(last, "long")
                )
            )
        clashes = sum(1 for item in self.items if item.conflict)
        self.conflicts.setText(
            _("{count} overlapping appointments").format(count=clashes) if clashes else ""
        )

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            cells = (
                format_datetime(item.start),
                format_duration(item.minutes),
                item.holder,
                label(item.mode),
                label(item.status),
                item.topic,
            )
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.case_id)
                if item.conflict:
                    cell.setForeground(Qt.GlobalColor.red)
                    cell.setToolTip(_("Overlaps another appointment"))
                self.table.setItem(row, column, cell)

    def _open_row(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.items):
            self.session.open_case(self.items[row].case_id)

    def book_at(self, start: datetime, case_id: str | None = None) -> str | None:
        """Book an appointment at `start`; ask which case when none is given."""
        if case_id is None:
            cases = self.session.services.search.cases(CaseFilter(status=None))
            names = [f"{c.display_name} – {c.project_title}" for c in cases if c.damaged is None]
            if not names:
                return None
            choice, ok = QInputDialog.getItem(
                self, _("New appointment"), _("For which project holder?"), names, 0, False
            )
            if not ok:
                return None
            case_id = [c for c in cases if c.damaged is None][names.index(choice)].case_id
        dialog = AppointmentDialog(self.session, case_id, start, parent=self)
        dialog.exec()
        return dialog.appointment_id

    def _on_changed(self, changes: Changes) -> None:
        if changes.agenda or changes.case_list:
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True

    def showEvent(self, event: object) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)  # type: ignore[arg-type]

    def week_range(self) -> tuple[date, date]:
        return self.monday, self.monday + timedelta(days=6)
