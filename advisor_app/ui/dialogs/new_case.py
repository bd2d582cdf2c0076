"""Opening a case: the person's name and the project in a few words; more on the pages."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError, ValidationError
from advisor_app.i18n import _, describe
from advisor_app.services import NewCase
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import ErrorLabel


class NewCaseDialog(QDialog):
    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id: str | None = None
        self.setWindowTitle(_("New case"))
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.email = QLineEdit()
        self.commune = QLineEdit()
        self.project = QLineEdit()
        self.consent = QCheckBox(_("The person agrees to the processing of their data"))
        self.errors = {n: ErrorLabel() for n in ("first_name", "last_name", "email", "other")}
        form = QFormLayout()
        form.addRow(_("First name"), self.first_name)
        form.addRow("", self.errors["first_name"])
        form.addRow(_("Last name"), self.last_name)
        form.addRow("", self.errors["last_name"])
        form.addRow(_("E-mail"), self.email)
        form.addRow("", self.errors["email"])
        form.addRow(_("Commune"), self.commune)
        form.addRow(_("Project"), self.project)
        form.addRow(self.consent)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Open the case"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.errors["other"])
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def save(self) -> None:
        for error in self.errors.values():
            error.show_message("")
        new = NewCase(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            email=self.email.text(),
            commune=self.commune.text(),
            project_title=self.project.text(),
            processing_consent_how=_("Recorded at the first interview")
            if self.consent.isChecked()
            else None,
        )
        try:
            self.case_id, _duplicates, _changes = self.session.edit(
                lambda: self.session.services.cases.create(new)
            )
        except ValidationError as error:
            self.errors.get(error.field, self.errors["other"]).show_message(describe(error))
            return
        except AdvisorError as error:
            self.errors["other"].show_message(describe(error))
            return
        self.accept()
