"""A workspace re-encrypted under an open window: ask for its new passphrase, then go on.

When another window or command re-keys the workspace, this window's key opens nothing any
more: every read or write raises `WorkspaceChangedError` (nothing is written into a replaced
file, nothing is taken for damage) until `Services.unlock(new passphrase)`. The window then
asks for the passphrase once, without blocking; given, the pages are read again and a banner
says that what was being saved when it happened must be done again; refused, the window
stays open and its banner says that nothing can be read or written until the passphrase is
given, with a button to give it.

It hears of the change from `AppSession.key_changed` (an edit, a background task or a slot
that met the error) and, for a read whose error was shown where it happened (a case page's
header, say), by looking at `Services.key_changed` every second.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from advisor_app.i18n import _
from advisor_app.ui.dialogs.passphrase import PassphraseDialog
from advisor_app.ui.session import AppSession
from advisor_app.ui.widgets.banner import Banner

LOOK_EVERY_MS = 1_000


class KeyChangeWatch(QObject):
    """Owned by the main window; `dialog` is the passphrase dialog while it is open."""

    unlocked = Signal()

    def __init__(self, session: AppSession, window: QWidget, banner: Banner) -> None:
        super().__init__(window)
        self.session = session
        self.window = window
        self.banner = banner
        self.dialog: PassphraseDialog | None = None
        self.declined = False  # the advisor cancelled: only the banner's button asks again
        self._news = False  # the banner says the workspace is open again
        # queued: the dialog opens once the call that failed has said so where it happened
        session.key_changed.connect(self.ask, Qt.ConnectionType.QueuedConnection)
        banner.action_clicked.connect(self.ask_again)
        self.timer = QTimer(self)
        self.timer.setInterval(LOOK_EVERY_MS)
        self.timer.timeout.connect(self.look)
        self.timer.start()

    @property
    def changed(self) -> bool:
        return self.session.services.key_changed

    def look(self) -> None:
        """Ask if the key changed unseen; drop the warning if it was unlocked elsewhere (the
        idle lock's dialog takes the new passphrase too)."""
        if not self.changed:
            if self.declined:
                self.declined = False
                self.banner.clear()
            return
        self.ask()

    def ask(self) -> PassphraseDialog | None:
        """Ask for the new passphrase, once per re-encryption: after a Cancel, only the
        banner's button asks again."""
        if self.dialog is not None or self.declined or not self.changed:
            return self.dialog
        dialog = PassphraseDialog(
            self.session.services.workspace.root,
            self.window,
            changed=True,
            unlock=self.session.services.unlock,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._unlocked)
        dialog.rejected.connect(self._declined)
        self.dialog = dialog
        dialog.open()
        return dialog

    def ask_again(self) -> PassphraseDialog | None:
        self.declined = False
        return self.ask()

    def _unlocked(self) -> None:
        self.dialog = None
        self.declined = False
        self._news = True
        self._say()
        self.unlocked.emit()

    def _declined(self) -> None:
        self.dialog = None
        self.declined = True
        self._news = False
        self._say()

    def _say(self) -> None:
        if self.declined:
            self.banner.say(
                _(
                    "This workspace was re-encrypted by another window or command. Nothing "
                    "can be read or written here until you type its new passphrase."
                ),
                _("Type the passphrase…"),
            )
        elif self._news:
            self.banner.say(
                _(
                    "The workspace is open again with its new passphrase. What you were saving "
                    "when it was re-encrypted was not saved: please do it again."
                ),
                warning=False,
            )

    def retranslate(self) -> None:
        self._news = self._news and self.banner.showing
        self._say()
