"""Financing: needs and resources with their totals and balance, forecast, funding requests."""

from __future__ import annotations

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

from advisor_app.domain.enums import FinancingSide
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, format_date, format_money, label
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.case.financing_tables import ForecastTable, PlanSideTable
from advisor_app.ui.dialogs.funding import FundingDialog
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import UndoList


class FinancingPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, undo: UndoList, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, undo, parent)
        self.needs = PlanSideTable(session, case_id, FinancingSide.NEED)
        self.resources = PlanSideTable(session, case_id, FinancingSide.RESOURCE)
        self.balance = QLabel()
        self.balance.setObjectName("balance")
        self.forecast = ForecastTable(session, case_id)
        self.funding_title = QLabel()
        self.funding = QTableWidget(0, 5)
        self.funding.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.funding.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.funding.verticalHeader().hide()
        header = self.funding.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(90)
        for column, width in ((1, 100), (2, 90), (3, 150), (4, 90)):
            self.funding.setColumnWidth(column, width)
        self.add_request = QPushButton()
        self.texts.add(self.add_request, N_("Add a funding request…"))
        self.add_request.clicked.connect(lambda: self._edit_request(None))
        self.funding.doubleClicked.connect(lambda index: self._edit_request(index.row()))

        funding_box = QVBoxLayout()
        funding_bar = QHBoxLayout()
        funding_bar.addWidget(self.funding_title, 1)
        funding_bar.addWidget(self.add_request)
        funding_box.addLayout(funding_bar)
        funding_box.addWidget(self.funding, 1)
        left = QVBoxLayout()
        plan = QHBoxLayout()
        plan.addWidget(self.needs)
        plan.addWidget(self.resources)
        left.addLayout(plan, 1)
        left.addWidget(self.balance)
        self.forecast.setMinimumWidth(520)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addWidget(self.forecast)
        page = QVBoxLayout(self)
        page.addLayout(columns, 3)
        page.addLayout(funding_box, 2)
        self._headers()

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
        if plan.is_balanced:
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

    def _edit_request(self, row: int | None) -> None:
        request = None
        if row is not None and self.detail is not None and 0 <= row < len(self.detail.funding):
            request = self.detail.funding[row]
        FundingDialog(self.session, self.case_id, request, parent=self).exec()
