"""Notes: free text written about the case, newest first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.domain.messages import N_
from advisor_app.i18n import describe, format_datetime
from advisor_app.services.views import CaseDetail
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import ErrorLabel, UndoList


class NotesPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, undo: UndoList, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, undo, parent)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setMaximumHeight(110)
        self.error = ErrorLabel()
        self.add = QPushButton()
        self.remove = QPushButton()
        self.texts.add(self.add, N_("Add the note"))
        self.texts.add(self.remove, N_("Remove the selected note"))
        self.add.clicked.connect(self._add)
        self.remove.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.remove)
        buttons.addWidget(self.add)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.text)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def show_detail(self, detail: CaseDetail) -> None:
        super().show_detail(detail)
        self.list.clear()
        for note in sorted(detail.notes, key=lambda n: n.written_at, reverse=True):
            item = QListWidgetItem(f"{format_datetime(note.written_at)}\n{note.text}")
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            self.list.addItem(item)

    def _add(self) -> None:
        text = self.text.toPlainText()
        try:
            self.session.edit(lambda: self.session.services.notes.add_note(self.case_id, text))
        except AdvisorError as error:
            self.error.show_message(describe(error))
            return
        self.error.show_message("")
        self.text.clear()

    def _remove(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        note_id = item.data(Qt.ItemDataRole.UserRole)
        self.session.edit(lambda: self.session.services.notes.remove_note(self.case_id, note_id))
