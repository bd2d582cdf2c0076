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
from advisor_app.i18n import _, describe, format_datetime
from advisor_app.services.views import CaseDetail, NoteView
from advisor_app.ui.case.base import CasePage
from advisor_app.ui.case.edits import CaseEdits
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.fields import ErrorLabel


class NotesPage(CasePage):
    def __init__(
        self, session: AppSession, case_id: str, edits: CaseEdits, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, case_id, edits, parent)
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
        """Written by the one writer; the text leaves the box once it has landed."""
        text = self.text.toPlainText()
        if not text.strip():
            self.error.show_message(_("A note cannot be empty."))
            return
        notes, case_id = self.session.services.notes, self.case_id
        written: list[NoteView] = []

        def add() -> object:
            if written:  # redone after an undo: the same note comes back
                note = written[0]
                return notes.restore_note(case_id, note.id, note.written_at, note.text)
            note_id, changes = notes.add_note(case_id, text)
            written.append(NoteView(note_id, self.session.services.context.now(), text.strip()))
            return changes

        def landed(_result: object) -> None:
            if self.text.toPlainText() == text:
                self.text.clear()

        self.error.show_message("")
        self.edits.change(
            _("Add a note"),
            add,
            lambda: notes.remove_note(case_id, written[0].id),
            on_refused=self._refused,
            on_done=landed,
        )

    def _refused(self, error: BaseException) -> bool:
        if isinstance(error, AdvisorError):
            self.error.show_message(describe(error))
            return True
        return False

    def _remove(self) -> None:
        item = self.list.currentItem()
        if item is None or self.detail is None:
            return
        note_id = item.data(Qt.ItemDataRole.UserRole)
        note = next((n for n in self.detail.notes if n.id == note_id), None)
        if note is None:
            return
        notes, case_id = self.session.services.notes, self.case_id
        self.edits.change(
            _("Remove a note"),
            lambda: notes.remove_note(case_id, note.id),
            lambda: notes.restore_note(case_id, note.id, note.written_at, note.text),
        )
