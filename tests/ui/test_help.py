"""Help: F1 opens the user guide in the advisor's language; About says the version and where
the data and the log are kept; the Help menu follows a live language switch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from advisor_app import logs, version
from advisor_app.ui import icon
from advisor_app.ui.dialogs.about import AboutDialog
from advisor_app.ui.dialogs.guide import GuideWindow, guide_text
from advisor_app.ui.main_window import MainWindow


def choose_language(window: MainWindow, code: str) -> None:
    """As the advisor does it: the Language choice of the Settings page."""
    language = window.settings_page.language
    language.combo.setCurrentIndex(language.combo.findData(code))
    assert language.commit()


def press_f1(window: MainWindow, qtbot: QtBot) -> GuideWindow:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.sidebar, Qt.Key.Key_F1)
    assert window.guide is not None
    qtbot.waitUntil(window.guide.isVisible)
    return window.guide


class FileManager(QObject):
    """Stands in for the system's file manager: remembers the folders it was asked to show."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[Path] = []

    @Slot(QUrl)
    def show_folder(self, url: QUrl) -> None:
        self.opened.append(Path(url.toLocalFile()))


@pytest.fixture
def file_manager() -> Iterator[FileManager]:
    manager = FileManager()
    QDesktopServices.setUrlHandler("file", manager, "show_folder")  # type: ignore[arg-type]
    yield manager
    QDesktopServices.unsetUrlHandler("file")


def test_f1_opens_the_guide_in_french(window: MainWindow, qtbot: QtBot) -> None:
    choose_language(window, "fr")
    guide = press_f1(window, qtbot)
    text = guide.browser.toPlainText()
    assert guide.windowTitle() == "Guide d'utilisation de Boussole"
    assert "Premiers pas" in text
    assert "Découvrir avec des données de démonstration" in text
    # the guide names the pages as the sidebar does, so that the advisor finds them
    for label in window.sidebar_labels():
        assert label in text
    assert not guide.isModal()  # the advisor reads it while working in the window
    qtbot.keyClick(guide.browser, Qt.Key.Key_Escape)
    assert not guide.isVisible()


def test_the_english_guide_names_the_pages_too(window: MainWindow) -> None:
    guide = window.show_guide()
    text = guide.browser.toPlainText()
    assert "First steps" in text
    for label in window.sidebar_labels():
        assert label in text
    assert guide_text("fr") != guide_text("en")


def test_the_about_box_shows_the_version_the_workspace_and_the_log_folder(
    window: MainWindow, qtbot: QtBot, file_manager: FileManager
) -> None:
    window.about_action.trigger()
    about = window.about
    assert isinstance(about, AboutDialog) and about.isVisible()
    assert version() in about.version.text()
    assert "GNU Affero General Public License" in about.licence.text()
    assert "licenses" in about.licence.text()
    workspace = window.session.services.workspace.root
    assert about.data.path.text() == str(workspace)
    assert about.log.path.text() == str(logs.log_path().parent)

    qtbot.mouseClick(about.data.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(about.log.open_button, Qt.MouseButton.LeftButton)
    assert file_manager.opened == [workspace, logs.log_path().parent]
    assert not about.error.isVisible()

    qtbot.mouseClick(about.close_button, Qt.MouseButton.LeftButton)
    assert not about.isVisible()


def test_the_help_menu_follows_a_live_language_switch(window: MainWindow) -> None:
    def help_menu() -> list[str]:
        actions = window.help_menu.actions()
        return [window.help_menu.title()] + [a.text() for a in actions if not a.isSeparator()]

    assert help_menu() == ["&Help", "User guide", "About Boussole"]
    assert window.guide_action.shortcut().toString() == "F1"
    guide = window.show_guide()
    assert "First steps" in guide.browser.toPlainText()

    choose_language(window, "fr")
    assert help_menu() == ["&Aide", "Guide d'utilisation", "À propos de Boussole"]
    assert "Premiers pas" in guide.browser.toPlainText()  # the open guide switched too

    choose_language(window, "en")
    assert help_menu() == ["&Help", "User guide", "About Boussole"]
    assert "First steps" in guide.browser.toPlainText()


def test_the_about_box_is_in_french_after_the_switch(window: MainWindow) -> None:
    choose_language(window, "fr")
    about = window.show_about()
    assert about.windowTitle() == "À propos de Boussole"
    assert about.close_button.text() == "Fermer"
    assert about.data.caption.text() == "Répertoire des données"


def test_the_about_box_does_without_the_icon_file(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(icon, "ICON", ("icons", "not-drawn-yet.svg"))
    assert icon.boussole_icon().isNull()
    about = window.show_about()
    assert about.isVisible() and about.icon.isHidden()
