"""Starting the desktop application: language, Qt's own translations, the workspace."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from platformdirs import user_data_dir
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from advisor_app import version
from advisor_app.domain.errors import AdvisorError
from advisor_app.i18n import _, current_language, describe, set_language
from advisor_app.services import Services
from advisor_app.services.workspace_lock import is_encrypted
from advisor_app.ui.dialogs.passphrase import PassphraseDialog
from advisor_app.ui.errors import install_excepthook, log_exception
from advisor_app.ui.icon import boussole_icon
from advisor_app.ui.idle_lock import IdleLock
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.qt_translations import install_qt_translations
from advisor_app.ui.session import AppSession

DESKTOP_ID = "org.boussole.Boussole"  # packaging/app_identity.py's APP_ID


def default_workspace() -> Path:
    """The advisor's workspace when none is named: the command line's default
    (`advisor_app.cli.common.default_workspace`), without importing the command line."""
    return Path(user_data_dir("Boussole", appauthor=False)) / "workspace"


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setOrganizationName("Boussole")
    app.setApplicationName("Boussole")
    app.setApplicationVersion(version())
    app.setDesktopFileName(DESKTOP_ID)  # Wayland matches the window to its menu entry by it
    app.setWindowIcon(boussole_icon())  # every window's, the dialogs' included
    return app


def open_window(services: Services) -> MainWindow:
    """The main window over `services`, in the language the workspace asks for."""
    language = services.settings.get("language")
    if language:
        set_language(language)
    install_qt_translations(application(), current_language())
    session = AppSession(services)
    return MainWindow(session)


def open_services(root: Path, parent: QWidget | None) -> Services | None:
    """Open the workspace at `root`, asking for its passphrase first if it is encrypted;
    None when the advisor gave up."""
    if not is_encrypted(root):
        return Services.open(root)
    passphrase = PassphraseDialog.ask(root, parent)
    if passphrase is None:
        return None
    return Services.open(root, passphrase=passphrase)


QUIT_AFTER_START = "BOUSSOLE_QUIT_AFTER_START"


def _quit_once_shown(app: QApplication, window: MainWindow) -> None:
    """`BOUSSOLE_QUIT_AFTER_START=1`: a bundle's start check (packaging/check_bundle.py) opens
    the main window for real, then leaves with exit code 0 if it was shown."""
    shown = window.isVisible()
    print(f"Boussole: main window {'shown' if shown else 'NOT shown'}", flush=True)
    app.exit(0 if shown else 1)


# The reading thread (a long list, a page's data, a slow import) computes in Python: each
# call Qt makes into Python on the interface thread (a paint, an event filter) waits for it
# to let go of the interpreter, by default after 5 ms. A dozen such calls in one turn of
# the event loop would hold the window for 60 ms; 1 ms keeps it well under 50.
SWITCH_INTERVAL_S = 0.001


def keep_none_alive() -> None:
    """PySide6 6.12 returns None from Qt's void methods without the reference Python 3.11
    expects (from 3.12 on, None is immortal and needs none): each call takes one from None's
    count, and the interpreter aborts ("none_dealloc") when it reaches zero, after some tens
    of thousands of calls (drawing a crowded agenda week twice at 10,000 cases). On 3.11,
    give None a count no session can use up, as 3.12 does."""
    if sys.version_info < (3, 12) and sys.implementation.name == "cpython":
        import ctypes

        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40


def keep_out_of_full_collections() -> None:
    """Move what is alive once the window is up (modules, pages, the list of cases) out of
    the garbage collector's reach: a full pass would walk it all and hold the interpreter,
    hence the window, 40 to 90 ms; later passes walk only what came since. Done once: what
    is frozen is still freed by its count, but a cycle frozen there would never be, so what
    the session makes later (a closed case tab) stays collectable."""
    gc.freeze()


def run_application(workspace: Path | None) -> int:
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    keep_none_alive()
    app = application()
    install_qt_translations(app, current_language())  # the passphrase's buttons too
    install_excepthook()
    root = workspace or default_workspace()
    try:
        services = open_services(root, None)
        if services is None:
            return 1
    except AdvisorError as error:
        QMessageBox.critical(None, _("Boussole"), describe(error))
        return 1
    except Exception as error:  # a folder we cannot use: say so, keep the traceback
        log_exception(error)
        QMessageBox.critical(
            None,
            _("Boussole"),
            _("The workspace {folder} cannot be opened.").format(folder=root),
        )
        return 1
    windows: list[MainWindow] = []

    def show(services: Services) -> None:
        window = open_window(services)
        window.workspace_chosen.connect(switch)
        windows.append(window)
        install_excepthook(window.report_error)  # said in the window, in its words
        window.show()
        window.idle_lock = IdleLock(
            window.session, window, int(services.settings.get("idle_lock_minutes") or 0)
        )
        window.session.tasks.run(services.backups.daily_backup_if_due)

    def switch(folder: Path) -> None:
        old = windows.pop()
        try:
            fresh = open_services(folder, old)
            if fresh is None:
                windows.append(old)
                return
        except AdvisorError as error:
            windows.append(old)
            QMessageBox.warning(old, _("Boussole"), describe(error))
            return
        old.close()
        old.session.tasks.wait()
        old.session.services.close()
        old.deleteLater()
        show(fresh)

    show(services)
    keep_out_of_full_collections()
    if os.environ.get(QUIT_AFTER_START):
        QTimer.singleShot(0, lambda: _quit_once_shown(app, windows[-1]))
    code = app.exec()
    for window in windows:
        window.session.tasks.wait()
        window.session.services.close()
    return int(code)
