"""Team views in the window: once the workspace holds a case shared with the team, the list
and the agenda ask whose cases to show (all, mine, the team's), the list names each case's
référent unless it shows only Claire's own, and the activity report covers her cases or the
team's too. Nothing of it shows in a workspace without a team."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import CaseScope
from advisor_app.i18n import set_language
from advisor_app.services import Changes, NewCase, Services
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.pages.agenda import HOLDER_COLUMN
from advisor_app.ui.pages.agenda_week import describe_appointment
from advisor_app.ui.pages.holders import HoldersPage
from advisor_app.ui.pages.holders_model import ADVISOR_COLUMN
from advisor_app.ui.session import AppSession
from tests.services.team_cases import COLLEAGUE, ME, TeamStory, claire_and_bruno, share
from tests.ui.conftest import shown_list
from tests.ui.layout_checks import clipped_headers, layout_problems, settle


@pytest.fixture
def story(services: Services) -> TeamStory:
    return claire_and_bruno(services)


@pytest.fixture
def team_window(services: Services, story: TeamStory, qtbot: QtBot) -> Iterator[MainWindow]:
    """Claire's window over her cases and those Bruno shares, in half a screen."""
    session = AppSession(services)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(960, 600)
    window.show()
    yield window
    session.tasks.wait()


