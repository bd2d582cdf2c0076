"""Half a screen is enough: in French and in English, the window fits 960 × 600 and never
resizes itself, whatever page, tab or view is shown; and with every message 30 % longer
than today (as Vorta's TRANS_SCALE does), no page, tab or dialog cuts a text short or
scrolls sideways, and every control of a dialog has a name for a screen reader.

The width budget is checked with the words of today: 30 % longer, the side panel alone
(as wide as its longest label in either language) takes a third of half a screen, and the
window grows to what its pages need; the text checks then run at that size."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import ConsentScope
from advisor_app.i18n import set_language
from advisor_app.services import CaseFilter, Services
from advisor_app.ui.case.case_view import PAGES, CaseView
from advisor_app.ui.dialogs.about import AboutDialog
from advisor_app.ui.dialogs.appointment import AppointmentDialog
from advisor_app.ui.dialogs.bin import BinDialog
from advisor_app.ui.dialogs.close_case import CloseCaseDialog
from advisor_app.ui.dialogs.consent import ConsentDialog
from advisor_app.ui.dialogs.export import ExportDialog
from advisor_app.ui.dialogs.funding import FundingDialog
from advisor_app.ui.dialogs.guide import GuideWindow
from advisor_app.ui.dialogs.new_case import NewCaseDialog
from advisor_app.ui.dialogs.partner import PartnerDialog
from advisor_app.ui.dialogs.passphrase import NewPassphraseDialog, PassphraseDialog
from advisor_app.ui.main_window import PAGE_NAMES, MainWindow
from advisor_app.ui.session import AppSession
from tests.ui.conftest import opened
from tests.ui.layout_checks import (
    clipped_tabs,
    layout_problems,
    settle,
    stretched_translations,
    unnamed_controls,
)

WIDTH, HEIGHT = 960, 600
LANGUAGES = ("fr", "en")


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    set_language(request.param)
    return str(request.param)


@pytest.fixture
def longer_words(language: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The language, with every message 30 % longer."""
    with stretched_translations(monkeypatch):
        yield language


def _half_screen(services: Services, qtbot: QtBot) -> MainWindow:
    window = MainWindow(AppSession(services))
    qtbot.addWidget(window)
    window.resize(WIDTH, HEIGHT)
    window.show()
    settle(window)
    return window


@pytest.fixture
def half_screen(demo_services: Services, longer_words: str, qtbot: QtBot) -> MainWindow:
    """The window over 40 demo cases, in half of a 1,920-pixel screen, words 30 % longer."""
    return _half_screen(demo_services, qtbot)


@pytest.fixture
def as_translated(demo_services: Services, language: str, qtbot: QtBot) -> MainWindow:
    """The same with the words as translated today."""
    return _half_screen(demo_services, qtbot)


def rich_case(services: Services) -> str:
    """A case with appointments, a financing plan and a history to show."""
    rows = services.search.cases(CaseFilter(limit=40))
    return max(
        (row for row in rows if not row.damaged),
        key=lambda row: len(services.cases.get(row.case_id).appointments),
    ).case_id


def test_the_window_fits_half_a_screen_and_never_widens(as_translated: MainWindow) -> None:
    window = as_translated
    widest = window.minimumSizeHint().width()
    assert widest <= WIDTH, (
        f"the window cannot be narrower than {widest} px: "
        + ", ".join(f"{key} {page.minimumSizeHint().width()}" for key, page in window.pages.items())
        + f", sidebar {window.sidebar.width()}"
    )
    opened(window.open_case(rich_case(window.session.services)))
    for key, _title in PAGE_NAMES:
        window.show_page(key)
        settle(window)
        assert window.size().toTuple() == (WIDTH, HEIGHT), f"showing {key} resized the window"
    window.show_page("agenda")
    window.agenda.as_list.click()  # the list of appointments, as wide as the week
    settle(window)
    assert window.size().toTuple() == (WIDTH, HEIGHT), "the agenda's list resized the window"
    assert not layout_problems(window)
    window.agenda.as_list.click()
    window.show_page("cases")
    view = window.current_case()
    assert isinstance(view, CaseView)
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        settle(window)
        title = view.tabs.tabText(index)
        assert window.size().toTuple() == (WIDTH, HEIGHT), f"the tab {title} resized the window"
        # the tabs of a case elide in a narrow window, but not in the words of today
        assert not clipped_tabs(view.tabs.tabBar(), elided=False)
    assert window.minimumSizeHint().width() <= WIDTH


