"""The right of access from the window: everything Boussole holds about a person, written to
a folder the advisor chooses (a readable PDF, a JSON file of every field, the attachments).

The folder is asked for in the user's documents folder first. The export is written into a
folder of its own inside it, named after the person and the day, so that a second export
never overwrites the first; it runs off the window's thread, then the window says where it is.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from advisor_app.i18n import _, ngettext
from advisor_app.services.privacy import AccessExport
from advisor_app.ui.dialogs.progress import follow
from advisor_app.ui.file_dialogs import FileKind, folder_dialog
from advisor_app.ui.session import AppSession
from advisor_app.ui.tasks import Task

_UNSAFE = re.compile(r"[^\w\- .,'’]+", re.UNICODE)


def documents_folder() -> Path:
    """The user's documents folder (their home folder when the system names none)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(location) if location else Path.home()
    return folder if folder.is_dir() else Path.home()


def export_folder(parent_folder: Path, holder: str, day: str) -> Path:
    """A new folder in `parent_folder` for one export: "Right of access - NAME - DAY"."""
    name = _("Right of access - {holder} - {date}").format(holder=holder, date=day)
    name = _UNSAFE.sub("_", name).strip(". ")[:150]
    folder = parent_folder / name
    number = 2
    while folder.exists():
        folder = parent_folder / f"{name} ({number})"
        number += 1
    return folder


class AccessExportAction:
    """Asks for a folder, then writes the export there in the background and says where.

    `dialog` is the folder dialog (opened without waiting on it), `task` the export once a
    folder was chosen, `box` the message that says where it was written.
    """

    def __init__(self, parent: QWidget, session: AppSession, case_id: str, holder: str) -> None:
        self.parent = parent
        self.session = session
        self.case_id = case_id
        self.holder = holder
        self.task: Task | None = None
        self.box: QMessageBox | None = None
        self.dialog = folder_dialog(
            parent,
            FileKind.EXPORTS,
            _("Where should everything held about {holder} be written?").format(holder=holder),
        )
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.fileSelected.connect(lambda chosen: self.write(Path(chosen)))
        self.dialog.open()

    def write(self, chosen: Path) -> Task:
        services = self.session.services
        folder = export_folder(chosen, self.holder, services.context.today().isoformat())
        case_id = self.case_id
        self.task = self.session.tasks.run(
            lambda: services.privacy.access_export(case_id, folder), self._written
        )
        follow(
            self.task,
            _("Writing everything held about {holder}…").format(holder=self.holder),
            self.parent,
            cancellable=False,
        )
        return self.task

    def _written(self, export: object) -> None:
        if not isinstance(export, AccessExport):
            return
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("Right of access"),
            _("Everything Boussole holds about {holder} was written to {folder}.").format(
                holder=self.holder, folder=str(export.folder)
            ),
            parent=self.parent,
        )
        count = len(export.attachments)
        box.setInformativeText(
            ngettext(
                "{pdf} to read, {json} with every field, and {count} attachment.",
                "{pdf} to read, {json} with every field, and {count} attachments.",
                count,
            ).format(pdf=export.pdf.name, json=export.json.name, count=count)
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        show = box.addButton(_("Show the folder"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        folder = QUrl.fromLocalFile(str(export.folder))
        show.clicked.connect(lambda: QDesktopServices.openUrl(folder))
        box.open()
        self.box = box


def export_access(
    parent: QWidget, session: AppSession, case_id: str, holder: str
) -> AccessExportAction:
    """The right-of-access action of a case (the Backups and data page, the case's header)."""
    return AccessExportAction(parent, session, case_id, holder)
