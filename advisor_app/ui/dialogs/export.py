"""Exporting a case to a partner: a package queued in the Outbox, or a sentence saying why not."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, describe, format_date
from advisor_app.services.partners import REPORTS, SECTIONS
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import ErrorLabel


class ExportDialog(QDialog):
    """Choose a partner, then `export()`: the package is built off the UI thread."""

    def __init__(self, session: AppSession, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.package_id: str | None = None
        self.setWindowTitle(_("Export to a partner"))
        self.partner = QComboBox()
        for partner in session.services.partners.all():
            self.partner.addItem(partner.name, partner.name)
        self.contents = QLabel()
        self.contents.setWordWrap(True)
        self.consent = QLabel()
        self.consent.setWordWrap(True)
        self.error = ErrorLabel()
        self.report = QLabel()
        self.report.setObjectName("exportResult")
        self.report.setWordWrap(True)
        self.report.hide()
        form = QFormLayout()
        form.addRow(_("Partner"), self.partner)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = QPushButton(_("Export"))
        self.export_button.setDefault(True)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setText(_("Cancel"))
        self.export_button.clicked.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.contents)
        layout.addWidget(self.consent)
        layout.addWidget(self.error)
        layout.addWidget(self.report)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.partner.currentIndexChanged.connect(lambda _index: self._describe_partner())
        if self.partner.count() == 0:
            self.error.show_message(
                _("There is no partner yet: add one in Settings, under Partners.")
            )
            self.export_button.setEnabled(False)
        self._describe_partner()

    def _fit_height(self) -> None:
        """Grow or shrink to the wrapped sentences, keeping the width."""
        layout = self.layout()
        height = -1
        if layout is not None and layout.hasHeightForWidth():
            height = layout.totalHeightForWidth(self.width())
        self.resize(self.width(), height if height > 0 else self.sizeHint().height())

    def choose_partner(self, name: str) -> None:
        self.partner.setCurrentIndex(max(self.partner.findData(name), 0))

    def _describe_partner(self) -> None:
        name = self.partner.currentData()
        if not name:
            self.contents.clear()
            self.consent.clear()
            return
        services = self.session.services
        partner = services.partners.find(str(name))
        if partner is None:  # removed in Settings meanwhile: the export will say so
            self.contents.clear()
            self.consent.clear()
            return
        parts = [_(SECTIONS[s]) for s in partner.sections if s in SECTIONS]
        parts += [_(REPORTS[r]) for r in partner.reports if r in REPORTS]
        if partner.attachments:
            parts.append(_("documents"))
        self.contents.setText(_("It receives: {contents}.").format(contents=", ".join(parts)))
        consent = services.partners.sharing_consent(self.case_id, partner.name)
        if consent is None:
            self.consent.setText(_("No consent to share with this partner is recorded."))
            self.consent.setStyleSheet("color: #b00020;")
        else:
            self.consent.setText(
                _("Consent to share given on {date}.").format(date=format_date(consent.given_on))
            )
            self.consent.setStyleSheet("")
        self._fit_height()

    def export(self) -> None:
        name = self.partner.currentData()
        if not name or not self.export_button.isEnabled() or self.package_id is not None:
            return
        self.error.show_message("")
        self.report.setText(_("Preparing the package…"))
        self.report.show()
        self.export_button.setEnabled(False)
        self.partner.setEnabled(False)
        exchange = self.session.services.exchange
        case_id, partner = self.case_id, str(name)

        def work() -> str | AdvisorError:
            try:
                return exchange.export(case_id, partner)[0]
            except AdvisorError as error:  # a refusal is an answer, shown in the dialog
                return error

        task = self.session.tasks.run(work, self._exported)
        task.error.connect(lambda _error: self._failed())

    def _exported(self, result: object) -> None:
        self.partner.setEnabled(True)
        if isinstance(result, AdvisorError):
            self.report.hide()
            self.error.show_message(describe(result))
            self.export_button.setEnabled(True)
            self._fit_height()
            return
        self.package_id = str(result)
        path = self.session.services.outbox.package_path(self.package_id)
        self.report.setText(
            _(
                "The package for {partner} is waiting in the Outbox; it will be sent at the "
                "next sync. Until then it is kept in {folder}."
            ).format(partner=self.partner.currentData(), folder=path.parent)
        )
        self.close_button.setText(_("Close"))
        self.export_button.hide()
        self._fit_height()

    def _failed(self) -> None:
        """An unexpected failure: the main window says so; the dialog can try again."""
        self.report.hide()
        self.partner.setEnabled(True)
        self.export_button.setEnabled(True)
