"""The passphrase of an encrypted workspace: asked at start, when the idle lock ends, and when
another window or command re-encrypted the workspace under this one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, describe
from advisor_app.services.workspace_lock import key_from_passphrase


class PassphraseDialog(QDialog):
    """Asks for the passphrase until it opens the workspace (or the advisor cancels).

    `PassphraseDialog.ask(root, parent)` returns the passphrase that opens `root`, or None
    when cancelled. A wrong passphrase gets a sentence under the field, never a traceback.
    `unlock` is what the passphrase is tried on: checked against the workspace by default,
    `Services.unlock` for the idle lock and after a re-encryption elsewhere (`changed`).
    """

    def __init__(
        self,
        root: Path,
        parent: QWidget | None = None,
        *,
        locked: bool = False,
        changed: bool = False,
        unlock: Callable[[str], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.root = root
        self.unlock = unlock or (lambda text: key_from_passphrase(root, text))
        self.passphrase: str | None = None
        if changed:
            title = _("Workspace re-encrypted")
            text = _(
                "This workspace was re-encrypted by another window or command while it was "
                "open here. Type its new passphrase to go on."
            )
        elif locked:
            title = _("Workspace locked")
            text = _("Boussole was locked after a while without use. Type the passphrase to go on.")
        else:
            title = _("Encrypted workspace")
            text = _("This workspace is encrypted. Type its passphrase to open it.")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName(_("Passphrase"))
        layout.addWidget(self.field)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b42318;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_passphrase)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def try_passphrase(self) -> None:
        text = self.field.text()
        try:
            self.unlock(text)  # checks it before anything is opened
        except AdvisorError as error:
            self.message.setText(describe(error))
            self.field.selectAll()
            self.field.setFocus()
            return
        self.passphrase = text
        self.field.clear()
        self.accept()

    @classmethod
    def ask(
        cls,
        root: Path,
        parent: QWidget | None = None,
        *,
        locked: bool = False,
        unlock: Callable[[str], object] | None = None,
    ) -> str | None:
        dialog = cls(root, parent, locked=locked, unlock=unlock)
        dialog.exec()
        return dialog.passphrase


class NewPassphraseDialog(QDialog):
    """Choose a passphrase (to encrypt a workspace or change it): typed twice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.passphrase: str | None = None
        self.setWindowTitle(_("Choose a passphrase"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Every file of the workspace and of its backups will be encrypted. "
                "Without the passphrase nobody can read them, you included: keep it safe."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.first = QLineEdit()
        self.second = QLineEdit()
        for field, name in ((self.first, _("Passphrase")), (self.second, _("The same again"))):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setPlaceholderText(name)
            field.setAccessibleName(name)
            layout.addWidget(field)
        self.message = QLabel()
        self.message.setStyleSheet("color: #b42318;")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if self.first.text() != self.second.text():
            self.message.setText(_("The two passphrases differ."))
            return
        if len(self.first.text()) < 8:
            self.message.setText(_("A passphrase needs at least 8 characters."))
            return
        self.passphrase = self.first.text()
        self.accept()
