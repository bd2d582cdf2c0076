"""The tables of the financing page: one side of the plan, and the 3-year forecast."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.enums import FinancingSide
from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.financing import FORECAST_ITEMS, ForecastYear
from advisor_app.domain.messages import N_
from advisor_app.domain.money import cents_from_text
from advisor_app.i18n import _, describe, format_money
from advisor_app.services.funding import PlanLineRecord
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import ErrorLabel, Work

FORECAST_LABELS: dict[str, str] = {
    "turnover": N_("Turnover"),
    "purchases": N_("Purchases"),
    "external_charges": N_("External charges"),
    "taxes": N_("Taxes"),
    "salaries": N_("Salaries"),
    "owner_pay": N_("Owner's pay"),
    "social_charges": N_("Social charges"),
    "depreciation": N_("Depreciation"),
    "loan_interest": N_("Loan interest"),
}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _fixed(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if align_right:
        item.setTextAlignment(RIGHT)
    return item


class PlanSideTable(QWidget):
    """The needs or the resources: label and amount per line, edited in place, a total."""

    def __init__(
        self, session: AppSession, case_id: str, side: FinancingSide, edits: CaseEdits
    ) -> None:
        super().__init__()
        self.session = session
        self.case_id = case_id
        self.side = side
        self.edits = edits
        self.lines: list[tuple[str, str, int]] = []
        self._total = 0
        self.title = QLabel()
        self.table = QTableWidget(0, 2)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 130)
        self.total = QLabel()
        self.add = QPushButton()
        self.remove = QPushButton()
        self.error = ErrorLabel()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add)
        buttons.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.table.itemChanged.connect(self._edited)
        self.add.clicked.connect(self._add_line)
        self.remove.clicked.connect(self._remove_line)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Needs") if self.side is FinancingSide.NEED else _("Resources"))
        self.table.setHorizontalHeaderLabels([_("Line"), _("Amount")])
        self.add.setText(_("Add a line"))
        self.remove.setText(_("Remove"))

    def show_lines(self, lines: list[tuple[str, str, int]], total: int) -> None:
        self.lines, self._total = lines, total
        self.table.blockSignals(True)
        self.table.setRowCount(len(lines))
        for row, (_line_id, text, cents) in enumerate(lines):
            self.table.setItem(row, 0, QTableWidgetItem(text))
            amount = QTableWidgetItem(format_money(cents))
            amount.setTextAlignment(RIGHT)
            self.table.setItem(row, 1, amount)
        self.table.blockSignals(False)
        self.total.setText(_("Total: {amount}").format(amount=format_money(total)))

    def _change(
        self, text: str, do: Work, undo: Work, on_done: Callable[[], None] | None = None
    ) -> None:
        def landed(_result: object) -> None:
            if on_done is not None:
                on_done()

        self.error.show_message("")
        self.edits.change(text, do, undo, on_refused=self._refused, on_done=landed)

    def _refused(self, error: BaseException) -> bool:
        """Said under the table, which shows the stored lines again."""
        self.show_lines(self.lines, self._total)
        if isinstance(error, AdvisorError):
            self.error.show_message(describe(error))
            return True
        return False

    def _edited(self, item: QTableWidgetItem) -> None:
        row = item.row()
        if not 0 <= row < len(self.lines):
            return
        line_id, text, cents = self.lines[row]
        funding, case_id = self.session.services.funding, self.case_id
        label_item, amount_item = self.table.item(row, 0), self.table.item(row, 1)
        new_label = label_item.text() if label_item else text
        try:
            new_cents = cents_from_text("amount", amount_item.text()) if amount_item else cents
        except AdvisorError as error:
            self.error.show_message(describe(error))
            return
        if (new_label, new_cents) == (text, cents):
            return
        self._change(
            _("Edit the line {line}").format(line=text),
            lambda: funding.update_plan_line(case_id, line_id, new_label, new_cents),
            lambda: funding.update_plan_line(case_id, line_id, text, cents),
        )

    def _add_line(self) -> None:
        """A line named "New line" at the end, its name open for typing once it is there."""
        funding, case_id, side = self.session.services.funding, self.case_id, self.side
        text = _("New line")
        added: list[PlanLineRecord] = []

        def add() -> object:
            if added:  # redone after an undo
                return funding.restore_plan_line(case_id, added[0])
            line_id, changes = funding.add_plan_line(case_id, side, text, 0)
            added.append(funding.plan_line(case_id, line_id))
            return changes

        self._change(
            _("Add a line to the plan"),
            add,
            lambda: funding.remove_plan_line(case_id, added[0].id),
            on_done=lambda: self._edit_line(added[0].id),
        )

    def _edit_line(self, line_id: str) -> None:
        """Once the page shows the new line (its `Changes` come just after), edit its name."""

        def start() -> None:
            for row, (shown_id, _text, _cents) in enumerate(self.lines):
                if shown_id == line_id:
                    self.table.setCurrentCell(row, 0)
                    item = self.table.item(row, 0)
                    if item is not None:
                        self.table.editItem(item)

        QTimer.singleShot(0, start)

    def _remove_line(self) -> None:
        """Removed at once, put back at its place by Édition ▸ Annuler."""
        row = self.table.currentRow()
        if not 0 <= row < len(self.lines):
            return
        line_id, text, _cents = self.lines[row]
        funding, case_id = self.session.services.funding, self.case_id
        removed: list[PlanLineRecord] = []

        def remove() -> object:
            removed[:] = [funding.plan_line(case_id, line_id)]
            return funding.remove_plan_line(case_id, line_id)

        self._change(
            _("Remove the line {line}").format(line=text),
            remove,
            lambda: funding.restore_plan_line(case_id, removed[0]),
        )


class ForecastTable(QWidget):
    """Forecast items for years 1 to 3, edited in place, with result and break-even."""

    def __init__(self, session: AppSession, case_id: str, edits: CaseEdits) -> None:
        super().__init__()
        self.session = session
        self.case_id = case_id
        self.edits = edits
        self.years: list[ForecastYear] = []
        self.title = QLabel()
        self.table = QTableWidget(len(FORECAST_ITEMS) + 2, 3)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.error = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        self.table.itemChanged.connect(self._edited)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Three-year forecast"))
        self.table.setHorizontalHeaderLabels(
            [_("Year {number}").format(number=n) for n in (1, 2, 3)]
        )
        self.table.setVerticalHeaderLabels(
            [_(FORECAST_LABELS[item]) for item in FORECAST_ITEMS]
            + [_("Result"), _("Break-even turnover")]
        )

    def show_years(self, years: list[ForecastYear]) -> None:
        self.years = years
        by_year = {y.year: y for y in years}
        self.table.blockSignals(True)
        for column in range(3):
            year = by_year.get(column + 1, ForecastYear(column + 1, {}))
            for row, item in enumerate(FORECAST_ITEMS):
                cell = QTableWidgetItem(format_money(year.amount(item)))
                cell.setTextAlignment(RIGHT)
                self.table.setItem(row, column, cell)
            self.table.setItem(len(FORECAST_ITEMS), column, _fixed(format_money(year.result), True))
            break_even = year.break_even_turnover
            self.table.setItem(
                len(FORECAST_ITEMS) + 1,
                column,
                _fixed(format_money(break_even) if break_even is not None else "–", True),
            )
        self.table.blockSignals(False)

    def _edited(self, cell: QTableWidgetItem) -> None:
        if cell.row() >= len(FORECAST_ITEMS):
            return
        item, year = FORECAST_ITEMS[cell.row()], cell.column() + 1
        funding, case_id = self.session.services.funding, self.case_id
        stored = next((y for y in self.years if y.year == year), ForecastYear(year, {}))
        before = stored.amount(item)
        try:
            cents = cents_from_text(item, cell.text())
        except AdvisorError as error:
            self.error.show_message(describe(error))
            return
        self.error.show_message("")
        if cents == before:
            return
        self.edits.change(
            _("Edit the forecast: {item}, year {number}").format(
                item=_(FORECAST_LABELS[item]), number=year
            ),
            lambda: funding.set_forecast(case_id, year, item, cents),
            lambda: funding.set_forecast(case_id, year, item, before),
            on_refused=self._refused,
        )

    def _refused(self, error: BaseException) -> bool:
        self.show_years(self.years)
        if isinstance(error, AdvisorError):
            self.error.show_message(describe(error))
            return True
        return False
