"""What every window and page shares: the services, background work, and change news."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from advisor_app.services import Changes, Services
from advisor_app.services.workspace_lock import WorkspaceChangedError
from advisor_app.ui.errors import show_error
from advisor_app.ui.tasks import TaskRunner

T = TypeVar("T")


class AppSession(QObject):
    """Handed to every page when it is built; pages listen to `changed` to redraw.

    `key_changed` is emitted when a service call met a workspace that another window or
    command re-encrypted since it was opened here (`WorkspaceChangedError`): the main window
    then asks for the new passphrase (ui/key_change.py).
    """

    changed = Signal(object)
    open_case_requested = Signal(str)
    language_changed = Signal()
    key_changed = Signal()

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = TaskRunner(self)
        self.tasks.changed.connect(self.changed)

    def edit(self, call: Callable[[], T]) -> T:
        """Run a quick service call now; announce the `Changes` it returns (alone or last).

        An `AdvisorError` is left to the caller, which shows it at the field concerned.
        """
        try:
            result = call()
        except WorkspaceChangedError:
            self.key_changed.emit()
            raise
        changes = _changes_in(result)
        if changes is not None and not changes.empty:
            self.changed.emit(changes)
        return result

    def report(self, error: BaseException, parent: QWidget | None = None) -> QMessageBox | None:
        """Say what failed, in a sentence (a full disk or a read-only folder of the workspace
        as the command line says it); a workspace re-encrypted elsewhere is not a message but
        a question, asked by the window: `key_changed`."""
        if isinstance(error, WorkspaceChangedError):
            self.key_changed.emit()
            return None
        return show_error(parent, error, self.services.workspace.root)

    def announce(self, changes: Changes) -> None:
        if not changes.empty:
            self.changed.emit(changes)

    def open_case(self, case_id: str) -> None:
        self.open_case_requested.emit(case_id)


def _changes_in(result: Any) -> Changes | None:
    if isinstance(result, Changes):
        return result
    if isinstance(result, tuple):
        for item in reversed(result):
            if isinstance(item, Changes):
                return item
    return None
