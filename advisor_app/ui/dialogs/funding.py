"""A funding request: funder, kind, amount asked, committee date, decision, amount granted,
and for a loan its length, deferral and yearly rate."""

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
from advisor_app.domain.financing import LOAN_KINDS, ZERO_INTEREST_KINDS, basis_points_from_text
from advisor_app.domain.messages import N_
from advisor_app.domain.money import cents_from_text
from advisor_app.i18n import _, format_amount_to_edit, format_date, label, parse_date
from advisor_app.services import FundingDraft
from advisor_app.services.views import FundingView
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.buttons import accept_cancel
from advisor_app.ui.widgets.fields import ErrorLabel, Writer, say_refusal


def draft_of_request(request: FundingView) -> FundingDraft:
    """A request as it is kept, to write it back (undo)."""
    return FundingDraft(
        funder=request.funder,
        kind=request.kind,
        amount_asked_cents=request.amount_asked_cents,
        committee_on=request.committee_on,
        decision=request.decision,
        amount_granted_cents=request.amount_granted_cents,
        term_months=request.term_months,
        deferral_months=request.deferral_months,
        annual_rate_basis_points=request.annual_rate_basis_points,
    )


class FundingDialog(QDialog):
    """Checked at once, then written by the one writer (through the case's `edits` when
    given, so that Édition ▸ Annuler takes it back); closes once it has landed."""

    def __init__(
        self,
        session: AppSession,
        case_id: str,
        request: FundingView | None = None,
        parent: QWidget | None = None,
        edits: Writer | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.request = request
        self.edits = edits
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
        self.term = QLineEdit(_number(request.term_months if request else None))
        self.deferral = QLineEdit(_number(request.deferral_months if request else None))
        rate = request.annual_rate_basis_points if request else None
        self.rate = QLineEdit("" if rate is None else format_amount_to_edit(rate))
        if request is not None:
            self.kind.setCurrentIndex(self.kind.findData(request.kind))
            self.decision.setCurrentIndex(self.decision.findData(request.decision))
        self.kind.currentIndexChanged.connect(self._show_loan_terms)
        self._show_loan_terms()
        self.errors = {
            name: ErrorLabel()
            for name in (
                "funder",
                "amount_asked",
                "committee_on",
                "amount_granted",
                "term_months",
                "deferral_months",
                "annual_rate",
                "other",
            )
        }
        form = QFormLayout()
        for caption, editor, error in (
            (_("Funder"), self.funder, "funder"),
            (_("Kind"), self.kind, None),
            (_("Amount asked (€)"), self.asked, "amount_asked"),
            (_("Committee date"), self.committee, "committee_on"),
            (_("Decision"), self.decision, None),
            (_("Amount granted (€)"), self.granted, "amount_granted"),
            (_("Length of the loan (months, deferral included)"), self.term, "term_months"),
            (_("Deferral (months)"), self.deferral, "deferral_months"),
            (_("Yearly rate (%)"), self.rate, "annual_rate"),
        ):
            form.addRow(caption, editor)
            if error:
                form.addRow("", self.errors[error])
        buttons, _accept = accept_cancel(self, self.save)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors["other"])
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _show_loan_terms(self) -> None:
        """Length and deferral for a loan only; a rate for a loan that bears interest."""
        kind = self.kind.currentData()
        loan = kind in LOAN_KINDS
        self.term.setEnabled(loan)
        self.deferral.setEnabled(loan)
        self.rate.setEnabled(loan and kind not in ZERO_INTEREST_KINDS)
        self.rate.setPlaceholderText(_("interest-free") if kind in ZERO_INTEREST_KINDS else "")

    def draft(self) -> FundingDraft:
        committee = self.committee.text().strip()
        kind = self.kind.currentData()
        loan = kind in LOAN_KINDS
        interest = loan and kind not in ZERO_INTEREST_KINDS
        return FundingDraft(
            funder=self.funder.text(),
            kind=kind,
            amount_asked_cents=cents_from_text("amount_asked", self.asked.text()),
            committee_on=parse_date("committee_on", committee) if committee else None,
            decision=self.decision.currentData(),
            amount_granted_cents=cents_from_text("amount_granted", self.granted.text()),
            term_months=_months("term_months", self.term.text()) if loan else None,
            deferral_months=_months("deferral_months", self.deferral.text()) if loan else None,
            annual_rate_basis_points=basis_points_from_text("annual_rate", self.rate.text())
            if interest
            else None,
        )

    def save(self) -> None:
        for error in self.errors.values():
            error.show_message("")
        funding, case_id = self.session.services.funding, self.case_id
        try:
            draft = self.draft().checked()
        except AdvisorError as error:
            self._refused(error)
            return
        made: list[str] = []
        if self.request is None:
            text = _("Add the request to {funder}").format(funder=draft.funder.strip())

            def do() -> object:
                if made:  # redone after an undo: the same request comes back
                    return funding.restore_request(case_id, made[0], draft)
                request_id, changes = funding.add_request(case_id, draft)
                made.append(request_id)
                return changes

            def undo() -> object:
                return funding.remove_request(case_id, made[0])
        else:
            request_id, before = self.request.id, draft_of_request(self.request)
            text = _("Edit the request to {funder}").format(funder=before.funder)

            def do() -> object:
                return funding.update_request(case_id, request_id, draft)

            def undo() -> object:
                return funding.update_request(case_id, request_id, before)

        self.buttons.setEnabled(False)
        if self.edits is None:
            self.session.write(do, lambda _result: self.accept(), self._refused)
            return
        self.edits.change(
            text, do, undo, on_refused=self._refused, on_done=lambda _result: self.accept()
        )

    def _refused(self, error: BaseException) -> bool:
        self.buttons.setEnabled(True)
        return say_refusal(self.errors, error)


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _months(field: str, text: str) -> int | None:
    """A number of months typed in the dialog; None when nothing is typed."""
    if not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise ValidationError(
            field, N_("Type a whole number of months, such as 0, 6 or 60.")
        ) from None
