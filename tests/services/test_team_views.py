"""Team views: Claire sees her own cases, the cases the team shares, or both, in the list,
the search and the agenda; her activity report covers her own cases or the team's too, each
person counted once."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from advisor_app.domain.activity import Period
from advisor_app.domain.enums import CaseScope
from advisor_app.services import CaseFilter, Services
from advisor_app.services.activity import ActivityService, same_people
from advisor_app.storage.catalog_models import INDEX_VERSION
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock
from tests.services.team_cases import COLLEAGUE, ME, TeamStory, claire_and_bruno, hand_over

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def story(services: Services) -> TeamStory:
    return claire_and_bruno(services)


def _names(services: Services, scope: CaseScope, text: str = "") -> list[str]:
    rows = services.search.cases(CaseFilter(text=text, scope=scope))
    return [f"{row.display_name} ({row.advisor})" for row in rows]


def test_a_workspace_without_a_team_shares_nothing(services: Services) -> None:
    services.settings.set("advisor_name", ME)
    assert not services.search.has_shared_cases()
    assert services.search.cases(CaseFilter(scope=CaseScope.TEAM)) == []


def test_the_list_shows_my_cases_the_teams_or_both(services: Services, story: TeamStory) -> None:
    assert services.search.has_shared_cases()
    assert _names(services, CaseScope.MINE) == [
        f"Inès Benali ({ME})",
        f"Marc Olivier ({ME})",
    ]
    assert _names(services, CaseScope.TEAM) == [
        f"Ines BENALI ({COLLEAGUE})",
        f"Sofia Lopes ({COLLEAGUE})",
        f"Marc Olivier ({ME})",
    ]
    assert len(_names(services, CaseScope.ALL)) == 4
    assert services.search.count(CaseFilter(scope=CaseScope.TEAM)) == 3


def test_the_list_says_which_cases_are_shared_and_whose(
    services: Services, story: TeamStory
) -> None:
    rows = {row.case_id: row for row in services.search.cases()}
    assert not rows[story.ines].shared
    assert rows[story.marc].shared and rows[story.marc].advisor == ME
    assert rows[story.sofia].shared and rows[story.sofia].advisor == COLLEAGUE


def test_the_search_keeps_to_the_scope(services: Services, story: TeamStory) -> None:
    assert _names(services, CaseScope.MINE, "benali") == [f"Inès Benali ({ME})"]
    assert _names(services, CaseScope.TEAM, "benali") == [f"Ines BENALI ({COLLEAGUE})"]
    matches, found = services.search.best_matches(
        CaseFilter(text="benali", scope=CaseScope.ALL), 300
    )
    assert found == 2 and {row.case_id for row in matches} == {story.ines, story.ines_with_bruno}


def test_a_case_handed_over_leaves_my_cases(services: Services, story: TeamStory) -> None:
    hand_over(services, story.marc, COLLEAGUE)
    assert _names(services, CaseScope.MINE) == [f"Inès Benali ({ME})"]
    hand_over(services, story.sofia, ME)
    assert _names(services, CaseScope.MINE) == [f"Inès Benali ({ME})", f"Sofia Lopes ({ME})"]


def test_the_agenda_keeps_to_the_scope(services: Services, story: TeamStory) -> None:
    agenda = services.agenda
    week = (date(2026, 11, 23), date(2026, 11, 29))
    mine = agenda.between(*week, CaseScope.MINE)
    assert [(item.holder, item.advisor) for item in mine] == [
        ("Inès Benali", ME),
        ("Marc Olivier", ME),
    ]
    team = agenda.between(*week, CaseScope.TEAM)
    assert [item.holder for item in team] == ["Marc Olivier", "Sofia Lopes", "Ines BENALI"]
    assert len(agenda.between(*week)) == 4
    assert agenda.count_between(*week, CaseScope.MINE) == 2
    assert len(agenda.week_of(date(2026, 11, 25), CaseScope.TEAM)) == 3


def test_my_activity_report_covers_my_cases_by_default(
    services: Services, story: TeamStory
) -> None:
    figures = ActivityService(services.context).figures(YEAR, minimum_group=1)
    assert figures.people_received == 2
    assert figures.appointments_done == 2
    assert figures.minutes_done == 150
    assert figures.new_cases == 2


def test_the_teams_report_counts_each_person_once(services: Services, story: TeamStory) -> None:
    """Inès, met by Claire in March and by Bruno in June, is one person received: one woman,
    one person of Alès, described by her latest case (Bruno's)."""
    figures = ActivityService(services.context).figures(YEAR, minimum_group=1, scope=CaseScope.ALL)
    assert figures.people_received == 3
    assert figures.appointments_done == 4  # both of Inès' appointments
    assert figures.minutes_done == 60 + 90 + 45 + 30
    assert figures.new_cases == 4
    assert figures.public.women == 2
    assert figures.public.under_26 == 1
    communes = {line.key: line.count for line in figures.by_commune.lines}
    assert communes == {"Alès": 1, "Nîmes": 1, "Uzès": 1}
    team_only = ActivityService(services.context).figures(
        YEAR, minimum_group=1, scope=CaseScope.TEAM
    )
    assert team_only.people_received == 3
    assert team_only.appointments_done == 3


def test_a_reopened_case_is_still_one_person() -> None:
    """The people counted: cases linked as previous and next, or the same names with the same
    birth date or e-mail; two people of one e-mail address stay two."""
    people = same_people(
        [
            ("a", "Inès", "Benali", date(2003, 5, 1), "", None),
            ("b", "INES", "benali", date(2003, 5, 1), "", None),
            ("c", "Marc", "Olivier", None, "famille@example.org", None),
            ("d", "Léa", "Olivier", None, "famille@example.org", None),
            ("e", "Marc", "Olivier", None, "Famille@Example.org", None),
            ("f", "Marc", "Dupont", None, "", "c"),
        ]
    )
    assert people["a"] == people["b"]
    assert people["c"] == people["e"] == people["f"]
    assert people["d"] != people["c"]


def test_the_shared_flag_survives_an_index_rebuild(services: Services, story: TeamStory) -> None:
    before = _names(services, CaseScope.TEAM)
    services.maintenance.rebuild_index_now()
    assert _names(services, CaseScope.TEAM) == before


def test_an_index_of_version_6_learns_which_cases_are_shared(
    services: Services, story: TeamStory
) -> None:
    """An index from before team mode gets the column in place; every case file is read again
    for it."""
    root = services.workspace.root
    team = _names(services, CaseScope.TEAM)
    services.close()
    index = sqlite3.connect(root / "workspace.sqlite")
    index.executescript(
        "DROP INDEX ix_case_index_shared; ALTER TABLE case_index DROP COLUMN shared; "
        "PRAGMA user_version = 6;"
    )
    index.close()

    reopened = Services(Workspace.open(root), clock=fixed_clock)
    try:
        assert _names(reopened, CaseScope.TEAM) == team
        assert len(_names(reopened, CaseScope.ALL)) == 4
    finally:
        reopened.close()
    index = sqlite3.connect(root / "workspace.sqlite")
    try:
        assert index.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION == 7
        names = {row[0] for row in index.execute("SELECT name FROM sqlite_master")}
        assert "ix_case_index_shared" in names
    finally:
        index.close()
