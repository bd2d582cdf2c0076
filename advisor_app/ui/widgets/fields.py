"""Fields saved as they are edited, through the services' one writer, a refusal shown
beneath them; each change kept on the case's undo stack."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from advisor_app.domain.errors import AdvisorError, ValidationError
from advisor_app.i18n import _, describe

Save = Callable[[Any], object]
Work = Callable[[], object]


class Writer(Protocol):
    """Where a field hands its writes: the case's edits (ui/case/edits.py), which run them
    on the one writer and keep them on the undo stack."""

    def change(
        self,
        text: str,
        do: Work,
        undo: Work | None = None,
        on_refused: Callable[[BaseException], bool] | None = None,
        on_done: Callable[[object], None] | None = None,
    ) -> None: ...


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


def say_refusal(errors: dict[str, ErrorLabel], error: BaseException) -> bool:
    """A dialog's write refused by the services: said under its field (or under the form,
    `errors["other"]`). False for any other failure, which the window says itself."""
    if isinstance(error, ValidationError):
        errors.get(error.field, errors["other"]).show_message(describe(error))
        return True
    if isinstance(error, AdvisorError):
        errors["other"].show_message(describe(error))
        return True
    return False


class SavedField(QWidget):
    """An editor whose value is saved when editing ends; refused input stays, explained.

    `save(value)` either writes at once (returning nothing callable), or returns the call
    to make (a `Work`): the field then hands it to its `writer`, with the call that puts
    the previous value back as its undo, and shows the typed value meanwhile. A refusal
    that comes back is said under the field, which keeps what was typed so that it can be
    corrected (`holds_refused_value`); any other failure puts the stored value back.
    """

    saved = Signal()
    refused = Signal(str)
    keeps_refused_value = True  # typed text stays to be corrected; a choice goes back

    def __init__(
        self,
        editor: QWidget,
        save: Save,
        writer: Writer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self._save = save
        self._writer = writer
        self._value: Any = None
        self._pending = 0  # writes of this field not landed yet
        self.caption = ""  # a message id, for the text of its undo command
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

    def is_edited(self) -> bool:
        """The editor holds something not saved: being typed, or refused (a field never
        given a stored value holds nothing of the advisor's)."""
        return self._value is not None and bool(self.value() != self._value)

    def holds_refused_value(self) -> bool:
        return self.is_edited() and not self.error.isHidden()

    def set_value(self, value: Any) -> None:
        """Show a stored value without saving it; what the advisor is typing, or typed and
        saw refused, stays in the editor (a change saved elsewhere must not wipe it), and so
        does a value still on its way to the file."""
        if self._pending:
            return
        if self.is_edited():
            self._value = value
            return
        self.show_stored(value)

    def show_stored(self, value: Any) -> None:
        """Show a stored value, replacing whatever the editor holds (another record)."""
        self._pending = 0
        self._value = value
        self._show(value)
        self.error.show_message("")

    def discard(self) -> None:
        """Throw away what was typed: the stored value again."""
        self.show_stored(self._value)

    def commit(self) -> bool:
        """Save the editor's value if it changed; False when it was refused at once."""
        value = self.value()
        if value == self._value:
            self.error.show_message("")
            return True
        previous = self._value
        try:
            work = self._save(value)
        except AdvisorError as error:
            self._say(describe(error))
            return False
        self._value = value
        self.error.show_message("")
        if not callable(work):  # written already
            self.saved.emit()
            return True
        undo: Work | None = None
        try:
            back = self._save(previous)
            undo = back if callable(back) else None
        except AdvisorError:  # a stored value that no longer reads: not undoable
            undo = None
        text = _("Edit: {field}").format(field=_(self.caption)) if self.caption else _("Edit")
        if self._writer is None:
            raise RuntimeError("a field that returns work needs a writer")
        self._pending += 1
        self._writer.change(
            text,
            work,
            undo,
            on_refused=lambda error: self._write_refused(value, previous, error),
            on_done=lambda _result: self._write_landed(),
        )
        return True

    def _write_landed(self) -> None:
        self._pending = max(0, self._pending - 1)
        self.saved.emit()

    def _say(self, message: str) -> None:
        self.error.show_message(message)
        self.refused.emit(message)

    def _write_refused(self, value: Any, previous: Any, error: BaseException) -> bool:
        """A write came back refused: the stored value is the previous one again."""
        self._pending = max(0, self._pending - 1)
        if self._value == value:
            self._value = previous
        if isinstance(error, AdvisorError):
            if not self.keeps_refused_value and self.value() == value:
                self._show(previous)
            self._say(describe(error))
            return True
        if self.value() == value:
            self._show(previous)
        return False


def passes_undo_on(
    event: QEvent, can_undo: Callable[[], bool], can_redo: Callable[[], bool]
) -> bool:
    """Ctrl+Z in an editor with no typing of its own to undo goes to the window's
    Édition ▸ Annuler (the case's last change): True when `event` is let through so."""
    if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
        return False
    if (event.matches(QKeySequence.StandardKey.Undo) and not can_undo()) or (
        event.matches(QKeySequence.StandardKey.Redo) and not can_redo()
    ):
        event.ignore()
        return True
    return False


class UndoAwareLine(QLineEdit):
    def event(self, event: QEvent) -> bool:
        if passes_undo_on(event, self.isUndoAvailable, self.isRedoAvailable):
            return False
        return super().event(event)


class SavedLine(SavedField):
    def __init__(
        self,
        save: Save,
        writer: Writer | None = None,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        edit = UndoAwareLine()
        edit.setPlaceholderText(placeholder)
        super().__init__(edit, save, writer, parent)
        self.line = edit
        edit.editingFinished.connect(self.commit)

    def value(self) -> str:
        return self.line.text()

    def _show(self, value: Any) -> None:
        self.line.setText("" if value is None else str(value))


class _PlainText(QPlainTextEdit):
    focus_lost = Signal()

    def event(self, event: QEvent) -> bool:
        document = self.document
        if passes_undo_on(
            event, lambda: document().isUndoAvailable(), lambda: document().isRedoAvailable()
        ):
            return False
        return super().event(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class SavedText(SavedField):
    def __init__(
        self, save: Save, writer: Writer | None = None, parent: QWidget | None = None
    ) -> None:
        edit = _PlainText()
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(70)
        super().__init__(edit, save, writer, parent)
        self.text_edit = edit
        edit.focus_lost.connect(self.commit)

    def value(self) -> str:
        return self.text_edit.toPlainText()

    def _show(self, value: Any) -> None:
        self.text_edit.setPlainText("" if value is None else str(value))


class SavedChoice(SavedField):
    keeps_refused_value = False

    def __init__(
        self,
        choices: Sequence[tuple[str, Any]],
        save: Save,
        writer: Writer | None = None,
        parent: QWidget | None = None,
    ) -> None:
        combo = QComboBox()
        super().__init__(combo, save, writer, parent)
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

    def set_value(self, value: Any) -> None:  # chosen is saved at once: nothing half typed
        if not self._pending:
            self.show_stored(value)

    def _show(self, value: Any) -> None:
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))


class SavedCheck(SavedField):
    keeps_refused_value = False

    def __init__(
        self, text: str, save: Save, writer: Writer | None = None, parent: QWidget | None = None
    ) -> None:
        box = QCheckBox(text)
        super().__init__(box, save, writer, parent)
        self.check = box
        box.clicked.connect(lambda _checked: self.commit())

    def value(self) -> bool:
        return self.check.isChecked()

    def set_value(self, value: Any) -> None:
        if not self._pending:
            self.show_stored(value)

    def _show(self, value: Any) -> None:
        self.check.setChecked(bool(value))