def test_every_page_fits_without_cutting_text(half_screen: MainWindow) -> None:
    window = half_screen
    problems: list[str] = []
    for key, _title in PAGE_NAMES:
        if key == "cases":
            continue
        window.show_page(key)
        settle(window)
        problems += [f"[{key}] {p}" for p in layout_problems(window)]
    assert not problems, "\n".join(problems)


def test_every_tab_of_a_case_fits_without_cutting_text(half_screen: MainWindow) -> None:
    window = half_screen
    view = opened(window.open_case(rich_case(window.session.services)))
    problems: list[str] = []
    scrolling = (window.case_tabs.tabBar(),)  # as many open cases as the advisor wants
    for title, _page in PAGES:
        view.show_page(title)
        settle(window)
        problems += [f"[{title}] {p}" for p in layout_problems(window, scrolling_tabs=scrolling)]
    assert not problems, "\n".join(problems)


def _dialogs(window: MainWindow) -> Iterator[tuple[str, Callable[[], QWidget]]]:
    session = window.session
    services = session.services
    case_id = rich_case(services)
    holder = services.cases.get(case_id).person.display_name
    yield "new case", lambda: NewCaseDialog(session, window)
    yield "partner", lambda: PartnerDialog(session, window)
    yield "export", lambda: ExportDialog(session, case_id, window)
    yield "consent", lambda: ConsentDialog(session, case_id, ConsentScope.SHARING, window)
    yield "appointment", lambda: AppointmentDialog(session, case_id, datetime(2026, 12, 1, 9))
    yield "funding", lambda: FundingDialog(session, case_id, None, window)
    yield "close case", lambda: CloseCaseDialog(session, case_id, holder, window)
    yield "bin", lambda: BinDialog(session, window)
    yield "about", lambda: AboutDialog(session, window)
    yield "guide", lambda: GuideWindow(window)
    yield "passphrase", lambda: PassphraseDialog(services.workspace.root, window)
    yield "new passphrase", lambda: NewPassphraseDialog(window)


def test_every_dialog_fits_without_cutting_text(half_screen: MainWindow, qtbot: QtBot) -> None:
    problems: list[str] = []
    for name, make in _dialogs(half_screen):
        dialog = make()
        qtbot.addWidget(dialog)
        if isinstance(dialog, GuideWindow):
            dialog.show_guide()
        else:
            dialog.show()
        settle(half_screen)
        smallest = dialog.minimumSizeHint()
        if smallest.width() > WIDTH or smallest.height() > HEIGHT:
            problems.append(f"[{name}] needs at least {smallest.width()} × {smallest.height()}")
        problems += [f"[{name}] {p}" for p in layout_problems(dialog)]
        problems += [f"[{name}] {control} has no name" for control in unnamed_controls(dialog)]
        if isinstance(dialog, QDialog):
            dialog.reject()
        dialog.close()
    assert not problems, "\n".join(problems)


def test_the_history_gives_its_width_to_the_detail(as_translated: MainWindow) -> None:
    window = as_translated
    view = opened(window.open_case(rich_case(window.session.services)))
    view.show_page("History")
    settle(window)
    table = view.pages["History"].table  # type: ignore[attr-defined]
    header = table.horizontalHeader()
    when, what, detail, advisor = (header.sectionSize(c) for c in range(4))
    assert detail > max(when, what, advisor)
    advisor_text = max(
        (table.item(row, 3).text() for row in range(table.rowCount())), key=len, default=""
    )
    assert advisor < table.fontMetrics().horizontalAdvance(advisor_text + "Conseiller") + 40
    assert not table.horizontalScrollBar().isVisible()


def test_the_welcome_page_fits_without_cutting_text(
    services: Services, longer_words: str, qtbot: QtBot
) -> None:
    window = _half_screen(services, qtbot)
    assert window.stack.currentWidget() is window.welcome
    problems = layout_problems(window)
    assert not problems, "\n".join(problems)
