"""Documents: files kept inside the case file, opened with the system's viewer."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import cast

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
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
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import ErrorLabel, UndoList


class DocumentsPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, undo: UndoList, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, undo, parent)
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

    def attach_file(self, path: Path) -> bool:
        try:
            self.session.edit(lambda: self.session.services.notes.attach(self.case_id, path))
        except AdvisorError as error:
            self.error.show_message(describe(error))
            return False
        self.error.show_message("")
        return True

    def _choose(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Attach a file"))
        if name:
            self.attach_file(Path(name))

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
        attachment_id = self._selected_id()
        if attachment_id is None:
            return
        notes = self.session.services.notes
        self.session.edit(lambda: notes.remove_attachment(self.case_id, attachment_id))
