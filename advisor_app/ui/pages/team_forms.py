"""The Team page's two forms: create a team, or join the association's. Your name in the
team, where the team folder is (a WebDAV share or a synced folder), the team passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
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
from advisor_app.services.team import TeamPlace
from advisor_app.ui.case.base import Translated
from advisor_app.ui.file_dialogs import FileKind, choose_folder
from advisor_app.ui.widgets.buttons import FlowLayout
from advisor_app.ui.widgets.fields import ErrorLabel, say_refusal


def passphrase_note() -> str:
    return _(
        "The team passphrase is agreed in person between the advisors of the team. It is "
        "never sent: not to the server, not by e-mail; each advisor types it here."
    )


def password_line() -> QLineEdit:
    line = QLineEdit()
    line.setEchoMode(QLineEdit.EchoMode.Password)
    return line


class TeamForm(QGroupBox):
    """Create a team (its name, the passphrase typed twice) or join one (the passphrase
    once): your name in the team, and where the team folder is, a WebDAV share or a synced
    folder."""

    ERRORS = ("team_name", "member_name", "place", "team_passphrase", "other")

    def __init__(self, creating: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.creating = creating
        self.texts = Translated()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.team_name = QLineEdit()
        self.member_name = QLineEdit()
        self.by_webdav = QRadioButton()
        self.by_folder = QRadioButton()
        self.by_webdav.setChecked(True)
        self.transport = QButtonGroup(self)
        self.transport.addButton(self.by_webdav)
        self.transport.addButton(self.by_folder)
        self.url = QLineEdit()
        self.url.setPlaceholderText(
            "https://nextcloud.example.org/remote.php/dav/files/user/boussole-team/"
        )
        self.user = QLineEdit()
        self.password = password_line()
        self.folder = QLineEdit()
        self.choose = QPushButton()
        folder_row = QWidget()
        folder_line = QHBoxLayout(folder_row)
        folder_line.setContentsMargins(0, 0, 0, 0)
        folder_line.addWidget(self.folder, 1)
        folder_line.addWidget(self.choose)
        self.passphrase = password_line()
        self.passphrase_again = password_line()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.errors = {name: ErrorLabel() for name in self.ERRORS}
        self.submit = QPushButton()
        self.progress = QLabel()  # joining: the team's cases coming in
        self.progress.setObjectName("teamFormProgress")
        self.progress.hide()
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        # each error's row, shown only while it has something to say (a hidden label in a
        # form's row still takes a line's spacing)
        self._error_rows: dict[str, int] = {}
        if creating:
            self._row(N_("Team name"), self.team_name)
            self._error_row("team_name")
        self._row(N_("Your name in the team"), self.member_name)
        self._error_row("member_name")
        self.where = QLabel()
        self.form.addRow(self.where)
        self.form.addRow(self.by_webdav)
        self.form.addRow(self.by_folder)
        self._webdav_rows = (
            self._row(N_("WebDAV address"), self.url),
            self._row(N_("User"), self.user),
            self._row(N_("Password"), self.password),
        )
        self._folder_rows = (self._row(N_("Folder"), folder_row),)
        self._error_row("place")
        self._row(N_("Team passphrase"), self.passphrase)
        if creating:
            self._row(N_("The passphrase again"), self.passphrase_again)
        self._error_row("team_passphrase")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.note)  # a form's row spanning it does not grow as it wraps
        layout.addWidget(self.errors["other"])
        buttons = FlowLayout()
        buttons.addWidget(self.submit)
        buttons.addWidget(self.progress)
        layout.addLayout(buttons)
        self.choose.clicked.connect(self._choose_folder)
        self.by_folder.toggled.connect(lambda _checked: self._show_transport())
        self.folder.setAccessibleName("")
        self.retranslate()
        self._show_transport()
        self._show_errors()

    def _error_row(self, name: str) -> None:
        self._error_rows[name] = self._row("", self.errors[name])

    def _show_errors(self) -> None:
        for name, row in self._error_rows.items():
            self.form.setRowVisible(row, bool(self.errors[name].text()))

    def say(self, name: str, text: str) -> None:
        """`text` under the field `name` ("other": under the form)."""
        self.errors[name].show_message(text)
        self._show_errors()

    def _row(self, caption: str, field: QWidget) -> int:
        label = self.texts.add(QLabel(), caption) if caption else QLabel()
        if caption and not isinstance(field, QLineEdit):
            label.setBuddy(field.findChild(QLineEdit) or field)  # type: ignore[attr-defined]
        self.form.addRow(label, field)
        return self.form.rowCount() - 1

    def retranslate(self) -> None:
        self.texts.retranslate()
        if self.creating:
            self.setTitle(_("Create a team"))
            self.intro.setText(
                _(
                    "For the first advisor of the association: the team folder is made in an "
                    "empty folder of the association's server, and you become its first member."
                )
            )
            self.submit.setText(_("Create the team"))
        else:
            self.setTitle(_("Join my association's team"))
            self.intro.setText(
                _(
                    "Another advisor has created the team: give the same team folder and the "
                    "passphrase agreed with them. The cases the team shares come in at once."
                )
            )
            self.submit.setText(_("Join the team"))
        self.where.setText(_("Where the team folder is"))
        self.by_webdav.setText(_("On a WebDAV share (the association's Nextcloud…)"))
        self.by_folder.setText(_("In a synced folder"))
        self.choose.setText(_("Choose…"))
        self.folder.setAccessibleName(_("Folder"))
        self.note.setText(passphrase_note())

    def _show_transport(self) -> None:
        folder = self.by_folder.isChecked()
        for row in self._folder_rows:
            self.form.setRowVisible(row, folder)
        for row in self._webdav_rows:
            self.form.setRowVisible(row, not folder)

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
        folder = choose_folder(self, FileKind.WORKSPACES, _("The team folder"), current)
        if folder is not None:
            self.folder.setText(str(folder))

    def clear_errors(self) -> None:
        for error in self.errors.values():
            error.show_message("")
        self._show_errors()

    def place(self) -> TeamPlace | None:
        """Where the team folder is, or None with what is missing said at its field."""
        if self.by_folder.isChecked():
            folder = self.folder.text().strip()
            if not folder:
                self.say("place", _("Choose the team folder."))
                return None
            return TeamPlace("folder", str(Path(folder).expanduser().absolute()))
        url = self.url.text().strip()
        if not url:
            self.say("place", _("Give the address of the team folder."))
            return None
        if not self.password.text():
            self.say("place", _("Give the password of the WebDAV share."))
            return None
        return TeamPlace("webdav", url, self.user.text().strip())

    def typed_password(self) -> str | None:
        return self.password.text() or None if self.by_webdav.isChecked() else None

    def checked_passphrase(self) -> str | None:
        """The passphrase typed (twice alike when creating), or None with why said."""
        passphrase = self.passphrase.text()
        if self.creating and passphrase != self.passphrase_again.text():
            self.say("team_passphrase", _("The two passphrases are not the same."))
            return None
        return passphrase

    def refused(self, error: BaseException) -> bool:
        self.submit.setEnabled(True)
        said = say_refusal(self.errors, error)
        self._show_errors()
        return said
