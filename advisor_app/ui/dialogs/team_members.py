"""The team's members and passphrase: remove a member (and what the association must do
then), change the team passphrase agreed in person."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.i18n import _
from advisor_app.ui.accessibility import prepare_for_keyboard
from advisor_app.ui.widgets.buttons import accept_cancel
from advisor_app.ui.widgets.fields import ErrorLabel


def _secret_line() -> QLineEdit:
    line = QLineEdit()
    line.setEchoMode(QLineEdit.EchoMode.Password)
    return line


class RemoveMemberDialog(QDialog):
    """Which member to remove, and what it means: the association revokes their access to
    the server, and the others agree a new passphrase."""

    def __init__(self, names: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Remove a member"))
        self.member = QComboBox()
        self.member.addItems(names)
        self.explanation = QLabel(
            _(
                "Their changes will no longer be taken in, here and, after your next sync, in "
                "the other members' workspaces. Boussole cannot take back what they already "
                "received or close their access to the server: the association must revoke "
                "their access to the team folder on the server. Then agree on a new team "
                "passphrase in person, and change it here and in every remaining workspace."
            )
        )
        self.explanation.setWordWrap(True)
        self.error = ErrorLabel()
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("Member"), self.member)
        buttons = QDialogButtonBox()
        self.remove_button = buttons.addButton(
            _("Remove from the team"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self.reject)
        self.cancel_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.explanation)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        prepare_for_keyboard(self)


class RekeyDialog(QDialog):
    """The new team passphrase, agreed in person, typed twice; `chosen` once they match."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Change the team passphrase"))
        self.passphrase = _secret_line()
        self.passphrase_again = _secret_line()
        self.explanation = QLabel(
            _(
                "Every remaining member types the same new passphrase, agreed in person. What "
                "you send from now on is sealed with it: a removed member cannot open it. "
                "Their access to the server is for the association to revoke there."
            )
        )
        self.explanation.setWordWrap(True)
        self.errors = {name: ErrorLabel() for name in ("team_passphrase", "other")}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("New team passphrase"), self.passphrase)
        form.addRow(_("The passphrase again"), self.passphrase_again)
        form.addRow("", self.errors["team_passphrase"])
        buttons, self.accept_button = accept_cancel(self, self._accept, _("Change the passphrase"))
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.errors["other"])
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        prepare_for_keyboard(self)

    def _accept(self) -> None:
        for error in self.errors.values():
            error.show_message("")
        if self.passphrase.text() != self.passphrase_again.text():
            self.errors["team_passphrase"].show_message(_("The two passphrases are not the same."))
            return
        self.chosen.emit(self.passphrase.text())
