"""The menus a desktop application has (File, Edit, View, Help), each action with the
platform's standard shortcut."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from advisor_app.ui.main_window import MainWindow


def test_the_four_menus_are_there_in_order(window: MainWindow) -> None:
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Help"]


def test_the_edit_menu_undoes_redoes_finds_and_opens_the_preferences(
    window: MainWindow, qtbot: QtBot
) -> None:
    actions = [a for a in window.edit_menu.actions() if not a.isSeparator()]
    assert actions[:2] == [window.undo_action, window.redo_action]
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert window.redo_action.shortcuts() == QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    assert window.search_action in actions
    assert window.search_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert (window.undo_action.text(), window.undo_action.isEnabled()) == ("Undo", False)

    window.preferences_action.trigger()
    assert window.current_page() == "settings"
    assert not window.preferences_action.shortcut().isEmpty()


def test_the_file_menu_keeps_the_standard_keys(window: MainWindow) -> None:
    keys = {
        window.new_case_action: QKeySequence.StandardKey.New,
        window.print_case_action: QKeySequence.StandardKey.Print,
        window.close_tab_action: QKeySequence.StandardKey.Close,
        window.quit_action: QKeySequence.StandardKey.Quit,
    }
    for action, key in keys.items():
        assert action in window.file_menu.actions()
        assert action.shortcut() == QKeySequence(key)


def test_the_view_menu_goes_to_each_page(window: MainWindow) -> None:
    assert window.go_actions[2].shortcut() == QKeySequence("Ctrl+3")
    window.go_actions[2].trigger()
    assert window.current_page() == "agenda"
