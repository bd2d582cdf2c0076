"""Settings, "Protection": encrypt the workspace with a passphrase, or change it."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from advisor_app.i18n import _
from advisor_app.ui.dialogs.passphrase import NewPassphraseDialog
from advisor_app.ui.dialogs.progress import follow
from advisor_app.ui.session import AppSession
from advisor_app.ui.tasks import Task
from advisor_app.ui.widgets.buttons import FlowLayout


class ProtectionBox(QGroupBox):
    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.button = QPushButton()
        self.task: Task | None = None
        row = FlowLayout()
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(row)
        self.button.clicked.connect(self.choose_passphrase)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Protection"))
        if self.session.services.encryption.encrypted:
            self.state.setText(
                _(
                    "The workspace and its backups are encrypted: Boussole asks for the "
                    "passphrase at start and locks itself when left idle."
                )
            )
            self.button.setText(_("Change the passphrase…"))
        else:
            self.state.setText(
                _(
                    "The workspace is not encrypted: whoever gets hold of this computer can "
                    "read the case files. A passphrase protects them."
                )
            )
            self.button.setText(_("Protect with a passphrase…"))

    def choose_passphrase(self) -> None:
        dialog = NewPassphraseDialog(self)
        if dialog.exec() and dialog.passphrase:
            self.apply(dialog.passphrase)

    def apply(self, passphrase: str) -> Task:
        """Re-key every file in the background, with a progress bar (no cancel: an
        interrupted re-keying is finished or rolled back at the next start, never half)."""
        encryption = self.session.services.encryption
        work = encryption.change_passphrase if encryption.encrypted else encryption.protect
        self.button.setEnabled(False)
        self.task = self.session.tasks.run(lambda: work(passphrase), on_done=self._done)
        self.task.error.connect(lambda _error: self._done(None))
        follow(self.task, _("Encrypting every file of the workspace…"), self, cancellable=False)
        return self.task

    def _done(self, _result: object) -> None:
        self.button.setEnabled(True)
        self.retranslate()
