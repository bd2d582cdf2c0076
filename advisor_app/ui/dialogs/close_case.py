"""Closing a case: how the accompaniment ended, and when."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.enums import Outcome
from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, format_date, label, parse_date
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.buttons import accept_cancel
from advisor_app.ui.widgets.fields import ErrorLabel, Writer, say_refusal


class CloseCaseDialog(QDialog):
    """Choose an outcome and a date, then `save()`; no `exec()` needed. Written by the one
    writer (through the case's `edits` when given: Édition ▸ Annuler reopens it); the dialog
    closes once it has landed."""

    def __init__(
        self,
        session: AppSession,
        case_id: str,
        holder: str,
        parent: QWidget | None = None,
        edits: Writer | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.edits = edits
        self.setWindowTitle(_("Close this case"))
        self.explanation = QLabel(
            _(
                "The case of {holder} stays in the list as closed; it can be reopened at any time."
            ).format(holder=holder)
        )
        self.explanation.setWordWrap(True)
        self.outcome = QComboBox()
        for outcome in Outcome:
            self.outcome.addItem(label(outcome), outcome)
        self.closed_on = QLineEdit(format_date(session.services.context.today(), "short"))
        self.errors = {name: ErrorLabel() for name in ("closed_on", "other")}
        form = QFormLayout()
        form.addRow(_("Outcome"), self.outcome)
        form.addRow(_("Closing date"), self.closed_on)
        form.addRow("", self.errors["closed_on"])
        buttons, _accept = accept_cancel(self, self.save, _("Close this case"))
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.errors["other"])
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def choose_outcome(self, outcome: Outcome) -> None:
        self.outcome.setCurrentIndex(self.outcome.findData(outcome))

    def save(self) -> None:
        for error in self.errors.values():
            error.show_message("")
        outcome = Outcome(self.outcome.currentData())
        cases, case_id = self.session.services.cases, self.case_id
        try:
            closed_on = parse_date("closed_on", self.closed_on.text())
        except AdvisorError as error:
            self._refused(error)
            return
        self.buttons.setEnabled(False)
        if self.edits is None:
            self.session.write(
                lambda: cases.close(case_id, outcome, closed_on),
                lambda _result: self.accept(),
                self._refused,
            )
            return
        self.edits.change(
            _("Close the case"),
            lambda: cases.close(case_id, outcome, closed_on),
            lambda: cases.reopen(case_id),
            on_refused=self._refused,
            on_done=lambda _result: self.accept(),
        )

    def _refused(self, error: BaseException) -> bool:
        self.buttons.setEnabled(True)
        return say_refusal(self.errors, error)
