"""Background work seen from the window: a progress dialog fed by a task (with cancel where
it makes sense), and a word when the work is done."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from advisor_app.i18n import _
from advisor_app.services import Changes
from advisor_app.ui.session import AppSession
from advisor_app.ui.tasks import Task


def follow(
    task: Task, text: str, parent: QWidget | None, cancellable: bool = True
) -> QProgressDialog:
    dialog = QProgressDialog(text, _("Cancel") if cancellable else "", 0, 0, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(200)
    dialog.setAutoClose(True)
    if not cancellable:
        dialog.setCancelButton(None)  # type: ignore[arg-type]
    dialog.canceled.connect(task.cancel)

    def progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)

    task.progress.connect(progress)
    task.done.connect(lambda _result: dialog.reset())
    task.error.connect(lambda _error: dialog.reset())
    return dialog


def tell(parent: QWidget | None, text: str, title: str = "") -> QMessageBox:
    """Say that something was done, without waiting on the advisor."""
    box = QMessageBox(QMessageBox.Icon.Information, title or _("Boussole"), text, parent=parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def run_then_tell(
    session: AppSession,
    parent: QWidget,
    call: Callable[[], object],
    success: str,
    *,
    then: Callable[[], None] | None = None,
    on_error: Callable[[BaseException], bool] | None = None,
    waiting: str = "",
) -> Task:
    """Run a service call off the window's thread (with a progress dialog saying `waiting`,
    if given, should it last); then run `then` and say `success`. What it changed is
    announced: its `Changes`, or the case list when it returns none. A failure goes to
    `on_error`, then to the window (`TaskRunner.failed`)."""

    def work() -> Changes:
        result = call()
        return result if isinstance(result, Changes) else Changes(case_list=True)

    def done(_result: object) -> None:
        if then is not None:
            then()
        if success:
            tell(parent, success)

    task = session.tasks.run(work, done, on_error=on_error)
    if waiting:
        follow(task, waiting, parent, cancellable=False)
    return task
