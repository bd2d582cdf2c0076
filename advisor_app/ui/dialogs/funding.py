"""A funding request: funder, kind, amount asked, committee date, decision, amount granted."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.enums import FundingDecision, FundingKind
from advisor_app.domain.errors import AdvisorError, ValidationError
from advisor_app.domain.money import cents_from_text
from advisor_app.i18n import _, describe, format_amount_to_edit, format_date, label, parse_date
from advisor_app.services import FundingDraft
from advisor_app.services.views import FundingView
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.buttons import accept_cancel
from advisor_app.ui.widgets.fields import ErrorLabel


class FundingDialog(QDialog):
    def __init__(
        self,
        session: AppSession,
        case_id: str,
        request: FundingView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.request = request
        self.setWindowTitle(_("Funding request"))
        self.funder = QLineEdit(request.funder if request else "")
        self.kind = QComboBox()
        for kind in FundingKind:
            self.kind.addItem(label(kind), kind)
        self.asked = QLineEdit(format_amount_to_edit(request.amount_asked_cents) if request else "")
        self.committee = QLineEdit(format_date(request.committee_on, "short") if request else "")
        self.decision = QComboBox()
        for decision in FundingDecision:
            self.decision.addItem(label(decision), decision)
        self.granted = QLineEdit(
            format_amount_to_edit(request.amount_granted_cents) if request else "0"
        )
        if request is not None:
            self.kind.setCurrentIndex(self.kind.findData(request.kind))
            self.decision.setCurrentIndex(self.decision.findData(request.decision))
        self.errors = {
            name: ErrorLabel()
            for name in ("funder", "amount_asked", "committee_on", "amount_granted", "other")
        }
        form = QFormLayout()
        for caption, editor, error in (
            (_("Funder"), self.funder, "funder"),
            (_("Kind"), self.kind, None),
            (_("Amount asked (€)"), self.asked, "amount_asked"),
            (_("Committee date"), self.committee, "committee_on"),
            (_("Decision"), self.decision, None),
            (_("Amount granted (€)"), self.granted, "amount_granted"),
        ):
            form.addRow(caption, editor)
            if error:
                form.addRow("", self.errors[error])
        buttons, _accept = accept_cancel(self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors["other"])
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def draft(self) -> FundingDraft:
        committee = self.committee.text().strip()
        return FundingDraft(
            funder=self.funder.text(),
            kind=self.kind.currentData(),
            amount_asked_cents=cents_from_text("amount_asked", self.asked.text()),
            committee_on=parse_date("committee_on", committee) if committee else None,
            decision=self.decision.currentData(),
            amount_granted_cents=cents_from_text("amount_granted", self.granted.text()),
        )

    def save(self) -> None:
        for error in self.errors.values():
            error.show_message("")
        funding = self.session.services.funding
        try:
            draft = self.draft()
            if self.request is None:
                self.session.edit(lambda: funding.add_request(self.case_id, draft))
            else:
                request_id = self.request.id
                self.session.edit(lambda: funding.update_request(self.case_id, request_id, draft))
        except ValidationError as error:
            self.errors.get(error.field, self.errors["other"]).show_message(describe(error))
            return
        except AdvisorError as error:
            self.errors["other"].show_message(describe(error))
            return
        self.accept()
