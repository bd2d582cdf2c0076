"""The holders list as a table model over plain `CaseSummary` rows (no query per row)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from advisor_app.i18n import (
    _,
    collation_key,
    describe,
    format_date,
    format_datetime,
    format_duration,
    label,
)
from advisor_app.services.search import damage_error
from advisor_app.services.views import CaseSummary

CASE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex

_FAR = datetime.max
_EARLY = date.min


def _stage_text(row: CaseSummary) -> str:
    if row.stage_label:
        return _(row.stage_label)
    return _("Not started")


# The same names come back at every key typed: their French sort keys are remembered.
_collated = lru_cache(maxsize=65_536)(collation_key)

_COLUMNS: list[
    tuple[Callable[[], str], Callable[[CaseSummary], str], Callable[[CaseSummary], Any]]
] = [
    (
        lambda: _("Name"),
        lambda r: r.display_name,
        lambda r: (_collated(r.last_name), _collated(r.first_name)),
    ),
    (lambda: _("Project"), lambda r: r.project_title, lambda r: _collated(r.project_title)),
    (lambda: _("Commune"), lambda r: r.commune, lambda r: _collated(r.commune)),
    (
        lambda: _("Stage"),
        _stage_text,
        lambda r: (r.milestones_done, r.stage or ""),
    ),
    (
        lambda: _("Next appointment"),
        lambda r: format_datetime(r.next_appointment),
        lambda r: r.next_appointment or _FAR,
    ),
    (
        lambda: _("Last contact"),
        lambda r: format_date(r.last_contact),
        lambda r: r.last_contact or _EARLY,
    ),
    (lambda: _("Hours"), lambda r: format_duration(r.done_minutes), lambda r: r.done_minutes),
    (lambda: _("Status"), lambda r: label(r.status), lambda r: r.status.value),
    # team mode: the référent of a shared case (shown only when the list holds the team's)
    (lambda: _("Lead advisor"), lambda r: r.advisor, lambda r: _collated(r.advisor)),
]
HOURS_COLUMN = 6
NEXT_COLUMN = 4
STATUS_COLUMN = 7
ADVISOR_COLUMN = 8
TEXT_COLUMNS = (0, 1, 2, 3, 8)  # their text may be elided in a narrow window: a tooltip says it


def header_tooltip(section: int) -> str:
    """The whole title of a column whose header is shortened."""
    return _COLUMNS[section][0]() if section == NEXT_COLUMN else ""


def header_text(section: int) -> str:
    if section == NEXT_COLUMN:
        # the full title is twice as wide as the date under it: shortened, said in full in
        # the tooltip
        return _("Next appt.")
    return _COLUMNS[section][0]()


def sorted_rows(
    rows: list[CaseSummary], sort: tuple[int, Qt.SortOrder] | None
) -> list[CaseSummary]:
    """A sorted copy of `rows` (names, projects and communes in French order)."""
    if sort is None:
        return list(rows)
    column, order = sort
    return sorted(rows, key=_COLUMNS[column][2], reverse=order == Qt.SortOrder.DescendingOrder)


class HoldersModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[CaseSummary] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        # the longest list given and the newest, each with its sort and its sorted copy: the
        # whole list comes back each time the search box is cleared, and sorting 10,000
        # names in French order takes longer than showing them
        self._given: list[tuple[list[CaseSummary], Any, list[CaseSummary]]] = []
        self._advisor_shown = False

    @property
    def advisor_shown(self) -> bool:
        """Whether the référent's column is there (the list holds cases of the team)."""
        return self._advisor_shown

    def show_advisor(self, shown: bool) -> None:
        if shown != self._advisor_shown:
            self.beginResetModel()
            self._advisor_shown = shown
            self.endResetModel()

    def set_rows(self, rows: list[CaseSummary]) -> None:
        self.beginResetModel()
        kept = [entry for entry in self._given if entry[0] is rows and entry[1] == self._sort]
        if kept:
            self._rows = kept[0][2]
            self._given = [entry for entry in self._given if entry is not kept[0]] + kept
        else:
            self.remember(rows, self._sort, sorted_rows(rows, self._sort))
            self._rows = self._given[-1][2]
        self.endResetModel()

    @property
    def sort_order(self) -> tuple[int, Qt.SortOrder] | None:
        return self._sort

    def remember(
        self,
        rows: list[CaseSummary],
        sort: tuple[int, Qt.SortOrder] | None,
        in_order: list[CaseSummary],
    ) -> None:
        """`in_order` is `rows` sorted by `sort` (done off the interface thread, say): kept
        for `set_rows(rows)`, with the longest list given before (the whole list)."""
        longest = sorted(self._given, key=lambda entry: len(entry[0]))[-1:]
        self._given = [*longest, (rows, sort, in_order)]

    def rows(self) -> list[CaseSummary]:
        return list(self._rows)

    def row_at(self, row: int) -> CaseSummary:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(_COLUMNS) if self._advisor_shown else ADVISOR_COLUMN

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return header_text(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return header_tooltip(section) or None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == CASE_ROLE:
            return row.case_id
        if role == SORT_ROLE:
            return _COLUMNS[column][2](row)
        if row.damaged is not None:
            return self._damaged_data(row, column, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return _COLUMNS[column][1](row)
        if role == Qt.ItemDataRole.ToolTipRole and column == 3 and row.late_milestones:
            return _("{count} late milestone(s)").format(count=row.late_milestones)
        if role == Qt.ItemDataRole.ToolTipRole and column in TEXT_COLUMNS:
            return _COLUMNS[column][1](row) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and row.late_milestones:
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column == HOURS_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _damaged_data(self, row: CaseSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.display_name or row.case_id
            if column == STATUS_COLUMN:
                return _("Damaged file")
            return ""
        if role == Qt.ItemDataRole.ToolTipRole and row.damaged:
            return describe(damage_error(row.damaged))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#8a6d00"))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._apply_sort(column, order)
        self.layoutChanged.emit()

    def _apply_sort(self, column: int, order: Qt.SortOrder) -> None:
        self._rows = sorted_rows(self._rows, (column, order))  # not the list kept by set_rows
