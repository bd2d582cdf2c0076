"""Buttons: the foot of a dialog (one that does the thing, and Cancel), and rows of
buttons that wrap rather than widen the window."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLayout,
    QLayoutItem,
    QPushButton,
    QWidget,
)


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


class FlowLayout(QLayout):
    """A row of buttons that wraps onto further lines when the page is narrow, so that a
    row of long French labels never widens the window (half a screen is 960 pixels).

    A stretch is not possible in a flow: `add_stretch()` marks where the row breaks into a
    left and a right group when everything fits on one line."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._break_at: int | None = None
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    # -- filling -------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def add_stretch(self) -> None:
        """What comes after goes to the right when the row fits on one line."""
        self._break_at = len(self._items)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        if 0 <= index < len(self._items):
            if self._break_at is not None and index < self._break_at:
                self._break_at -= 1
            return self._items.pop(index)
        return None

    # -- sizes -------------------------------------------------------------------------

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def sizeHint(self) -> QSize:
        shown = self._shown()
        width = sum(item.sizeHint().width() for item in shown)
        width += self._spacing * max(len(shown) - 1, 0)
        height = max((item.sizeHint().height() for item in shown), default=0)
        margins = self.contentsMargins()
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    # -- placing -----------------------------------------------------------------------

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        shown = self._shown()
        one_line = sum(item.sizeHint().width() for item in shown)
        one_line += self._spacing * max(len(shown) - 1, 0)
        if one_line <= area.width():
            return self._one_line(area, move) + margins.top() + margins.bottom()
        x, y, line_height = area.x(), area.y(), 0
        for item in shown:
            hint = item.sizeHint()
            width = min(hint.width(), area.width())
            if x > area.x() and x + width > area.x() + area.width():
                x, y = area.x(), y + line_height + self._spacing
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - area.y() + margins.top() + margins.bottom()

    def _one_line(self, area: QRect, move: bool) -> int:
        """Everything on one line, the group after the break pushed to the right."""
        height = 0
        x = area.x()
        right = [
            item
            for index, item in enumerate(self._items)
            if self._break_at is not None and index >= self._break_at and not item.isEmpty()
        ]
        right_width = sum(item.sizeHint().width() for item in right)
        right_width += self._spacing * max(len(right) - 1, 0)
        for item in self._shown():
            hint = item.sizeHint()
            if item is (right[0] if right else None):
                x = max(x, area.x() + area.width() - right_width)
            if move:
                item.setGeometry(QRect(QPoint(x, area.y()), hint))
            x += hint.width() + self._spacing
            height = max(height, hint.height())
        return height
