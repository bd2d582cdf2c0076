"""Locks an encrypted workspace after a chosen idle time (no key or mouse event).

Locking forgets the workspace's key (`Services.lock`): every connection that held it is
closed, and nothing can be read until the passphrase is typed again. It never happens while
background work runs (a restore, a rebuild, a re-keying, a sync...): the lock waits until
the task runner is idle.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from advisor_app.ui.dialogs.passphrase import PassphraseDialog
from advisor_app.ui.session import AppSession

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}
# When the time is up while background work runs, look again after this long.
BUSY_RETRY_MS = 15_000

# ask(root, unlock): asks for the passphrase until `unlock(passphrase)` accepts it; returns
# it, or None when the advisor gave up.
Ask = Callable[[Path, Callable[[str], object]], str | None]


@cache
def make_every_qt_type() -> int:
    """Make the Python type of every Qt class now, before an event filter on the whole
    application sees objects of them: PySide makes a type when it first wraps an object of
    it, and making one from inside an application-wide filter (a `QStyleSheetStyle`, which
    `setStyleSheet` puts on a widget, is a `QProxyStyle`) can re-enter shiboken's lazy type
    creation and crash the process (a SIGSEGV in `incarnateType`). About 70 ms, once."""
    made = 0
    for module in (QtCore, QtGui, QtWidgets):
        for name in dir(module):
            if name.startswith("Q"):
                getattr(module, name)
                made += 1
    return made


def _ask_with_dialog(root: Path, unlock: Callable[[str], object]) -> str | None:
    return PassphraseDialog.ask(root, None, locked=True, unlock=unlock)


class IdleLock(QObject):
    """Installed on the application: after `minutes` without input, forgets the key, hides
    `window` and asks for the passphrase again (the application quits if it is not given).

    `ask` is the call that asks (the passphrase dialog by default; tests replace it).
    """

    locked = Signal()
    unlocked = Signal()

    def __init__(
        self, session: AppSession, window: QWidget, minutes: int, ask: Ask | None = None
    ) -> None:
        super().__init__(window)
        self.session = session
        self.root = session.services.workspace.root
        self.window = window
        self.ask = ask or _ask_with_dialog
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock_now)
        self.is_locked = False
        self._watching = False
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        if minutes > 0 and self.session.services.encryption.encrypted:
            self._watch()
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def _watch(self) -> None:
        """Watch the keyboard and mouse of the whole application, from the first time a
        lock is due: a plain workspace, or no idle time chosen, costs nothing."""
        app = QApplication.instance()
        if app is not None and not self._watching:
            make_every_qt_type()
            app.installEventFilter(self)
            self._watching = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.is_locked and event.type() in _ACTIVITY and self.timer.isActive():
            self.timer.start(self.minutes * 60_000)
        return False

    def lock_now(self) -> bool:
        """Lock, unless background work runs (then look again a little later); True when
        the workspace was locked (and has been unlocked again since)."""
        if self.is_locked:
            return False
        if self.session.tasks.busy:
            self.timer.start(min(BUSY_RETRY_MS, max(self.minutes, 1) * 60_000))
            return False
        self.is_locked = True
        services = self.session.services
        services.lock()
        self.window.hide()
        self.locked.emit()
        passphrase = self.ask(self.root, services.unlock)
        if passphrase is None:
            QApplication.quit()
            return True
        self.is_locked = False
        self.window.show()
        self.unlocked.emit()
        self.set_minutes(self.minutes)
        return True
