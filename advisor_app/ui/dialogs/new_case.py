"""Opening a case: the person's name and the project in a few words; more on the pages."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError, ValidationError
from advisor_app.i18n import _, describe, parse_date
from advisor_app.services import NewCase
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.buttons import accept_cancel
from advisor_app.ui.widgets.fields import ErrorLabel


class NewCaseDialog(QDialog):
    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id: str | None = None
        self.setWindowTitle(_("New case"))
        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.birth_date = QLineEdit()
        self.birth_date.setPlaceholderText(_("e.g. 14/03/1990"))
        self.email = QLineEdit()
        self.commune = QLineEdit()
        self.project = QLineEdit()
        self.consent = QCheckBox(_("The person agrees to the processing of their data"))
        self.errors = {
            n: ErrorLabel() for n in ("first_name", "last_name", "birth_date", "email", "other")
        }
        self.duplicate_note = QLabel()
        self.duplicate_note.setWordWrap(True)
        self.duplicate_note.setStyleSheet("color: #8a5a00;")
        self.duplicate_note.setVisible(False)
        self._warned_for: tuple[str, ...] | None = None
        form = QFormLayout()
        form.addRow(_("First name"), self.first_name)
        form.addRow("", self.errors["first_name"])
        form.addRow(_("Last name"), self.last_name)
        form.addRow("", self.errors["last_name"])
        form.addRow(_("Birth date"), self.birth_date)
        form.addRow("", self.errors["birth_date"])
        form.addRow(_("E-mail"), self.email)
        form.addRow("", self.errors["email"])
        form.addRow(_("Commune"), self.commune)
        form.addRow(_("Project"), self.project)
        form.addRow(self.consent)
        buttons, _accept = accept_cancel(self, self.save, _("Open the case"))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.duplicate_note)
        layout.addWidget(self.errors["other"])
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def save(self) -> None:
        for error in self.errors.values():
            error.show_message("")
        try:
            birth = (
                parse_date("birth_date", self.birth_date.text())
                if self.birth_date.text().strip()
                else None
            )
        except ValidationError as error:
            self.errors["birth_date"].show_message(describe(error))
            return
        if self._warn_about_duplicates(birth):
            return
        new = NewCase(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            birth_date=birth,
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

    def _warn_about_duplicates(self, birth: date | None) -> bool:
        """Say once that the person may already have a case; True to stop and let them read."""
        typed = (self.first_name.text(), self.last_name.text(), str(birth), self.email.text())
        found = self.session.services.cases.find_duplicates(
            self.first_name.text(), self.last_name.text(), birth, self.email.text()
        )
        if not found or self._warned_for == typed:
            return False
        self._warned_for = typed
        lines = [
            _("{holder} already has a case ({reason}).").format(
                holder=duplicate.holder, reason=_(duplicate.reason)
            )
            for duplicate in found
        ]
        lines.append(_("Press “Open the case” again to open a new case linked to the earlier one."))
        self.duplicate_note.setText(" ".join(lines))
        self.duplicate_note.setVisible(True)
        return True
