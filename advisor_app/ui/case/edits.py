"""Every change the advisor makes in one case: written by the services' one writer, off
the interface thread, and kept on the case's undo stack (Édition ▸ Annuler / Rétablir).

A change is a pair of service calls, one that does it and one that undoes it; both run on
the writer, never by touching widgets: the pages show the result when its `Changes` are
announced, as for any other write.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoCommand, QUndoStack

from advisor_app.ui.session import AppSession
from advisor_app.ui.tasks import Task
from advisor_app.ui.widgets.fields import Work

UNDO_LIMIT = 100


class CaseCommand(QUndoCommand):
    """One change of a case. Its first run reports a refusal to `on_refused` (said at the
    field or the button); refused, it becomes a step that does nothing and leaves the stack
    when it is on top. Later runs (undo, redo) are said by the window if they fail."""

    def __init__(
        self,
        edits: CaseEdits,
        text: str,
        do: Work,
        undo: Work,
        on_refused: Callable[[BaseException], bool] | None,
        on_done: Callable[[object], None] | None,
    ) -> None:
        super().__init__(text)
        self.edits = edits
        self._do = do
        self._undo = undo
        self._on_refused = on_refused
        self._on_done = on_done
        self.refused = False
        self._first = True

    def redo(self) -> None:
        if self.refused:
            return
        if not self._first:
            self.edits.write(self._do)
            return
        self._first = False
        on_refused, on_done = self._on_refused, self._on_done
        self._on_refused = self._on_done = None
        self.edits.write(self._do, on_done, lambda error: self._first_refused(error, on_refused))

    def undo(self) -> None:
        if not self.refused:
            self.edits.write(self._undo)

    def _first_refused(
        self, error: BaseException, on_refused: Callable[[BaseException], bool] | None
    ) -> bool:
        self.refused = True
        self.setObsolete(True)
        stack = self.edits.stack
        if stack.index() > 0 and stack.command(stack.index() - 1) is self:
            stack.undo()  # nothing to undo: it leaves the stack
        return on_refused is not None and on_refused(error)


class CaseEdits(QObject):
    """The writes and the undo stack of one open case."""

    def __init__(self, session: AppSession, case_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id = case_id
        self.stack = QUndoStack(self)
        self.stack.setUndoLimit(UNDO_LIMIT)

    def change(
        self,
        text: str,
        do: Work,
        undo: Work | None = None,
        on_refused: Callable[[BaseException], bool] | None = None,
        on_done: Callable[[object], None] | None = None,
    ) -> None:
        """Do a change now (through the writer) and keep it to be undone; without `undo`,
        it is only written."""
        if undo is None:
            self.write(do, on_done, on_refused)
            return
        self.stack.push(CaseCommand(self, text, do, undo, on_refused, on_done))

    def write(
        self,
        do: Work,
        on_done: Callable[[object], None] | None = None,
        on_refused: Callable[[BaseException], bool] | None = None,
    ) -> Task:
        return self.session.write(do, on_done, on_refused)
