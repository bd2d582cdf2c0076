"""Names for a screen reader, given to the controls that Qt leaves unnamed, and a Tab key
that goes through every control.

Qt names a button by its text and a field by the label whose buddy it is, but only when the
label sits beside the field: a field inside a composite editor (`SavedLine`, `SavedText`)
and a table or list with no caption of its own are read out as nothing. `name_controls`
names them after what the advisor sees: the caption of the field, else the title of the
box, tab or page the control sits in. The names it gives are marked as its own, and made
again in the new language on each call, so that a window calls it after `retranslate()`.
Names set where a control is made are kept.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QWidget,
)

AUTOMATIC = "automaticAccessibleName"


def plain(text: str) -> str:
    """A caption as it is read: without the mnemonic's ampersand and the trailing colon."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip().rstrip(":")


def _takes_focus(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def _give(widget: QWidget, name: str) -> None:
    if name and (not widget.accessibleName() or widget.property(AUTOMATIC)):
        widget.setAccessibleName(name)
        widget.setProperty(AUTOMATIC, True)


def _fields_of(buddy: QWidget) -> list[QWidget]:
    """The control a caption names: its buddy, or the editor inside a composite buddy."""
    if _takes_focus(buddy):
        return [buddy]
    return [child for child in buddy.findChildren(QWidget) if _takes_focus(child)][:1]


def _captions(root: QWidget) -> Iterator[tuple[str, QWidget]]:
    """Each label with the field it captions: its buddy, or the field beside it in a form."""
    for label in root.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None and label.text():
            yield label.text(), buddy
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            caption = label_item.widget() if label_item is not None else None
            field = field_item.widget() if field_item is not None else None
            if isinstance(caption, QLabel) and caption.text() and field is not None:
                yield caption.text(), field


def _caption_above(widget: QWidget) -> str:
    """The text of the label laid out just before `widget` (a table's title above it)."""
    parent = widget.parentWidget()
    layout = parent.layout() if parent is not None else None
    found = _holding(layout, widget) if layout is not None else None
    if found is None:
        return ""
    holder, index = found
    for before in range(index - 1, -1, -1):
        item = holder.itemAt(before)
        for label in _labels_in(item):
            return plain(label.text())
    return ""


def _holding(layout: QLayout, widget: QWidget) -> tuple[QLayout, int] | None:
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        if item.widget() is widget:
            return layout, index
        inner = item.layout()
        if inner is not None and (found := _holding(inner, widget)) is not None:
            return found
    return None


def _labels_in(item: QLayoutItem | None) -> list[QLabel]:
    """The labels with text in a layout item, last first."""
    if item is None:
        return []
    widget = item.widget()
    if isinstance(widget, QLabel):
        return [widget] if widget.text() and not widget.buddy() else []
    inner = item.layout()
    if inner is None:
        return []
    labels: list[QLabel] = []
    for index in range(inner.count() - 1, -1, -1):
        labels += _labels_in(inner.itemAt(index))
    return labels


def _title_around(widget: QWidget) -> str:
    """The title of the nearest box, tab or page holding `widget`."""
    current: QWidget | None = widget.parentWidget()
    child: QWidget = widget
    while current is not None:
        if isinstance(current, QGroupBox) and current.title():
            return plain(current.title())
        if isinstance(current, QStackedWidget) and isinstance(current.parentWidget(), QTabWidget):
            tabs = current.parentWidget()
            assert isinstance(tabs, QTabWidget)
            index = tabs.indexOf(child)
            if index >= 0:
                return plain(tabs.tabText(index))
        title = current.findChild(QLabel, "pageTitle", Qt.FindChildOption.FindDirectChildrenOnly)
        if title is not None and title.text():
            return plain(title.text())
        child, current = current, current.parentWidget()
    return ""


def _placeholder(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return plain(widget.placeholderText())
    return ""


def name_controls(root: QWidget) -> None:
    """Name every field after its caption, and every other unnamed control of `root` that
    takes the keyboard (tables, lists, text areas) after its placeholder or the title of
    what holds it."""
    captioned: set[QWidget] = set()
    for caption, field_widget in _captions(root):
        for field in _fields_of(field_widget):
            _give(field, plain(caption))
            captioned.add(field)
    for widget in root.findChildren(QWidget):
        if widget in captioned or not _takes_focus(widget) or widget.focusProxy() is not None:
            continue
        if widget.accessibleName() and not widget.property(AUTOMATIC):
            continue
        if isinstance(widget, QAbstractItemView | QPlainTextEdit | QTextEdit | QLineEdit):
            _give(widget, _placeholder(widget) or _caption_above(widget) or _title_around(widget))


def no_focus_for_frames(*areas: QAbstractScrollArea) -> None:
    """A scroll area only frames a page: the keyboard goes to its controls, which it scrolls
    into view, not to the frame itself."""
    for area in areas:
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def let_tab_through(root: QWidget) -> None:
    """Tab goes from control to control: a table moves between its cells with the arrows,
    and a text area takes Tab as a move to the next control, so that the keyboard is never
    kept in one of them."""
    for view in root.findChildren(QAbstractItemView):
        view.setTabKeyNavigation(False)
    for text in root.findChildren(QPlainTextEdit) + root.findChildren(QTextEdit):
        text.setTabChangesFocus(True)


def prepare_for_keyboard(root: QWidget) -> None:
    """`let_tab_through` and `name_controls`: what a window does after building or
    retranslating its pages."""
    let_tab_through(root)
    name_controls(root)