def choose(qtbot: QtBot, combo: QComboBox, scope: CaseScope) -> None:
    """Pick `scope` with the keyboard, as the advisor does without opening the list."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _step in range(combo.count()):
        if combo.currentData() == scope:
            break
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == scope
    QCoreApplication.processEvents()


def _holders(page: HoldersPage) -> list[str]:
    return [page.model.row_at(row).display_name for row in range(page.model.rowCount())]


def _advisor_cells(page: HoldersPage) -> set[str]:
    model = page.model
    return {str(model.data(model.index(row, ADVISOR_COLUMN))) for row in range(model.rowCount())}


def test_without_a_team_the_list_asks_nothing(window: MainWindow, qtbot: QtBot) -> None:
    window.session.services.cases.create(NewCase("Léa", "Moreau"))
    holders = shown_list(window, qtbot)
    holders.refresh()
    assert not holders.scope.isVisible()
    assert holders.model.columnCount() == ADVISOR_COLUMN  # no référent column
    window.show_page("agenda")
    assert not window.agenda.scope.isVisible()


def test_the_list_shows_my_cases_or_the_teams(team_window: MainWindow, qtbot: QtBot) -> None:
    holders = shown_list(team_window, qtbot)
    assert holders.scope.isVisible()
    assert holders.scope.currentData() == CaseScope.ALL  # nothing hidden at first
    assert len(_holders(holders)) == 4
    assert _advisor_cells(holders) == {ME, COLLEAGUE}

    choose(qtbot, holders.scope, CaseScope.MINE)
    qtbot.waitUntil(lambda: not holders.loading)
    assert sorted(_holders(holders)) == ["Inès Benali", "Marc Olivier"]
    assert holders.model.columnCount() == ADVISOR_COLUMN  # all Claire's: no référent

    choose(qtbot, holders.scope, CaseScope.TEAM)
    qtbot.waitUntil(lambda: not holders.loading)
    assert sorted(_holders(holders)) == ["Ines BENALI", "Marc Olivier", "Sofia Lopes"]
    assert _advisor_cells(holders) == {ME, COLLEAGUE}
    header = holders.table.horizontalHeader()
    assert not header.isSectionHidden(ADVISOR_COLUMN)

    qtbot.keyClicks(holders.search, "benali")
    qtbot.waitUntil(lambda: len(_holders(holders)) == 1)
    assert _holders(holders) == ["Ines BENALI"]


def test_the_choice_is_kept_while_the_window_is_open(
    team_window: MainWindow, story: TeamStory, qtbot: QtBot
) -> None:
    holders = shown_list(team_window, qtbot)
    choose(qtbot, holders.scope, CaseScope.MINE)
    team_window.show_page("agenda")
    services = team_window.session.services
    share(services, story.ines, ME)  # Claire shares Inès too: a change of the list
    team_window.session.announce(Changes(case_list=True))
    team_window.show_page("holders")
    qtbot.waitUntil(lambda: not holders.loading)
    assert holders.scope.currentData() == CaseScope.MINE
    assert sorted(_holders(holders)) == ["Inès Benali", "Marc Olivier"]


def test_the_agenda_shows_my_appointments_or_the_teams(
    team_window: MainWindow, qtbot: QtBot
) -> None:
    team_window.show_page("agenda")
    agenda = team_window.agenda
    qtbot.waitUntil(lambda: not agenda.loading)
    assert agenda.scope.isVisible()
    assert len(agenda.items) == 4  # the week of 23 November: two of Claire's, two of Bruno's
    choose(qtbot, agenda.scope, CaseScope.MINE)
    qtbot.waitUntil(lambda: not agenda.loading)
    assert [item.holder for item in agenda.items] == ["Inès Benali", "Marc Olivier"]
    choose(qtbot, agenda.scope, CaseScope.TEAM)
    qtbot.waitUntil(lambda: not agenda.loading)
    assert {item.advisor for item in agenda.items} == {ME, COLLEAGUE}
    assert len(agenda.items) == 3
    bruno = next(item for item in agenda.items if item.advisor == COLLEAGUE)
    assert f"Lead advisor: {COLLEAGUE}" in describe_appointment(bruno, agenda.grid.referents)
    agenda.as_list.setChecked(True)  # the list of any range keeps to the choice
    assert agenda.table.rowCount() == 3
    holders = {agenda.table.item(row, HOLDER_COLUMN).toolTip() for row in range(3)}
    assert holders == {f"Lead advisor: {ME}", f"Lead advisor: {COLLEAGUE}"}


def test_the_activity_report_covers_my_cases_or_the_teams_too(
    team_window: MainWindow, qtbot: QtBot
) -> None:
    team_window.show_page("reports")
    page = team_window.reports
    qtbot.waitUntil(page.case_choices_loaded)
    page.kind.setCurrentIndex(page.kind.findData("activity"))
    assert page.scope.isVisible()
    assert page.request().scope is CaseScope.MINE
    choose(qtbot, page.scope, CaseScope.ALL)
    assert page.request().scope is CaseScope.ALL
    page.kind.setCurrentIndex(page.kind.findData("progress"))
    assert not page.scope.isVisible()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_team_views_fit_half_a_screen(
    services: Services, story: TeamStory, qtbot: QtBot, language: str
) -> None:
    set_language(language)
    services.cases.create(
        NewCase(
            "Marie-Bénédicte",
            "de La Tour-d'Auvergne-Lauraguais",
            project_title="Épicerie solidaire et café associatif itinérant en milieu rural",
            commune="Saint-Étienne-de-Saint-Geoirs",
        )
    )
    session = AppSession(services)
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.resize(960, 600)
    window.show()
    try:
        holders = shown_list(window, qtbot)
        choose(qtbot, holders.scope, CaseScope.TEAM)
        qtbot.waitUntil(lambda: not holders.loading)
        settle(window)
        assert layout_problems(holders) == []
        assert clipped_headers(holders.table.horizontalHeader()) == []
        assert window.width() == 960
        window.show_page("agenda")
        qtbot.waitUntil(lambda: not window.agenda.loading)
        settle(window)
        assert layout_problems(window.agenda) == []
        assert window.width() == 960
        window.show_page("reports")
        qtbot.waitUntil(window.reports.case_choices_loaded)
        window.reports.kind.setCurrentIndex(window.reports.kind.findData("activity"))
        settle(window)
        assert layout_problems(window.reports) == []
    finally:
        session.tasks.wait()
        set_language("en")
