"""Agenda: the week across all cases (or a list for any range), conflicts marked.

The page fits half a screen: its controls take two rows (the title and the conflicts, then
the navigation and the view) and none of them imposes a width the window must follow. In team
mode (the workspace holds a case shared with the team) a filter beside the title chooses whose
appointments are shown: all, mine, the team's (remembered while the window is open).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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

from advisor_app.domain.enums import AppointmentStatus, CaseScope
from advisor_app.i18n import _, format_date, format_datetime, format_duration, label, ngettext
from advisor_app.services import CaseFilter, Changes
from advisor_app.services.views import AgendaItem
from advisor_app.ui.dialogs.appointment import AppointmentDialog
from advisor_app.ui.pages.agenda_week import CONFLICT, WeekGrid, WeekLayout, week_layout
from advisor_app.ui.pages.holders import SCOPE_CHOICES
from advisor_app.ui.session import AppSession

LIST_WEEKS = 8
# more appointments than this (a busy week at 10,000 cases) are read off the interface thread
READ_IN_BACKGROUND_FROM = 150
HOLDER_COLUMN, TOPIC_COLUMN = 2, 5


class AgendaPage(QWidget):
    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        today = session.services.context.today()
        self.monday = today - timedelta(days=today.weekday())
        self.items: list[AgendaItem] = []
        self._stale = True
        self._reading: tuple[bool, date, date, CaseScope] | None = None  # read in background
        self._team = False  # the workspace shares cases with a team: whose cases is asked
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.period = QLabel()
        self.scope = QComboBox()
        self.scope.setVisible(False)
        self.scope.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.scope.setMinimumContentsLength(10)
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
        self.conflicts.setStyleSheet(f"color: {CONFLICT.name()};")
        self.period.setWordWrap(True)
        self.grid = WeekGrid()
        self.table = QTableWidget(0, 6)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(6):
            stretch = column in (HOLDER_COLUMN, TOPIC_COLUMN)
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if stretch
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        self.views = QStackedWidget()
        self.views.addWidget(self.grid)
        self.views.addWidget(self.table)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(
            self.conflicts, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        top.addWidget(self.scope)
        bar = QHBoxLayout()
        bar.addWidget(self.previous)
        bar.addWidget(self.this_week)
        bar.addWidget(self.next)
        bar.addWidget(self.period)
        bar.addWidget(self.range_first)
        bar.addWidget(self.range_to)
        bar.addWidget(self.range_last)
        bar.addStretch(1)
        bar.addWidget(self.as_list)
        self.bar = bar
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(bar)
        layout.addWidget(self.views, 1)
        self.previous.clicked.connect(lambda: self.move_weeks(-1))
        self.next.clicked.connect(lambda: self.move_weeks(1))
        self.this_week.clicked.connect(self.go_today)
        self.as_list.toggled.connect(lambda _c: self.refresh())
        self.scope.activated.connect(lambda _i: self.refresh())
        self.range_first.dateChanged.connect(lambda _d: self.refresh())
        self.range_last.dateChanged.connect(lambda _d: self.refresh())
        self.grid.appointment_opened.connect(self.open_appointment)
        self.grid.slot_chosen.connect(self.book_at)
        self.table.activated.connect(lambda _index: self._open_row())
        session.changed.connect(self._on_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Agenda"))
        self.this_week.setText(_("This week"))
        self.as_list.setText(_("List"))
        self.range_to.setText(_("to (last day)"))
        for button, name in ((self.previous, _("Previous week")), (self.next, _("Next week"))):
            button.setToolTip(name)
            button.setAccessibleName(name)  # the arrow says nothing to a screen reader
        self.grid.setToolTip(
            _("Double-click an appointment to open it; double-click a free slot to book one.")
        )
        self.grid.setAccessibleName(_("Appointments of the week"))
        self.scope.setAccessibleName(_("Whose cases"))
        chosen = self.scope.currentData()
        self.scope.clear()
        for scope in SCOPE_CHOICES:
            self.scope.addItem(label(scope), scope)
        self.scope.setCurrentIndex(max(self.scope.findData(chosen), 0))
        self.table.setAccessibleName(_("Appointments"))
        self.table.setHorizontalHeaderLabels(
            [_("Date"), _("Duration"), _("Person"), _("Mode"), _("Status"), _("Topic")]
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

    def chosen_scope(self) -> CaseScope:
        """Whose appointments are shown: all of them, unless the workspace has a team."""
        chosen = self.scope.currentData()  # the value: Qt keeps the enum as a plain str
        return CaseScope(chosen) if self._team and chosen else CaseScope.ALL

    def refresh(self) -> None:
        self._stale = False
        agenda = self.session.services.agenda
        # the filter shows once a case is shared with the team (the index answers at once)
        self._team = self.session.services.search.has_shared_cases()
        self.scope.setVisible(self._team)
        self.grid.referents = self._team
        scope = self.chosen_scope()
        listing = self.as_list.isChecked()
        # the texts change before the controls show, so that no long text ever asks for a
        # width the window would have to follow; the week's dates wrap when short of room
        if listing:
            period = _("Appointments from")
        else:
            period = _("From {first} to {last}").format(
                first=format_date(self.monday, "long"),
                last=format_date(self.monday + timedelta(days=6), "long"),
            )
        self.period.setText(period)
        unwrapped = self.period.fontMetrics().horizontalAdvance(period) + 4
        self.period.setMinimumWidth(min(unwrapped, 220) if listing else 60)
        self.bar.setStretchFactor(self.period, 0 if listing else 1)
        self.bar.setStretch(self.bar.count() - 2, 1 if listing else 0)
        week_controls = (self.previous, self.this_week, self.next)
        list_controls = (self.range_first, self.range_to, self.range_last)
        for widget in list_controls if not listing else week_controls:  # hidden first
            widget.setVisible(False)
        for widget in list_controls if listing else week_controls:
            widget.setVisible(True)
        if listing:
            first, last = self.list_range()
            self.range_last.setMinimumDate(self.range_first.date())
        else:
            first, last = self.week_range()
        asked = (listing, first, last, scope)
        if agenda.count_between(first, last, scope) <= READ_IN_BACKGROUND_FROM:
            self._reading = None
            self._show(asked, agenda.between(first, last, scope))
            return
        # a quiet empty view until they come; what was asked since wins
        self._reading = asked
        self._show(asked, [])
        self.conflicts.setText(_("Reading the appointments…"))

        def read() -> tuple[list[AgendaItem], WeekLayout | None]:
            items = agenda.between(first, last, scope)
            return items, None if listing else week_layout(first, items)

        def arrived(result: object) -> None:
            if self._reading == asked and isinstance(result, tuple):
                self._reading = None
                self._show(asked, *result)

        def failed(_error: BaseException) -> bool:
            if self._reading == asked:
                self._reading = None
                self._stale = True  # read again when next shown; the failure is said
            return False

        self.session.tasks.read(read, arrived, failed)

    @property
    def loading(self) -> bool:
        """The appointments asked for are being read off the interface thread."""
        return self._reading is not None

    def _show(
        self,
        asked: tuple[bool, date, date, CaseScope],
        items: list[AgendaItem],
        laid: WeekLayout | None = None,
    ) -> None:
        listing, first, _last, _scope = asked
        self.items = items
        if listing:
            self._fill_table()
            self.views.setCurrentWidget(self.table)
        else:
            self.grid.show_week(first, self.session.services.context.today(), self.items, laid)
            self.views.setCurrentWidget(self.grid)
        clashes = sum(1 for item in self.items if item.conflict)
        self.conflicts.setText(
            ngettext(
                "{count} conflicting appointment",
                "{count} conflicting appointments",
                clashes,
            ).format(count=clashes)
            if clashes
            else ""
        )
        self.conflicts.setToolTip(
            _("Appointments of the same advisor at the same time, neither cancelled.")
            if clashes
            else ""
        )

    def _fill_table(self) -> None:
        self.table.setRowCount(len(self.items))
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
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
                cell.setData(Qt.ItemDataRole.UserRole, item.appointment_id)
                if item.status is AppointmentStatus.CANCELLED:
                    cell.setForeground(muted)
                if column == HOLDER_COLUMN and self._team and item.advisor:
                    cell.setToolTip(_("Lead advisor: {name}").format(name=item.advisor))
                if item.conflict and column == 0:  # a mark on the date, not a red row
                    cell.setText(f"⚠ {text}")
                    cell.setForeground(CONFLICT)
                    cell.setToolTip(_("Overlaps another appointment of the same advisor"))
                self.table.setItem(row, column, cell)

    def _open_row(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.items):
            self.open_appointment(self.items[row])

    def open_appointment(self, item: AgendaItem) -> None:
        """Its case, on the Appointments page, that appointment selected."""
        self.session.open_appointment(item.case_id, item.appointment_id)

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
