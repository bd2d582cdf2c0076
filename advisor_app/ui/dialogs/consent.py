"""Recording a person's consent: to the processing of their data, or to share with a partner."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.enums import ConsentScope
from advisor_app.domain.errors import AdvisorError, ValidationError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, describe, format_date, parse_date
from advisor_app.services import Changes
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.buttons import accept_cancel
from advisor_app.ui.widgets.fields import ErrorLabel, Writer, say_refusal


class ConsentDialog(QDialog):
    """Fill `how` (and `partner` for sharing), then `save()`; no `exec()` needed."""

    def __init__(
        self,
        session: AppSession,
        case_id: str,
        scope: ConsentScope,
        parent: QWidget | None = None,
        edits: Writer | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.edits = edits  # the case's: written by the one writer, undone from Édition
        self.scope = scope
        sharing = scope is ConsentScope.SHARING
        self.setWindowTitle(
            _("Consent to share with a partner") if sharing else _("Consent to data processing")
        )
        self.explanation = QLabel(
            _("The person agrees that their case is sent to this partner.")
            if sharing
            else _(
                "The person agrees that their data is kept and processed for their accompaniment."
            )
        )
        self.explanation.setWordWrap(True)
        self.partner = QComboBox()
        for partner in session.services.partners.all():
            self.partner.addItem(partner.name, partner.name)
        self.given_on = QLineEdit(format_date(session.services.context.today(), "short"))
        self.how = QLineEdit()
        self.how.setPlaceholderText(_("Signed form, e-mail, orally at the interview…"))
        self.errors = {name: ErrorLabel() for name in ("partner", "given_on", "how", "other")}
        form = QFormLayout()
        if sharing:
            form.addRow(_("Partner"), self.partner)
            form.addRow("", self.errors["partner"])
        form.addRow(_("Given on"), self.given_on)
        form.addRow("", self.errors["given_on"])
        form.addRow(_("How it was given"), self.how)
        form.addRow("", self.errors["how"])
        buttons, self.save_button = accept_cancel(self, self.save, _("Record the consent"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.errors["other"])
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
        if sharing and self.partner.count() == 0:
            self.errors["partner"].show_message(
                _("There is no partner yet: add one in Settings, under Partners.")
            )
            self.save_button.setEnabled(False)

    def choose_partner(self, name: str) -> None:
        self.partner.setCurrentIndex(max(self.partner.findData(name), 0))

    def save(self) -> None:
        for error in self.errors.values():
            error.show_message("")
        services = self.session.services
        how = self.how.text()
        try:
            given_on = parse_date("given_on", self.given_on.text())
            if given_on > services.context.today():
                raise ValidationError("given_on", N_("A consent cannot be dated in the future."))
            partner = str(self.partner.currentData() or "")
            if self.edits is None:
                self.session.edit(lambda: self._record(partner, how, given_on))
        except ValidationError as error:
            self.errors.get(error.field, self.errors["other"]).show_message(describe(error))
            return
        except AdvisorError as error:
            self.errors["other"].show_message(describe(error))
            return
        if self.edits is None:
            self.accept()
            return
        self.save_button.setEnabled(False)
        recorded: list[str] = []  # the consents this recording made, to take them back
        self.edits.change(
            _("Record the consent"),
            lambda: self._record(partner, how, given_on, recorded),
            lambda: self._take_back(recorded),
            on_refused=self._refused,
            on_done=lambda _result: self.accept(),
        )

    def _record(
        self, partner: str, how: str, given_on: date, recorded: list[str] | None = None
    ) -> Changes:
        services = self.session.services
        before = {c.id for c in services.cases.get(self.case_id).consents}
        if self.scope is ConsentScope.SHARING:
            changes = services.partners.share_with(self.case_id, partner, how, given_on)
        else:
            changes = services.notes.record_consent(
                self.case_id, ConsentScope.PROCESSING, given_on, how
            )
        if recorded is not None:
            after = services.cases.get(self.case_id).consents
            recorded[:] = [c.id for c in after if c.id not in before]
        return changes

    def _take_back(self, recorded: list[str]) -> Changes:
        """On the writer: the consents this recording made are removed (none if the
        person had consented already)."""
        notes, changes = self.session.services.notes, Changes()
        for consent_id in recorded:
            changes = changes | notes.remove_consent(self.case_id, consent_id)
        return changes

    def _refused(self, error: BaseException) -> bool:
        self.save_button.setEnabled(True)
        return say_refusal(self.errors, error)
