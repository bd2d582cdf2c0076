"""The dashboard's figures are kept in the catalog as cases change, never recomputed at
start: after every kind of change, and after a rebuild, they are those the case files give."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date, datetime, timedelta

from advisor_app.domain.enums import AppointmentStatus, CaseStatus
from advisor_app.services import AppointmentDraft, CaseFilter, Services
from advisor_app.services.dashboard import month_start
from advisor_app.services.views import DashboardFigures
from advisor_app.storage.catalog_models import INDEX_VERSION
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock

TODAY = fixed_clock().date()


def figures_from_the_case_files(services: Services) -> dict[str, object]:
    """What the dashboard must say, read case file by case file."""
    months = [month_start(TODAY, back) for back in range(11, -1, -1)]
    minutes: Counter[date] = Counter()
    late: list[tuple[date, str, int]] = []
    active = without_consent = 0
    for summary in services.search.cases(CaseFilter(include_binned=True)):
        case = services.cases.get(summary.case_id)
        if case.binned_at is not None:
            continue
        for appointment in case.appointments:
            if appointment.status is AppointmentStatus.DONE and appointment.counts_in_reports:
                minutes[appointment.start.date().replace(day=1)] += appointment.minutes
        if case.status is not CaseStatus.ACTIVE:
            continue
        active += 1
        without_consent += not summary.processing_consent
        targets = [
            m.target_on
            for m in case.milestones
            if m.done_on is None and m.target_on is not None and m.target_on < TODAY
        ]
        if targets:
            late.append((min(targets), summary.case_id, len(targets)))
    return {
        "minutes_by_month": [(month, minutes[month]) for month in months],
        "year": sum(n for month, n in minutes.items() if month.year == TODAY.year),
        "late": sorted(late),
        "active": active,
        "without_consent": without_consent,
    }


def shown(figures: DashboardFigures) -> dict[str, object]:
    return {
        "minutes_by_month": figures.minutes_by_month,
        "year": figures.hours_this_year_minutes,
        "late": sorted((c.oldest_on, c.case_id, c.count) for c in figures.late_cases),
        "active": figures.active_cases,
        "without_consent": figures.cases_without_consent,
    }


def test_the_hours_and_late_people_follow_every_change_and_a_rebuild(
    demo_services: Services,
) -> None:
    services = demo_services
    assert shown(services.dashboard.figures()) == figures_from_the_case_files(services)
    first, second, third = (s.case_id for s in services.search.cases()[:3])
    this_month = datetime.combine(TODAY, datetime.min.time()).replace(hour=9)

    # an appointment done this month, one left out of the reports, one made done later
    services.appointments.add(
        first, AppointmentDraft(this_month, 90, status=AppointmentStatus.DONE)
    )
    services.appointments.add(
        first,
        AppointmentDraft(
            this_month - timedelta(days=40),
            45,
            status=AppointmentStatus.DONE,
            counts_in_reports=False,
        ),
    )
    planned, _changes = services.appointments.add(
        second, AppointmentDraft(this_month - timedelta(days=1), 30)
    )
    services.appointments.set_status(second, planned, AppointmentStatus.DONE)
    assert shown(services.dashboard.figures()) == figures_from_the_case_files(services)

    # an appointment removed, a case put in the bin, then one taken out of it
    done = next(
        a for a in services.cases.get(third).appointments if a.status is AppointmentStatus.DONE
    )
    services.appointments.remove(third, done.id)
    services.cases.move_to_bin(second)
    services.cases.move_to_bin(third)
    services.cases.restore_from_bin(third)
    assert shown(services.dashboard.figures()) == figures_from_the_case_files(services)

    before = services.dashboard.figures()
    services.maintenance.rebuild_index_now()
    assert services.dashboard.figures() == before


def test_an_index_of_the_previous_version_gets_its_dashboard_table_in_place(
    demo_services: Services,
) -> None:
    services = demo_services
    root = services.workspace.root
    before = services.dashboard.figures()
    services.close()
    # the index as version 5 left it: no minutes per month, the search's index on one column
    index = sqlite3.connect(root / "workspace.sqlite")
    index.executescript(
        "DROP TABLE month_minutes; DROP INDEX ix_case_index_search; "
        "CREATE INDEX ix_case_index_search_rowid ON case_index (search_rowid); "
        "PRAGMA user_version = 5;"
    )
    index.close()

    reopened = Services(Workspace.open(root), clock=fixed_clock)
    try:
        assert reopened.dashboard.figures() == before
        assert shown(reopened.dashboard.figures()) == figures_from_the_case_files(reopened)
        assert len(reopened.search.cases(CaseFilter(text="a"))) > 0
    finally:
        reopened.close()
    index = sqlite3.connect(root / "workspace.sqlite")
    try:
        assert index.execute("PRAGMA user_version").fetchone()[0] == INDEX_VERSION
        names = {row[0] for row in index.execute("SELECT name FROM sqlite_master")}
        assert {"month_minutes", "ix_month_minutes_month", "ix_case_index_search"} <= names
        assert "ix_case_index_search_rowid" not in names
    finally:
        index.close()
