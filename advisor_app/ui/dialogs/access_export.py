"""The right of access from the window: everything Boussole holds about a person, written to
a folder the advisor chooses (a readable PDF, a JSON file of every field, the attachments).

The folder is asked for in the user's documents folder first (`file_dialogs`). The export is
written into a folder of its own inside it, named as every file Boussole writes for a person
("Right of access – Dupré-Lefèvre Amélie – 2026-11-30", " (2)" for a second one the same day:
never over the first); it runs off the window's thread, then the window says where it is.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from advisor_app.i18n import _, ngettext
from advisor_app.services.privacy import AccessExport
from advisor_app.ui.dialogs.progress import follow
from advisor_app.ui.file_dialogs import FileKind, folder_dialog
from advisor_app.ui.session import AppSession
from advisor_app.ui.tasks import Task


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
        privacy, case_id = self.session.services.privacy, self.case_id
        self.task = self.session.tasks.run(
            lambda: privacy.access_export(case_id, privacy.access_folder(case_id, chosen)),
            self._written,
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
