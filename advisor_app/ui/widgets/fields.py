"""Fields saved as they are edited, a refusal shown beneath them, and a cheap undo."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import describe

Save = Callable[[Any], object]


class UndoList:
    """The last edits of a page, each undone by saving the previous value again."""

    def __init__(self) -> None:
        self._steps: list[Callable[[], None]] = []

    def push(self, step: Callable[[], None]) -> None:
        self._steps.append(step)
        del self._steps[:-20]

    def undo(self) -> bool:
        if not self._steps:
            return False
        self._steps.pop()()
        return True

    def clear(self) -> None:
        self._steps.clear()

    def __len__(self) -> int:
        return len(self._steps)


class ErrorLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldError")
        self.setWordWrap(True)
        self.setStyleSheet("color: #b00020;")
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class SavedField(QWidget):
    """An editor whose value is saved when editing ends; refused input stays, explained."""

    saved = Signal()
    refused = Signal(str)

    def __init__(
        self,
        editor: QWidget,
        save: Save,
        undo: UndoList | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self._save = save
        self._undo = undo
        self._value: Any = None
        self.error = ErrorLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.error)

    # subclasses read and write the editor
    def value(self) -> Any:
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show a stored value without saving it."""
        self._value = value
        self._show(value)
        self.error.show_message("")

    def commit(self) -> bool:
        """Save the editor's value if it changed; False when it was refused."""
        value = self.value()
        if value == self._value:
            self.error.show_message("")
            return True
        previous = self._value
        try:
            self._save(value)
        except AdvisorError as error:
            message = describe(error)
            self.error.show_message(message)
            self.refused.emit(message)
            return False
        self._value = value
        self.error.show_message("")
        if self._undo is not None:
            self._undo.push(lambda: self._restore(previous))
        self.saved.emit()
        return True

    def _restore(self, previous: Any) -> None:
        self._show(previous)
        undo, self._undo = self._undo, None
        try:
            self.commit()
        finally:
            self._undo = undo


class SavedLine(SavedField):
    def __init__(
        self,
        save: Save,
        undo: UndoList | None = None,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        super().__init__(edit, save, undo, parent)
        self.line = edit
        edit.editingFinished.connect(self.commit)

    def value(self) -> str:
        return self.line.text()

    def _show(self, value: Any) -> None:
        self.line.setText("" if value is None else str(value))


class _PlainText(QPlainTextEdit):
    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class SavedText(SavedField):
    def __init__(
        self, save: Save, undo: UndoList | None = None, parent: QWidget | None = None
    ) -> None:
        edit = _PlainText()
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(70)
        super().__init__(edit, save, undo, parent)
        self.text_edit = edit
        edit.focus_lost.connect(self.commit)

    def value(self) -> str:
        return self.text_edit.toPlainText()

    def _show(self, value: Any) -> None:
        self.text_edit.setPlainText("" if value is None else str(value))


class SavedChoice(SavedField):
    def __init__(
        self,
        choices: Sequence[tuple[str, Any]],
        save: Save,
        undo: UndoList | None = None,
        parent: QWidget | None = None,
    ) -> None:
        combo = QComboBox()
        super().__init__(combo, save, undo, parent)
        self.combo = combo
        self.set_choices(choices)
        combo.activated.connect(lambda _index: self.commit())

    def set_choices(self, choices: Sequence[tuple[str, Any]]) -> None:
        current = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        for text, data in choices:
            self.combo.addItem(text, data)
        index = self.combo.findData(current)
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)

    def value(self) -> Any:
        return self.combo.currentData()

    def _show(self, value: Any) -> None:
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))


class SavedCheck(SavedField):
    def __init__(
        self, text: str, save: Save, undo: UndoList | None = None, parent: QWidget | None = None
    ) -> None:
        box = QCheckBox(text)
        super().__init__(box, save, undo, parent)
        self.check = box
        box.clicked.connect(lambda _checked: self.commit())

    def value(self) -> bool:
        return self.check.isChecked()

    def _show(self, value: Any) -> None:
        self.check.setChecked(bool(value))
