"""What the layout and keyboard tests look for in a window as it is drawn: text cut short,
a scrollbar sideways, a control no screen reader can name; and every message made longer.

`stretched_translations` pads every translated message by 30 % (as Vorta's TRANS_SCALE
does), so that a layout that only just fits French today is caught before a longer wording
breaks it.
"""

from __future__ import annotations

import gettext
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAccessible, QFontMetrics
from PySide6.QtGui import Qt as QtGuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTabBar,
    QWidget,
)

from advisor_app.i18n import catalogs

STRETCH = 0.3
PAD = "~"
SLACK = 2  # pixels of rounding allowed


class Stretched:
    """A gettext catalogue whose every message comes out 30 % longer."""

    def __init__(self, inner: gettext.NullTranslations) -> None:
        self.inner = inner

    @staticmethod
    def longer(text: str) -> str:
        """`text` and 30 % more, in words of five as a longer wording would be, so that a
        sentence still wraps where it may."""
        if not text:
            return text
        extra = math.ceil(len(text) * STRETCH)
        words = [PAD * 5] * (extra // 5) + ([PAD * (extra % 5)] if extra % 5 else [])
        if len(text) < 20 and " " not in text:  # a caption, a title: one word longer
            return text + PAD * extra
        return text + " " + " ".join(words)

    def gettext(self, message: str) -> str:
        return self.longer(self.inner.gettext(message))

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.longer(self.inner.ngettext(singular, plural, count))

    def pgettext(self, context: str, message: str) -> str:
        return self.longer(self.inner.pgettext(context, message))


@contextmanager
def stretched_translations(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    original = catalogs.translations
    monkeypatch.setattr(catalogs, "translations", lambda language: Stretched(original(language)))
    try:
        yield
    finally:
        monkeypatch.setattr(catalogs, "translations", original)


def settle(window: QWidget | None = None) -> None:
    """Let the window draw; with `window`, what its pages read in the background first."""
    tasks = getattr(getattr(window, "session", None), "tasks", None)
    for _round in range(4):
        if tasks is not None:
            tasks.wait()
        QCoreApplication.processEvents()


def shown(root: QWidget) -> Iterator[QWidget]:
    """Every widget of `root` drawn on screen now (not hidden, not on another tab)."""
    for widget in root.findChildren(QWidget):
        if widget.isVisible() and widget.window() is root.window():
            yield widget


def _name(widget: QWidget) -> str:
    path: list[str] = []
    current: QWidget | None = widget
    while current is not None and len(path) < 4:
        path.append(current.objectName() or type(current).__name__)
        current = current.parentWidget()
    return " < ".join(path)


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _text_width(metrics: QFontMetrics, text: str) -> int:
    return max((metrics.horizontalAdvance(line) for line in text.split("\n")), default=0)


def clipped_label(label: QLabel) -> str | None:
    text = label.text()
    if not text or QtGuiQt.mightBeRichText(text) or label.property("elided"):
        return None
    room = label.contentsRect().width() - 2 * max(label.margin(), 0) - max(label.indent(), 0)
    if label.wordWrap():
        # a wrapped label is cut when it is given fewer lines than it needs
        needed = label.heightForWidth(label.width())
        if needed > label.height() + SLACK:
            return f"needs {needed} px of height, has {label.height()}"
        longest_word = max(
            (label.fontMetrics().horizontalAdvance(w) for w in text.split()), default=0
        )
        if longest_word > room + SLACK:
            return f"a word needs {longest_word} px, has {room}"
        return None
    needed = _text_width(label.fontMetrics(), _plain(text) if label.buddy() else text)
    if needed > room + SLACK:
        return f"needs {needed} px, has {room}"
    return None


def clipped_button(button: QAbstractButton) -> str | None:
    text = _plain(button.text())
    if not text:
        return None
    if isinstance(button, QCheckBox | QRadioButton):
        needed = button.sizeHint().width()
        if needed > button.width() + SLACK:
            return f"needs {needed} px, has {button.width()}"
        return None
    if isinstance(button, QPushButton):
        needed = _text_width(button.fontMetrics(), text) + 8
        if not button.icon().isNull():
            needed += button.iconSize().width() + 4
        if needed > button.width() + SLACK:
            return f"needs {needed} px, has {button.width()}"
    return None


def clipped_group(box: QGroupBox) -> str | None:
    title = _plain(box.title())
    if not title:
        return None
    font = box.font()
    needed = QFontMetrics(font).horizontalAdvance(title) + 16
    if needed > box.width() + SLACK:
        return f"title needs {needed} px, has {box.width()}"
    return None


def clipped_tabs(
    bar: QTabBar, *, may_scroll: bool = False, elided: bool | None = None
) -> list[str]:
    """Tabs cut short or scrolled out of sight. A bar that elides on purpose (an elide mode,
    no scroll buttons) is let be unless `elided` is False."""
    if elided is None:
        elided = bar.elideMode() != Qt.TextElideMode.ElideNone and not bar.usesScrollButtons()
    if elided:
        return []
    problems = []
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        text = _plain(bar.tabText(index))
        rect = bar.tabRect(index)
        needed = bar.fontMetrics().horizontalAdvance(text)
        if not may_scroll and (rect.right() > bar.width() or rect.left() < 0):
            problems.append(f"tab “{text}” is scrolled out of the bar")
        elif rect.width() < needed + SLACK:
            problems.append(f"tab “{text}” needs {needed} px, has {rect.width()}")
    return problems


def clipped_headers(header: QHeaderView) -> list[str]:
    if header.orientation() != Qt.Orientation.Horizontal or header.isHidden():
        return []
    model = header.model()
    if model is None:
        return []
    problems = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = model.headerData(section, Qt.Orientation.Horizontal)
        if not isinstance(text, str) or not text:
            continue
        needed = header.fontMetrics().horizontalAdvance(text) + 8
        if needed > header.sectionSize(section) + SLACK:
            problems.append(f"column “{text}” needs {needed} px, has {header.sectionSize(section)}")
    return problems


def sideways_scrollbar(area: QAbstractScrollArea) -> str | None:
    bar = area.horizontalScrollBar()
    if bar.isVisible() and bar.maximum() > 0:
        return f"scrolls sideways by {bar.maximum()} px"
    return None


def layout_problems(root: QWidget, *, scrolling_tabs: tuple[QTabBar, ...] = ()) -> list[str]:
    """Text cut short and sideways scrollbars among what `root` shows now."""
    problems: list[str] = []

    def add(widget: QWidget, text: str | None) -> None:
        if text:
            shown_text = ""
            for getter in ("text", "title"):
                value: Any = getattr(widget, getter, None)
                if callable(value):
                    with_text = value()
                    if isinstance(with_text, str):
                        shown_text = with_text[:50]
                        break
            problems.append(f"{_name(widget)} “{shown_text}”: {text}")

    for widget in shown(root):
        if isinstance(widget, QLabel):
            add(widget, clipped_label(widget))
        elif isinstance(widget, QAbstractButton):
            add(widget, clipped_button(widget))
        elif isinstance(widget, QGroupBox):
            add(widget, clipped_group(widget))
        elif isinstance(widget, QTabBar):
            for text in clipped_tabs(widget, may_scroll=widget in scrolling_tabs):
                add(widget, text)
        elif isinstance(widget, QHeaderView):
            for text in clipped_headers(widget):
                add(widget, text)
        if isinstance(widget, QAbstractScrollArea) and not isinstance(widget, QComboBox):
            add(widget, sideways_scrollbar(widget))
    return problems


def accessible_name(widget: QWidget) -> str:
    """What a screen reader says for `widget`: its accessible name, else its text or the
    text of the label whose buddy it is (as Qt's accessibility tells it)."""
    if widget.accessibleName().strip():
        return widget.accessibleName().strip()
    if isinstance(widget, QComboBox):
        # a combo's "name" is its value: the label it is the buddy of names it (labelled-by)
        labels = [
            label for label in widget.window().findChildren(QLabel) if label.buddy() is widget
        ]
        return _plain(labels[0].text()).strip() if labels else ""
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def focusable(root: QWidget) -> Iterator[QWidget]:
    """The controls of `root` on screen that Tab can reach."""
    for widget in shown(root):
        takes_tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if takes_tab and widget.isEnabled() and widget.focusProxy() is None:
            yield widget


def unnamed_controls(root: QWidget) -> list[str]:
    return [_name(widget) for widget in focusable(root) if not accessible_name(widget)]
