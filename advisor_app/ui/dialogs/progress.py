"""A progress dialog fed by a background task, with cancel where it makes sense."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from advisor_app.i18n import _
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
