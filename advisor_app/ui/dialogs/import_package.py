"""Import a package from another advisor: what it will create or update, then do it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, describe
from advisor_app.services.imports import ImportPreview
from advisor_app.ui.errors import show_error
from advisor_app.ui.file_dialogs import FileKind, choose_open_file
from advisor_app.ui.session import AppSession


def preview_text(preview: ImportPreview) -> list[str]:
    lines = []
    for line in preview.lines:
        params = {k: _(v) if isinstance(v, str) else v for k, v in line.params.items()}
        lines.append(_(line.message).format(**params))
    return lines


class ImportPackageDialog(QDialog):
    """Shows the preview of `path`, or why it is refused; Import writes it in one go."""

    def __init__(self, session: AppSession, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.path = path
        self.preview: ImportPreview | None = None
        self.imported_case: str | None = None
        self.setWindowTitle(_("Import a package"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.details = QListWidget()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText(_("Import"))
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.details)
        layout.addWidget(self.buttons)
        self.resize(560, 360)
        self.load()

    def load(self) -> None:
        try:
            self.preview = self.session.services.exchange.preview_import(self.path)
        except AdvisorError as error:
            self.preview = None
            self.summary.setText(
                _("This package cannot be imported: {reason}").format(reason=describe(error))
            )
            self.import_button.setEnabled(False)
            return
        self.summary.setText(
            _("Package from {sender} for {holder}.").format(
                sender=self.preview.sender or _("an unnamed sender"),
                holder=self.preview.holder or "—",
            )
        )
        self.details.clear()
        self.details.addItems(preview_text(self.preview))
        self.import_button.setEnabled(True)

    def run_import(self) -> None:
        self.import_button.setEnabled(False)

        def done(result: object) -> None:
            if self.preview is not None:
                self.imported_case = self.preview.case_id
            self.accept()

        def work() -> object:
            _preview, changes = self.session.services.exchange.import_package(self.path)
            return changes

        def failed(error: BaseException) -> None:
            show_error(self, error)
            self.load()

        task = self.session.tasks.run(work, done)
        task.error.connect(failed)


def choose_and_import(session: AppSession, parent: QWidget | None = None) -> str | None:
    """Ask for a package file, show its preview, import it; the imported case id or None."""
    path = choose_open_file(
        parent, FileKind.PACKAGES, _("Import a package"), _("Boussole packages (*.zip)")
    )
    if path is None:
        return None
    dialog = ImportPackageDialog(session, path, parent)
    dialog.exec()
    return dialog.imported_case
