"""About Boussole: its version, its licence, and where it keeps the data and the log."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app import logs, version
from advisor_app.i18n import _
from advisor_app.ui.icon import boussole_icon
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import ErrorLabel

ICON_SIZE = 64


def open_folder(folder: Path) -> bool:
    """Show `folder` in the system's file manager; False if it could not be opened."""
    try:
        folder.mkdir(parents=True, exist_ok=True)  # the log folder comes with the first error
    except OSError:
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class FolderRow:
    """A caption, the folder's path (selectable, for a copy), an Open button, a hint."""

    def __init__(self, grid: QGridLayout, row: int) -> None:
        self.folder = Path()
        self.caption = QLabel()
        self.caption.setStyleSheet("font-weight: 600;")
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.open_button = QPushButton()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        grid.addWidget(self.caption, row, 0, 1, 2)
        grid.addWidget(self.path, row + 1, 0)
        grid.addWidget(self.open_button, row + 1, 1)
        grid.addWidget(self.hint, row + 2, 0, 1, 2)

    def show_folder(self, folder: Path) -> None:
        self.folder = folder
        self.path.setText(str(folder))
        self.path.setToolTip(str(folder))
        self.path.setCursorPosition(0)


class AboutDialog(QDialog):
    """Opened with `open()`; the Open buttons show each folder in the file manager."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.icon = QLabel()
        icon = boussole_icon()
        if icon.isNull():
            self.icon.hide()
        else:
            self.icon.setPixmap(icon.pixmap(ICON_SIZE, ICON_SIZE))
        self.name = QLabel()
        self.name.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.version = QLabel()
        self.version.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.licence = QLabel()
        self.licence.setWordWrap(True)
        folders = QGridLayout()
        folders.setColumnStretch(0, 1)
        folders.setVerticalSpacing(4)
        self.data = FolderRow(folders, 0)
        folders.setRowMinimumHeight(3, 10)
        self.log = FolderRow(folders, 4)
        self.data.show_folder(session.services.workspace.root)
        self.log.show_folder(logs.log_path().parent)
        self.error = ErrorLabel()
        self.data.open_button.clicked.connect(lambda: self.show_in_file_manager(self.data))
        self.log.open_button.clicked.connect(lambda: self.show_in_file_manager(self.log))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)

        title = QVBoxLayout()
        title.setSpacing(2)
        title.addWidget(self.name)
        title.addWidget(self.version)
        header = QHBoxLayout()
        header.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(title, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addSpacing(6)
        layout.addWidget(self.summary)
        layout.addWidget(self.licence)
        layout.addSpacing(10)
        layout.addLayout(folders)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.resize(620, 0)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("About Boussole"))
        self.name.setText(_("Boussole"))
        self.version.setText(_("Version {version}").format(version=version()))
        self.summary.setText(
            _(
                "The case-file notebook of advisors who accompany people creating a small "
                "business. It works without a network and keeps everything on this computer."
            )
        )
        self.licence.setText(
            _(
                "Boussole is free software under the GNU Affero General Public License, "
                "version 3 or later. When it was installed from an installer, the licences of "
                "the third-party software bundled with it (Qt for Python, under the GNU LGPL "
                "version 3, among others) are in the “licenses” folder next to the program."
            )
        )
        self.data.caption.setText(_("Data folder"))
        self.data.path.setAccessibleName(_("Data folder"))
        self.data.hint.setText(_("The case files, their backups and the outbox."))
        self.log.caption.setText(_("Log folder"))
        self.log.path.setAccessibleName(_("Log folder"))
        self.log.hint.setText(_("Where the details of an unexpected error are written."))
        for row in (self.data, self.log):
            row.open_button.setText(_("Open"))
            row.open_button.setToolTip(_("Show this folder in the file manager"))
        self.close_button.setText(_("Close"))
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the wrapped sentences need at the present width."""
        layout = self.layout()
        height = layout.totalHeightForWidth(self.width()) if layout is not None else -1
        self.resize(self.width(), height if height > 0 else self.sizeHint().height())

    def show_in_file_manager(self, row: FolderRow) -> None:
        if open_folder(row.folder):
            self.error.show_message("")
        else:
            self.error.show_message(
                _(
                    "The folder could not be opened here. Its address is written above: "
                    "copy it into your file manager."
                )
            )
            self._fit_height()
