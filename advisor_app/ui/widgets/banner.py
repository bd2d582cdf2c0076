"""A band across a window or a page: something the advisor should know, and what to do.

Never a dialog: it does not stop the work, and it stays until what it says is no longer
true (or, for news, until closed). `Saying`: a line of feedback under a page's buttons,
said again in the new language when the language changes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from advisor_app.i18n import _

_LOOKS = {
    "warning": "background: #fff4e5; border: 1px solid #e0a040; color: #5c3b00;",
    "news": "background: #eaf4ea; border: 1px solid #7cb07c; color: #1e4620;",
}


class Banner(QFrame):
    """`say(text, action=...)` shows it; `action_clicked` when its button is pressed;
    `clear()` hides it. News (`warning=False`) can be closed by the advisor. `withhold()`
    keeps it hidden while the page on screen says the same at length."""

    action_clicked = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.saying = False
        self.withheld = False
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.clicked.connect(self.action_clicked)
        self.dismiss = QToolButton()
        self.dismiss.setText("×")
        self.dismiss.setAutoRaise(True)
        self.dismiss.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.dismiss.setToolTip(_("Close"))
        self.dismiss.setAccessibleName(_("Close"))

    def say(self, text: str, action: str = "", *, warning: bool = True) -> None:
        self.setStyleSheet(f"#{self.objectName()} {{ {_LOOKS['warning' if warning else 'news']} }}")
        self.text.setText(text)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.dismiss.setVisible(not warning)
        self.saying = True
        self.setVisible(not self.withheld)

    def clear(self) -> None:
        self.text.clear()
        self.saying = False
        self.hide()

    def withhold(self, withheld: bool) -> None:
        self.withheld = withheld
        self.setVisible(self.saying and not withheld)

    @property
    def showing(self) -> bool:
        """Whether it has something to say (shown, or withheld for now)."""
        return self.saying


class Saying(QLabel):
    """A line of feedback ("Léa Moreau added.", "Saved in …") kept as the way to say it,
    message and arguments, so that `retranslate()` says it again in the new language
    rather than leaving a French sentence in an English window. Text set with `setText`
    (transient, such as "Printing…") is cleared on a change of language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self._sentence: Callable[[], str] | None = None

    def say(self, sentence: Callable[[], str] | None) -> None:
        """`sentence` makes the text in the current language (None: say nothing)."""
        self._sentence = sentence
        super().setText(sentence() if sentence is not None else "")

    @property
    def sentence(self) -> Callable[[], str] | None:
        return self._sentence

    def setText(self, text: str) -> None:
        self._sentence = None
        super().setText(text)

    def retranslate(self) -> None:
        super().setText(self._sentence() if self._sentence is not None else "")
