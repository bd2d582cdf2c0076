"""A question before an action that loses something, asked without blocking the window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from advisor_app.i18n import _


class Confirmation(QMessageBox):
    """Asks `question`; `confirm_button` (named after the action) runs `on_confirm`.

    Shown with `open()`, so that nothing waits on it: tests click `confirm_button`.
    """

    def __init__(
        self,
        parent: QWidget | None,
        question: str,
        action: str,
        on_confirm: Callable[[], None],
        detail: str = "",
    ) -> None:
        super().__init__(QMessageBox.Icon.Question, _("Please confirm"), question, parent=parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if detail:
            self.setInformativeText(detail)
        self.confirm_button = self.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        self.cancel_button = self.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.cancel_button)
        self.setEscapeButton(self.cancel_button)
        self._on_confirm = on_confirm
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: object) -> None:
        if button is self.confirm_button:
            self._on_confirm()


def confirm(
    parent: QWidget | None,
    question: str,
    action: str,
    on_confirm: Callable[[], None],
    detail: str = "",
) -> Confirmation:
    box = Confirmation(parent, question, action, on_confirm, detail)
    box.open()
    return box
