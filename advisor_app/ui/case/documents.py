"""Documents: files kept inside the case file, opened with the system's viewer."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import _, describe, format_datetime, format_file_size
from advisor_app.services.notes import AttachmentRecord
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.file_dialogs import FileKind, choose_open_file
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import ErrorLabel


class DocumentsPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, edits: CaseEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, edits, parent)
        self.limit = QLabel()
        self.limit.setWordWrap(True)
        self.list = QListWidget()
        self.error = ErrorLabel()
        self.attach = QPushButton()
        self.open = QPushButton()
        self.remove = QPushButton()
        self.texts.add(self.attach, N_("Attach a file…"))
        self.texts.add(self.open, N_("Open"))
        self.texts.add(self.remove, N_("Remove"))
        self.attach.clicked.connect(self._choose)
        self.open.clicked.connect(self._open)
        self.remove.clicked.connect(self._remove)
        self.list.itemDoubleClicked.connect(lambda _item: self._open())
        buttons = QHBoxLayout()
        buttons.addWidget(self.attach)
        buttons.addStretch(1)
        buttons.addWidget(self.open)
        buttons.addWidget(self.remove)
        layout = QVBoxLayout(self)
        layout.addWidget(self.limit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def show_detail(self, detail: CaseDetail) -> None:
        super().show_detail(detail)
        limit = self.session.services.settings.attachment_limit
        self.limit.setText(
            _(
                "Documents are kept inside the case file, so that they travel and are backed up "
                "with it. Each file may weigh up to {limit}."
            ).format(limit=format_file_size(limit))
        )
        self.list.clear()
        for attachment in detail.attachments:
            item = QListWidgetItem(
                f"{attachment.filename}  ·  {format_file_size(attachment.size)}  ·  "
                f"{format_datetime(attachment.added_at)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, attachment.id)
            self.list.addItem(item)

    def attach_file(self, path: Path) -> None:
        """The file is read and copied into the case file by the one writer (up to 10 MB:
        not on the interface thread); a refusal is said under the list."""
        notes, case_id = self.session.services.notes, self.case_id
        kept: list[AttachmentRecord] = []

        def attach() -> object:
            if kept:  # redone after an undo: the same document comes back
                return notes.restore_attachment(case_id, kept[0])
            attachment_id, changes = notes.attach(case_id, path)
            kept.append(notes.attachment_record(case_id, attachment_id))
            return changes

        self.error.show_message("")
        self.edits.change(
            _("Attach {name}").format(name=path.name),
            attach,
            lambda: notes.remove_attachment(case_id, kept[0].id),
            on_refused=lambda error: self._refused(error, path.name),
        )

    def _refused(self, error: BaseException, name: str) -> bool:
        if isinstance(error, AdvisorError):
            self.error.show_message(describe(error))
            return True
        if isinstance(error, OSError):  # the file could not be read: said here too
            self.error.show_message(_("The file {name} could not be read.").format(name=name))
            return True
        return False

    def _choose(self) -> None:
        path = choose_open_file(self, FileKind.ATTACHMENTS, _("Attach a file"))
        if path is not None:
            self.attach_file(path)

    def _selected_id(self) -> str | None:
        item = self.list.currentItem()
        if item is None:
            return None
        # QListWidgetItem.data is typed Any; the list stores the attachment id (see above).
        return cast(str, item.data(Qt.ItemDataRole.UserRole))

    def _open(self) -> None:
        attachment_id = self._selected_id()
        if attachment_id is None:
            return
        filename, content = self.session.services.notes.attachment_content(
            self.case_id, attachment_id
        )
        folder = Path(tempfile.mkdtemp(prefix="boussole-"))
        path = folder / Path(filename).name
        path.write_bytes(content)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _remove(self) -> None:
        """Removed at once, put back with its content by Édition ▸ Annuler."""
        attachment_id = self._selected_id()
        if attachment_id is None or self.detail is None:
            return
        name = next((a.filename for a in self.detail.attachments if a.id == attachment_id), "")
        notes, case_id = self.session.services.notes, self.case_id
        kept: list[AttachmentRecord] = []

        def remove() -> object:
            kept[:] = [notes.attachment_record(case_id, attachment_id)]
            return notes.remove_attachment(case_id, attachment_id)

        self.edits.change(
            _("Remove {name}").format(name=name),
            remove,
            lambda: notes.restore_attachment(case_id, kept[0]),
        )
