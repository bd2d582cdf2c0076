"""Financing: needs and resources with their totals and balance, forecast, funding requests."""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
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
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_date, format_money, label
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.case.financing_tables import ForecastTable, PlanSideTable
from advisor_app.ui.dialogs.funding import FundingDialog, draft_of_request
from advisor_app.ui.session import AppSession

FORECAST_BESIDE_WIDTH = 900


class FinancingPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, edits: CaseEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, edits, parent)
        self.needs = PlanSideTable(session, case_id, FinancingSide.NEED, edits)
        self.resources = PlanSideTable(session, case_id, FinancingSide.RESOURCE, edits)
        self.balance = QLabel()
        self.balance.setObjectName("balance")
        self.balance.setWordWrap(True)
        self.forecast = ForecastTable(session, case_id, edits)
        self.funding_title = QLabel()
        self.funding = QTableWidget(0, 5)
        self.funding.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.funding.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.funding.verticalHeader().hide()
        header = self.funding.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)  # the funder's name keeps room in half a screen
        for column, width in ((1, 100), (2, 90), (3, 150), (4, 90)):
            self.funding.setColumnWidth(column, width)
        self.add_request = QPushButton()
        self.texts.add(self.add_request, N_("Add a funding request…"))
        self.add_request.clicked.connect(lambda: self._edit_request(None))
        self.funding.doubleClicked.connect(lambda index: self._edit_request(index.row()))
        self.remove_request = QPushButton()
        self.texts.add(self.remove_request, N_("Remove the request"))
        self.remove_request.clicked.connect(self.remove_selected_request)
        self.dialog: FundingDialog | None = None

        funding_box = QVBoxLayout()
        funding_bar = QHBoxLayout()
        funding_bar.addWidget(self.funding_title, 1)
        funding_bar.addWidget(self.remove_request)
        funding_bar.addWidget(self.add_request)
        funding_box.addLayout(funding_bar)
        funding_box.addWidget(self.funding, 1)
        left = QVBoxLayout()
        plan = QHBoxLayout()
        plan.addWidget(self.needs)
        plan.addWidget(self.resources)
        left.addLayout(plan, 1)
        left.addWidget(self.balance)
        # the forecast beside the plan in a wide window, under it in half a screen
        self.columns = columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        columns.addLayout(left, 1)
        columns.addWidget(self.forecast, 1)
        page = QVBoxLayout(self)
        page.addLayout(columns, 3)
        page.addLayout(funding_box, 2)
        self._headers()

    def resizeEvent(self, event: QResizeEvent) -> None:
        wide = event.size().width() >= FORECAST_BESIDE_WIDTH
        self.columns.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )
        super().resizeEvent(event)

    def _headers(self) -> None:
        self.funding_title.setText(_("Funding requests"))
        self.funding.setHorizontalHeaderLabels(
            [_("Funder"), _("Kind"), _("Asked"), _("Decision"), _("Granted")]
        )

    def retranslate(self) -> None:
        self._headers()
        self.needs.retranslate()
        self.resources.retranslate()
        self.forecast.retranslate()
        super().retranslate()

    def show_detail(self, detail: CaseDetail) -> None:
        super().show_detail(detail)
        plan = detail.plan
        lines = list(zip(detail.plan_line_ids, plan.lines, strict=False))
        self.needs.show_lines(
            [
                (i, line.label, line.amount_cents)
                for i, line in lines
                if line.side is FinancingSide.NEED
            ],
            plan.total_needs,
        )
        self.resources.show_lines(
            [
                (i, line.label, line.amount_cents)
                for i, line in lines
                if line.side is FinancingSide.RESOURCE
            ],
            plan.total_resources,
        )
        if not plan.lines:  # nothing to balance yet: neither green nor red
            self.balance.setText(
                _("The plan is empty: add its needs and the resources that cover them.")
            )
            self.balance.setStyleSheet("")
        elif plan.is_balanced:
            self.balance.setText(_("The plan is balanced: needs and resources are equal."))
            self.balance.setStyleSheet("color: #2e7d32;")
        elif plan.gap < 0:
            self.balance.setText(
                _("The plan is not balanced: {amount} of resources missing.").format(
                    amount=format_money(-plan.gap)
                )
            )
            self.balance.setStyleSheet("color: #b00020;")
        else:
            self.balance.setText(
                _("The plan is not balanced: resources exceed needs by {amount}.").format(
                    amount=format_money(plan.gap)
                )
            )
            self.balance.setStyleSheet("color: #b00020;")
        self.forecast.show_years(detail.forecast)
        self.remove_request.setEnabled(bool(detail.funding))
        self.funding.setRowCount(len(detail.funding))
        for row, request in enumerate(detail.funding):
            decision = label(request.decision)
            if request.committee_on is not None:
                decision = _("{decision} ({date})").format(
                    decision=decision, date=format_date(request.committee_on, "short")
                )
            for column, text in enumerate(
                (
                    request.funder,
                    label(request.kind),
                    format_money(request.amount_asked_cents),
                    decision,
                    format_money(request.amount_granted_cents),
                )
            ):
                self.funding.setItem(row, column, QTableWidgetItem(text))

    def _edit_request(self, row: int | None) -> FundingDialog:
        """The request's dialog, opened without waiting on it; saved through the edits."""
        request = None
        if row is not None and self.detail is not None and 0 <= row < len(self.detail.funding):
            request = self.detail.funding[row]
        self.dialog = FundingDialog(
            self.session, self.case_id, request, parent=self, edits=self.edits
        )
        self.dialog.open()
        return self.dialog

    def remove_selected_request(self) -> None:
        """Removed at once, put back by Édition ▸ Annuler."""
        row = self.funding.currentRow()
        if self.detail is None or not 0 <= row < len(self.detail.funding):
            return
        request = self.detail.funding[row]
        funding, case_id = self.session.services.funding, self.case_id
        draft = draft_of_request(request)
        self.edits.change(
            _("Remove the request to {funder}").format(funder=request.funder),
            lambda: funding.remove_request(case_id, request.id),
            lambda: funding.restore_request(case_id, request.id, draft),
        )
