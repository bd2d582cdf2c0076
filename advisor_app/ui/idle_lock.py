"""Locks an encrypted workspace after a chosen idle time (no key or mouse event)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from advisor_app.services.workspace_lock import is_encrypted, lock
from advisor_app.ui.dialogs.passphrase import PassphraseDialog

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleLock(QObject):
    """Installed on the application: after `minutes` without input, forgets the key, hides
    `window` and asks for the passphrase again (the application quits if it is not given).

    `ask` is the call that asks (the passphrase dialog by default; tests replace it).
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self,
        root: Path,
        window: QWidget,
        minutes: int,
        ask: Callable[[Path, QWidget | None], str | None] | None = None,
    ) -> None:
        super().__init__(window)
        self.root = root
        self.window = window
        self.ask = ask or (lambda r, p: PassphraseDialog.ask(r, p, locked=True))
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock_now)
        self.is_locked = False
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        if minutes > 0 and is_encrypted(self.root):
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.is_locked and event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start(self.minutes * 60_000)
        return False

    def lock_now(self) -> None:
        if self.is_locked:
            return
        self.is_locked = True
        lock(self.root)
        self.window.hide()
        self.locked.emit()
        passphrase = self.ask(self.root, None)
        if passphrase is None:
            QApplication.quit()
            return
        self.is_locked = False
        self.window.show()
        self.unlocked.emit()
        self.set_minutes(self.minutes)
