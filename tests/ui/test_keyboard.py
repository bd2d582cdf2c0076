"""With the keyboard alone: every page reached (Ctrl+1 to Ctrl+9, or the side panel and its
arrows), every control reached with Tab and never a trap, every control named for a screen
reader; a case's tabs walked with Ctrl+Tab and Ctrl+Page Down."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from advisor_app.i18n import set_language
from advisor_app.services import CaseFilter, Services
from advisor_app.ui.case.case_view import PAGES, CaseView
from advisor_app.ui.main_window import PAGE_NAMES, MainWindow
from advisor_app.ui.session import AppSession
from tests.ui.conftest import opened
from tests.ui.layout_checks import accessible_name, focusable, settle

CTRL = Qt.KeyboardModifier.ControlModifier
MOST_PRESSES = 400


@pytest.fixture(params=("fr", "en"))
def keyboard_window(
    demo_services: Services, request: pytest.FixtureRequest, qtbot: QtBot
) -> MainWindow:
    set_language(str(request.param))
    window = MainWindow(AppSession(demo_services))
    qtbot.addWidget(window)
    window.resize(960, 600)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "the keyboard went nowhere"
    return widget


def tab_round(qtbot: QtBot) -> list[QWidget]:
    """Press Tab from the control that has the keyboard until it comes back to it."""
    start = focused()
    reached = [start]
    for _press in range(MOST_PRESSES):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        now = focused()
        assert now is not reached[-1], f"Tab is kept in {describe(now)}"
        if now is start:
            return reached
        assert now not in reached, f"Tab goes round without coming back, at {describe(now)}"
        reached.append(now)
    raise AssertionError(f"Tab never came back after {MOST_PRESSES} presses")


def describe(widget: QWidget) -> str:
    return (
        f"{type(widget).__name__} “{accessible_name(widget)}” in {type(widget.parent()).__name__}"
    )


def walk_page(window: MainWindow, qtbot: QtBot, where: str) -> list[str]:
    """What the keyboard cannot do on the page shown: controls out of reach or unnamed."""
    window.sidebar.setFocus()
    settle(window)
    reached = tab_round(qtbot)
    problems = [
        f"[{where}] {describe(w)} cannot be reached" for w in focusable(window) if w not in reached
    ]
    problems += [f"[{where}] {describe(w)} has no name" for w in reached if not said(w)]
    return problems


def said(widget: QWidget) -> bool:
    """Whether a screen reader has words to say for it (not "◀", not nothing)."""
    return any(character.isalpha() for character in accessible_name(widget))


def a_case(services: Services) -> str:
    rows = [row for row in services.search.cases(CaseFilter(limit=40)) if not row.damaged]
    return max(rows, key=lambda row: len(services.cases.get(row.case_id).appointments)).case_id


def test_each_page_has_its_shortcut(keyboard_window: MainWindow, qtbot: QtBot) -> None:
    window = keyboard_window
    opened(window.open_case(a_case(window.session.services)))
    for number, (key, _title) in enumerate(PAGE_NAMES, start=1):
        qtbot.keyClick(focused(), Qt.Key(Qt.Key.Key_0 + number), CTRL)
        assert window.current_page() == key


def test_the_side_panel_is_walked_with_the_arrows(
    keyboard_window: MainWindow, qtbot: QtBot
) -> None:
    window = keyboard_window
    window.show_page("dashboard")
    window.sidebar.setFocus()
    seen = [window.current_page()]
    for _row in range(len(PAGE_NAMES)):
        qtbot.keyClick(window.sidebar, Qt.Key.Key_Down)
        if window.current_page() != seen[-1]:
            seen.append(window.current_page())
    shown_pages = [key for key, _title in PAGE_NAMES if key != "cases"]  # no case open
    assert seen == shown_pages
    assert window.stack.currentWidget() is window.pages["settings"]


def test_every_control_of_every_page_is_reached_with_tab_and_named(
    keyboard_window: MainWindow, qtbot: QtBot
) -> None:
    window = keyboard_window
    problems: list[str] = []
    for key, _title in PAGE_NAMES:
        if key == "cases":
            continue
        window.show_page(key)
        problems += walk_page(window, qtbot, key)
    assert not problems, "\n".join(problems)


def test_a_case_is_walked_tab_by_tab_with_the_keyboard(
    keyboard_window: MainWindow, qtbot: QtBot
) -> None:
    window = keyboard_window
    view = opened(window.open_case(a_case(window.session.services)))
    assert isinstance(view, CaseView)
    problems: list[str] = []
    titles = [title for title, _page in PAGES]
    for step, title in enumerate(titles):
        assert view.tabs.currentWidget() is view.pages[title]
        settle(window)
        problems += walk_page(window, qtbot, title)
        # the keyboard is inside the case: Ctrl+Tab, or Ctrl+Page Down, to the next tab
        next(focusable(view.tabs.currentWidget()), view.tabs.tabBar()).setFocus()
        key = Qt.Key.Key_Tab if step % 2 == 0 else Qt.Key.Key_PageDown
        if step + 1 < len(titles):
            qtbot.keyClick(focused(), key, CTRL)
    assert not problems, "\n".join(problems)
    qtbot.keyClick(focused(), Qt.Key.Key_PageUp, CTRL)
    assert view.tabs.currentWidget() is view.pages[titles[-2]]
