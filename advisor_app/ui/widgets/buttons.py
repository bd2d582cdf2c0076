"""The buttons at the foot of a dialog: one that does the thing, and Cancel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton


def accept_cancel(
    dialog: QDialog, on_accept: Callable[[], None], accept_text: str | None = None
) -> tuple[QDialogButtonBox, QPushButton]:
    """Save (or `accept_text`) calls `on_accept`, which accepts the dialog once it has
    saved; Cancel rejects it. Qt's translations name the standard buttons."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    accept = buttons.button(QDialogButtonBox.StandardButton.Save)
    if accept_text is not None:
        accept.setText(accept_text)
    buttons.accepted.connect(on_accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, accept
