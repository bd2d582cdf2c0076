"""Finding anyone in a second, on a realistic demo workspace."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from advisor_app.services import CaseFilter, NewCase, Services
from advisor_app.services.demo import generate_demo
from advisor_app.storage.casefile import APPLICATION_ID
from advisor_app.storage.sqlite_engine import raw_connect
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock


def test_a_project_is_found_by_a_word_of_its_description(demo_services: Services) -> None:
    found = demo_services.search.cases(CaseFilter(text="levain"))
    assert found
    for summary in found:
        assert "levain" in demo_services.cases.get(summary.case_id).project.description


def test_search_ignores_accents_and_matches_word_starts(demo_services: Services) -> None:
    commune = next(r.commune for r in demo_services.search.cases() if "é" in r.commune)
    plain_commune = unicodedata.normalize("NFKD", commune).encode("ascii", "ignore").decode()
    accented = {s.case_id for s in demo_services.search.cases(CaseFilter(text=commune))}
    plain = {s.case_id for s in demo_services.search.cases(CaseFilter(text=plain_commune.lower()))}
    assert accented and accented == plain
    assert demo_services.search.cases(CaseFilter(text="boulan")) == demo_services.search.cases(
        CaseFilter(text="boulangerie")
    )


def test_a_place_with_an_elided_article_is_found_whole_or_by_its_letter(
    demo_services: Services,
) -> None:
    case_id, _duplicates, _changes = demo_services.cases.create(
        NewCase(first_name="Lison", last_name="Abadie", commune="Bénévent-l'Abbaye")
    )
    whole = demo_services.search.cases(CaseFilter(text="Bénévent-l'Abbaye"))
    assert case_id in {s.case_id for s in whole}
    assert all("Bénévent" in s.commune or "Abbaye" in s.commune for s in whole)
    # the l' alone narrows nothing beside "Abbaye"; typed alone, it still searches
    assert case_id in {s.case_id for s in demo_services.search.cases(CaseFilter(text="l"))}


def test_search_with_nothing_matching_is_empty(demo_services: Services) -> None:
    assert demo_services.search.cases(CaseFilter(text="zzzqqq")) == []
    assert demo_services.search.cases(CaseFilter(text='"*)(')) == []


def test_the_demo_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    def names(folder: str) -> list[tuple[str, str, str]]:
        services = Services(Workspace.open(tmp_path / folder), clock=fixed_clock)
        for _step in generate_demo(services, 12, seed=3):
            pass
        rows = sorted((s.last_name, s.first_name, s.project_title) for s in services.search.cases())
        services.close()
        return rows

    assert names("a") == names("b")


def test_the_demo_is_varied_and_realistic(demo_services: Services) -> None:
    rows = demo_services.search.cases()
    assert len(rows) == 40
    assert any(r.status.value == "closed" for r in rows)
    assert len({r.project_title for r in rows}) >= 8
    assert any(any(c in r.last_name + r.first_name for c in "éèëïôç-") for r in rows)
    case = demo_services.cases.get(rows[0].case_id)
    assert case.appointments and case.milestones and case.consents
    for path in demo_services.workspace.cases_dir.glob("*.case"):
        connection = raw_connect(path, key=None)
        assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        connection.close()


def test_the_dashboard_counts_what_is_active_late_and_this_week(demo_services: Services) -> None:
    figures = demo_services.dashboard.figures()
    active = [r for r in demo_services.search.cases() if r.status.value == "active"]
    assert figures.active_cases == len(active)
    assert len(figures.minutes_by_month) == 12
    assert sum(count for _stage, count in figures.cases_by_stage) == len(active)
    assert all(late.oldest_on < fixed_clock().date() for late in figures.late_cases)
    # One line per person, with the number of milestones late, the longest late first.
    assert len({late.case_id for late in figures.late_cases}) == len(figures.late_cases)
    assert [late.oldest_on for late in figures.late_cases] == sorted(
        late.oldest_on for late in figures.late_cases
    )
    assert any(late.count > 1 for late in figures.late_cases)


def test_a_limited_search_keeps_the_best_matches_and_counts_them_all(
    demo_services: Services,
) -> None:
    everything = demo_services.search.cases(CaseFilter(text="a"))
    best = demo_services.search.cases(CaseFilter(text="a", limit=5))
    assert len(everything) > 5
    assert best == everything[:5]
    assert demo_services.search.count(CaseFilter(text="a")) == len(everything)
