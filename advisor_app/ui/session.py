"""What every window and page shares: the services, background work, and change news."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from advisor_app.services import Changes, Services
from advisor_app.services.workspace_lock import WorkspaceChangedError
from advisor_app.ui.errors import show_error
from advisor_app.ui.tasks import Task, TaskRunner, changes_in

T = TypeVar("T")


class AppSession(QObject):
    """Handed to every page when it is built; pages listen to `changed` to redraw.

    `key_changed` is emitted when a service call met a workspace that another window or
    command re-encrypted since it was opened here (`WorkspaceChangedError`): the main window
    then asks for the new passphrase (ui/key_change.py).
    """

    changed = Signal(object)
    open_case_requested = Signal(str, str)  # the case, and its page to show ("": as it was)
    open_appointment_requested = Signal(str, str)  # the case, the appointment to select
    language_changed = Signal()
    key_changed = Signal()

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = TaskRunner(self)
        self.tasks.changed.connect(self.changed)

    def write(
        self,
        call: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_refused: Callable[[BaseException], bool] | None = None,
    ) -> Task:
        """Hand a service call that writes to the one writer (`tasks.write`): it runs off the
        interface thread, after the writes asked before it, and its `Changes` are announced
        when it lands. `on_refused` gets an error first (an `AdvisorError` is said at the
        field concerned) and returns True when it said it; otherwise the window says it in
        a sentence. A workspace re-encrypted elsewhere also asks for the new passphrase."""

        def refused(error: BaseException) -> bool:
            if isinstance(error, WorkspaceChangedError):
                self.key_changed.emit()
            return on_refused is not None and on_refused(error)

        return self.tasks.write(call, on_done, refused)

    def change(
        self,
        text: str,
        do: Callable[[], object],
        undo: Callable[[], object] | None = None,
        on_refused: Callable[[BaseException], bool] | None = None,
        on_done: Callable[[object], None] | None = None,
    ) -> None:
        """A field's writer outside a case (widgets/fields.Writer): written by the one
        writer, not kept to be undone (a case's fields go through its `CaseEdits`)."""
        self.write(do, on_done, on_refused)

    @property
    def writing(self) -> bool:
        return self.tasks.writing

    def edit(self, call: Callable[[], T]) -> T:
        """Run a quick service call now, on the interface thread; announce the `Changes` it
        returns (alone or last). Kept for the dialogs that need the result at once (a new
        case's id); the case pages write through `write`.

        An `AdvisorError` is left to the caller, which shows it at the field concerned.
        """
        try:
            result = call()
        except WorkspaceChangedError:
            self.key_changed.emit()
            raise
        changes = changes_in(result)
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

    def open_case(self, case_id: str, page: str = "") -> None:
        """Open the case's tab; on `page` (its key, "Pathway") when one is named."""
        self.open_case_requested.emit(case_id, page)

    def open_appointment(self, case_id: str, appointment_id: str) -> None:
        """Open the case's tab on its Appointments page, that appointment selected."""
        self.open_appointment_requested.emit(case_id, appointment_id)
