"""Project holders: the list of cases, filtered and searched as the advisor types.

In team mode (the workspace holds a case shared with the team) a filter chooses whose cases
the list shows (all, mine, the team's: remembered while the window is open), and the list
names the référent of each case unless it shows only the advisor's own."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
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

from advisor_app.domain.enums import CaseScope, CaseStatus
from advisor_app.i18n import _, format_date, format_datetime, format_duration, label, ngettext
from advisor_app.services import CaseFilter, Changes
from advisor_app.services.context import pathway_template
from advisor_app.services.search import SHOWN_WHILE_TYPING
from advisor_app.services.views import CaseSummary
from advisor_app.ui.dialogs.bin import BinDialog
from advisor_app.ui.pages.holders_model import (
    ADVISOR_COLUMN,
    CASE_ROLE,
    HoldersModel,
    header_text,
    sorted_rows,
)
from advisor_app.ui.session import AppSession

SEARCH_DELAY_MS = 150


# a whole list longer than this is read and sorted off the interface thread, shown when ready;
# so is the first, its length not known yet (counting it on the interface thread takes as long)
READ_IN_BACKGROUND_FROM = 2_000
# the filter of whose cases the list shows, in team mode: everything first, as before a team
SCOPE_CHOICES = (CaseScope.ALL, CaseScope.MINE, CaseScope.TEAM)
MINIMUM_SHARED = 80  # the narrowest a name, project, commune or stage column gets
CELL_PADDING = 18  # the margins of a cell and of a header section (sort arrow aside)


def fixed_column_widths(cells: QFontMetrics, headers: QFontMetrics) -> dict[int, int]:
    """The short columns (next appointment, last contact, hours, status), as wide as
    their widest content or title in the current language."""
    sample = datetime(2026, 12, 30, 23, 59)  # the longest month names in either language
    contents = {
        4: [format_datetime(sample), format_datetime(sample.replace(month=9))],
        5: [format_date(sample.date()), format_date(sample.date().replace(month=9))],
        6: [format_duration(999 * 60 + 59)],
        7: [label(status) for status in CaseStatus] + [_("Damaged file")],
    }
    widths: dict[int, int] = {}
    for column, texts in contents.items():
        widest = max(cells.horizontalAdvance(text) for text in texts)
        title = headers.horizontalAdvance(header_text(column)) + 14  # the sort arrow
        widths[column] = max(widest, title) + CELL_PADDING
    return widths


def shared_widths(rest: int, shared: dict[int, int], headers: QFontMetrics) -> dict[int, int]:
    """`rest` shared by the columns in `shared` in their proportions, each at least as wide
    as its title when they all fit (a narrow window, longer words); the last takes what
    rounding left."""
    titles = {column: headers.horizontalAdvance(header_text(column)) + 8 for column in shared}
    held: dict[int, int] = {}  # the columns given their title's width
    while True:
        free = {column: part for column, part in shared.items() if column not in held}
        spare = rest - sum(held.values())
        parts = sum(free.values()) or 1
        widths = held | {column: spare * part // parts for column, part in free.items()}
        short = {column: titles[column] for column in free if widths[column] < titles[column]}
        if (
            not short
            or len(held) + len(short) == len(shared)
            or sum((held | short).values()) > rest
        ):
            break
        held |= short
    widths[max(shared)] += rest - sum(widths.values())
    return widths


class HoldersPage(QWidget):
    new_case_requested = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = HoldersModel()
        self._stale = True
        self._unsearched: dict[tuple[CaseFilter, date], list[CaseSummary]] = {}
        self._reading: tuple[CaseFilter, date] | None = None  # a whole list being read
        self._whole_length: int | None = None  # how long the unfiltered list was last read
        self._team = False  # the workspace shares cases with a team: whose cases is asked

        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.scope = QComboBox()
        self.scope.setVisible(False)
        self.status = QComboBox()
        self.stage = QComboBox()
        self.late = QCheckBox()
        self.new_case = QPushButton()
        self.bin_button = QPushButton()
        self.bin_dialog: BinDialog | None = None
        self.count = QLabel()
        self.count.setWordWrap(True)
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
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        self.table.viewport().installEventFilter(self)
        for combo in (self.scope, self.status, self.stage):
            # a long stage name must not widen the window: the list drops down wide enough
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(10)

        # what the advisor does above what narrows the list: two rows fit half a screen
        actions = QHBoxLayout()
        actions.addWidget(self.search, 1)
        actions.addWidget(self.new_case)
        actions.addWidget(self.bin_button)
        filters = QHBoxLayout()
        filters.addWidget(self.scope, 1)
        filters.addWidget(self.status, 1)
        filters.addWidget(self.stage, 1)
        filters.addWidget(self.late)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.refresh_search)
        self.search.textChanged.connect(lambda _text: self.timer.start())
        self.scope.activated.connect(lambda _i: self._scope_chosen())
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
        self.search.setAccessibleName(_("Search the project holders"))
        self.table.setAccessibleName(_("Project holders"))
        self.scope.setAccessibleName(_("Whose cases"))
        self.status.setAccessibleName(_("Status"))
        self.stage.setAccessibleName(_("Stage"))
        self.late.setText(_("Late only"))
        self.new_case.setText(_("New case…"))
        self.bin_button.setText(_("Bin…"))
        self.bin_button.setToolTip(_("Cases moved to the bin: restore them, or empty the bin"))
        self._fill_combo(self.scope, [(label(scope), scope) for scope in SCOPE_CHOICES])
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
        self.fit_columns()
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
            scope=self.chosen_scope(),
        )

    def chosen_scope(self) -> CaseScope:
        """Whose cases the list shows: all of them, unless the workspace has a team."""
        chosen = self.scope.currentData()  # the value: Qt keeps the enum as a plain str
        return CaseScope(chosen) if self._team and chosen else CaseScope.ALL

    def refresh(self) -> None:
        """Read the list again from the workspace."""
        self._unsearched = {}
        self._reading = None
        self._follow_team()
        self.refresh_search()

    def _follow_team(self) -> None:
        """The filter of whose cases shown when the workspace shares cases with a team (a
        question the catalog's index answers at once), and the référent's column with it."""
        self._team = self.session.services.search.has_shared_cases()
        self.scope.setVisible(self._team)
        self._show_advisor()

    def _scope_chosen(self) -> None:
        self._show_advisor()
        self.refresh_search()

    def _show_advisor(self) -> None:
        shown = self.chosen_scope() is not CaseScope.MINE and self._team
        if shown == self.model.advisor_shown:
            return
        sorted_by = self.model.sort_order
        self.model.show_advisor(shown)
        if not shown and sorted_by is not None and sorted_by[0] == ADVISOR_COLUMN:
            self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.fit_columns()

    @property
    def loading(self) -> bool:
        """The whole list is being read off the interface thread."""
        return self._reading is not None

    def _read_in_background(self, key: tuple[CaseFilter, date]) -> None:
        """Read and sort a long list off the interface thread; shown when it comes back if
        the advisor has not typed a search meanwhile (kept for when the search is cleared)."""
        self._reading = key
        search, sort = self.session.services.search, self.model.sort_order

        def read() -> tuple[list[CaseSummary], list[CaseSummary]]:
            rows = search.cases(key[0])
            return rows, sorted_rows(rows, sort)

        def arrived(result: object) -> None:
            if not isinstance(result, tuple):
                return
            rows, in_order = result
            self._remember_length(key[0], rows)
            if self._reading != key:
                return  # the list changed meanwhile: read again
            self._reading = None
            self._unsearched = {key: rows}
            self.model.remember(rows, sort, in_order)
            if not self.search.text().strip() and self.current_filter() == key[0]:
                self.refresh_search()

        def failed(_error: BaseException) -> bool:
            if self._reading == key:
                self._reading = None  # read again when next shown; the failure is said
                self._stale = True
            return False

        self.session.tasks.read(read, arrived, failed)

    def _remember_length(self, case_filter: CaseFilter, rows: list[CaseSummary]) -> None:
        """The length of the whole list, when `rows` is it: a list filtered is as long or
        shorter, read here at once when it is short."""
        if (
            case_filter.status is None
            and case_filter.stage is None
            and not case_filter.late_only
            and case_filter.scope is CaseScope.ALL
        ):
            self._whole_length = len(rows)

    def refresh_search(self) -> None:
        """The list for the current filter; the unsearched list is reused while typing."""
        self.timer.stop()
        case_filter = self.current_filter()
        total: int | None = None
        if case_filter.text.strip():
            # While typing, the best matches are enough: a word or two more narrows them.
            rows, total = self.session.services.search.best_matches(case_filter, SHOWN_WHILE_TYPING)
        else:
            # The list without search words comes back each time the search box is cleared:
            # kept until a change touches the list (or the day changes, for "late").
            key = (case_filter, self.session.services.context.today())
            search = self.session.services.search
            if key not in self._unsearched:
                if self._reading == key:
                    self.count.setText(_("Reading the list of cases…"))
                    return
                if self._whole_length is None or self._whole_length > READ_IN_BACKGROUND_FROM:
                    self._read_in_background(key)
                    self.count.setText(_("Reading the list of cases…"))
                    return
                self._unsearched = {key: search.cases(case_filter)}
                self._remember_length(case_filter, self._unsearched[key])
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
            self._reading = None
            if self.isVisible():
                self.refresh()
            else:
                self._stale = True
        if changes.cases or changes.agenda or changes.settings:  # not a package sent
            self._unsearched = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().eventFilter(watched, event)

    def fit_columns(self) -> None:
        """Every column within the table's width, no scrollbar sideways: the short columns
        as wide as what they show (a sample date, the longest status), the rest shared by
        name, project, commune and stage; the commune, then the last contact, give way in a
        narrow window (the case shows them)."""
        header = self.table.horizontalHeader()
        sizes = fixed_column_widths(self.table.fontMetrics(), header.fontMetrics())
        available = self.table.viewport().width()
        hidden: set[int] = set()
        shared = {0: 3, 1: 3, 2: 2, 3: 3}
        if self.model.advisor_shown:
            shared[ADVISOR_COLUMN] = 2
        for give_way in (None, 2, 5):
            if give_way is not None:
                hidden.add(give_way)
                shared.pop(give_way, None)
            rest = available - sum(w for c, w in sizes.items() if c not in hidden)
            if rest >= MINIMUM_SHARED * len(shared):
                break
        widths = shared_widths(max(rest, 0), shared, header.fontMetrics())
        for column in range(self.model.columnCount()):
            self.table.setColumnHidden(column, column in hidden)
            if column in hidden:
                continue
            self.table.setColumnWidth(column, sizes.get(column) or widths[column])

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
