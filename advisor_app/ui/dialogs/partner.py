"""A new partner: its name, its kind, and where its packages go (a folder or WebDAV)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.messages import N_
from advisor_app.i18n import _
from advisor_app.services import Changes
from advisor_app.services.partners import KINDS, PartnerView
from advisor_app.ui.file_dialogs import FileKind, choose_folder
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.buttons import accept_cancel
from advisor_app.ui.widgets.fields import ErrorLabel, say_refusal

_ERRORS = ("name", "kind", "folder", "webdav", "user", "other")


class PartnerDialog(QDialog):
    """Fill the fields, then `save()`: the partner is added (its password to the keyring)."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.partner: PartnerView | None = None
        self.password_kept = False
        self.setWindowTitle(_("New partner"))
        self.name = QLineEdit()
        self.kind = QComboBox()
        for key, message_id in KINDS.items():
            self.kind.addItem(_(message_id), key)
        self.kind.setCurrentIndex(self.kind.findData("network"))
        self.by_folder = QRadioButton(_("In a folder (a synced folder, a USB stick)"))
        self.by_webdav = QRadioButton(_("On a WebDAV share (Nextcloud…)"))
        self.by_folder.setChecked(True)
        self.folder = QLineEdit()
        self.choose = QPushButton(_("Choose…"))
        self.folder.setAccessibleName(_("Folder"))
        folder_row = QWidget()
        folder_line = QHBoxLayout(folder_row)
        folder_line.setContentsMargins(0, 0, 0, 0)
        folder_line.addWidget(self.folder, 1)
        folder_line.addWidget(self.choose)
        self.url = QLineEdit()
        self.url.setPlaceholderText(
            "https://nextcloud.example.org/remote.php/dav/files/user/boussole/"
        )
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_note = QLabel()
        self.password_note.setWordWrap(True)
        self.password_note.setStyleSheet("color: palette(mid);")
        keyring = session.services.partners.passwords.keyring_available()
        self.password_note.setText(
            _("The password is kept in the system keyring, never in the workspace.")
            if keyring
            else _("No keyring on this system: the password will be asked at each sync.")
        )
        self.errors = {name: ErrorLabel() for name in _ERRORS}

        self.form = QFormLayout()
        # a caption too long beside its field goes above it rather than widening the dialog
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.addRow(_("Name"), self.name)
        self.form.addRow("", self.errors["name"])
        self.form.addRow(_("Kind"), self.kind)
        # the two ways across the whole width, under their question: long in French
        self.transport = QLabel(_("Packages go"))
        self.transport_choice = QButtonGroup(self)
        self.form.addRow(self.transport)
        for choice in (self.by_folder, self.by_webdav):
            self.transport_choice.addButton(choice)
            self.form.addRow(choice)
        self._folder_rows = (
            self._row(N_("Folder"), folder_row),
            self._row("", self.errors["folder"]),
        )
        self._webdav_rows = (
            self._row(N_("WebDAV address"), self.url),
            self._row("", self.errors["webdav"]),
            self._row(N_("User"), self.user),
            self._row("", self.errors["user"]),
            self._row(N_("Password"), self.password),
            self._row("", self.password_note),
        )
        buttons, _accept = accept_cancel(self, self.save, _("Add the partner"))
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.errors["other"])
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self.choose.clicked.connect(self._choose_folder)
        self.by_folder.toggled.connect(lambda _checked: self._show_transport())
        self._show_transport()

    def _row(self, caption: str, field: QWidget) -> int:
        self.form.addRow(_(caption) if caption else "", field)
        return self.form.rowCount() - 1

    def _show_transport(self) -> None:
        folder = self.by_folder.isChecked()
        for row in self._folder_rows:
            self.form.setRowVisible(row, folder)
        for row in self._webdav_rows:
            self.form.setRowVisible(row, not folder)
        # Showing a row shows its widgets: an error label stays hidden while it has nothing to say.
        for name, shown in (("folder", folder), ("webdav", not folder), ("user", not folder)):
            error = self.errors[name]
            error.setVisible(shown and bool(error.text()))
        self.adjustSize()

    def use_folder(self, folder: Path) -> None:
        self.by_folder.setChecked(True)
        self.folder.setText(str(folder))

    def use_webdav(self, url: str, user: str, password: str) -> None:
        self.by_webdav.setChecked(True)
        self.url.setText(url)
        self.user.setText(user)
        self.password.setText(password)

    def _choose_folder(self) -> None:
        current = Path(self.folder.text()) if self.folder.text().strip() else None
        folder = choose_folder(self, FileKind.PACKAGES, _("Folder where the packages go"), current)
        if folder is not None:
            self.folder.setText(str(folder))

    def save(self) -> None:
        """Add the partner as `partner add` does, by the one writer (off the interface
        thread); the dialog stays open until it is written, and a refusal is shown at its
        field."""
        for error in self.errors.values():
            error.show_message("")
        partners = self.session.services.partners
        name, kind = self.name.text(), str(self.kind.currentData())
        password: str | None = None
        if self.by_folder.isChecked():
            folder = self.folder.text().strip()
            if not folder:
                self.errors["folder"].show_message(
                    _("Choose the folder where this partner's packages go.")
                )
                return

            def add() -> tuple[PartnerView, Changes]:
                return partners.add(name, kind, folder=Path(folder))

        else:
            password = self.password.text() or None
            url, user = self.url.text().strip(), self.user.text()

            def add() -> tuple[PartnerView, Changes]:
                return partners.add(name, kind, webdav=url, user=user, password=password)

        def landed(added: tuple[PartnerView, Changes]) -> None:
            self.partner = added[0]
            self.password_kept = password is not None and partners.passwords.keyring_available()
            self.accept()

        self.buttons.setEnabled(False)  # not added twice
        self.session.write(add, landed, self._refused)

    def _refused(self, error: BaseException) -> bool:
        self.buttons.setEnabled(True)
        return say_refusal(self.errors, error)
