"""Activity figures over a period, computed from the catalog alone: the same figures at
every reprint, and no group small enough to point at a person."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from advisor_app.domain.activity import Group, Period, Tally, publishable
from advisor_app.domain.enums import (
    AppointmentMode,
    AppointmentStatus,
    FundingDecision,
    FundingKind,
    Gender,
    Outcome,
    Situation,
)
from advisor_app.domain.errors import ValidationError
from advisor_app.services import AppointmentDraft, FundingDraft, NewCase, Services
from advisor_app.services.activity import ActivityService

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))


def _appointment(
    services: Services,
    case_id: str,
    start: datetime,
    minutes: int,
    mode: AppointmentMode,
    status: AppointmentStatus = AppointmentStatus.DONE,
    counts: bool = True,
) -> None:
    services.appointments.add(
        case_id,
        AppointmentDraft(start, minutes, mode, status=status, counts_in_reports=counts),
    )


@pytest.fixture
def activity(services: Services) -> ActivityService:
    woman, _d, _c = services.cases.create(
        NewCase(
            "Inès",
            "Benali",
            birth_date=date(2003, 5, 1),
            gender=Gender.WOMAN,
            situation=Situation.MINIMUM_INCOME,
            commune="Alès",
            rural_area=True,
            opened_on=date(2026, 2, 1),
        )
    )
    man, _d, _c = services.cases.create(
        NewCase(
            "Marc",
            "Olivier",
            birth_date=date(1970, 1, 1),
            gender=Gender.MAN,
            situation=Situation.JOB_SEEKER,
            commune="Anduze",
            opened_on=date(2025, 6, 1),
        )
    )
    old, _d, _c = services.cases.create(NewCase("Old", "Case", opened_on=date(2024, 1, 1)))
    binned, _d, _c = services.cases.create(NewCase("Bin", "Ned", opened_on=date(2026, 3, 1)))
    _appointment(services, woman, datetime(2026, 2, 3, 9), 90, AppointmentMode.OFFICE)
    _appointment(services, woman, datetime(2026, 3, 3, 9), 60, AppointmentMode.VIDEO)
    _appointment(
        services,
        woman,
        datetime(2026, 3, 4, 9),
        60,
        AppointmentMode.VIDEO,
        AppointmentStatus.CANCELLED,
    )
    _appointment(services, man, datetime(2026, 4, 1, 14), 45, AppointmentMode.OFFICE)
    _appointment(services, man, datetime(2026, 4, 2, 14), 30, AppointmentMode.PHONE, counts=False)
    _appointment(services, man, datetime(2025, 12, 31, 14), 120, AppointmentMode.OFFICE)
    _appointment(services, binned, datetime(2026, 3, 2, 9), 600, AppointmentMode.OFFICE)
    services.cases.move_to_bin(binned)
    services.cases.update_project(man, {"expected_jobs": 3})
    services.milestones.mark_done(man, "start", date(2026, 5, 1))
    services.cases.close(old, Outcome.ABANDONED, date(2025, 1, 1))
    services.funding.add_request(
        man,
        FundingDraft(
            "Initiative Gard",
            FundingKind.HONOUR_LOAN,
            800_000,
            date(2026, 4, 20),
            FundingDecision.GRANTED,
            700_000,
        ),
    )
    services.funding.add_request(
        man,
        FundingDraft(
            "Banque",
            FundingKind.BANK_LOAN,
            2_000_000,
            date(2026, 4, 25),
            FundingDecision.REFUSED,
            0,
        ),
    )
    return ActivityService(services.context)


def test_hours_count_the_appointments_done_in_the_period_only(activity: ActivityService) -> None:
    figures = activity.figures(YEAR)
    assert figures.minutes_done == 90 + 60 + 45
    assert figures.appointments_done == 3
    assert {t.key: (t.count, t.amount) for t in figures.by_mode} == {
        "office": (2, 135),
        "video": (1, 60),
    }
    assert figures.mode_minutes_total == figures.minutes_done


def test_people_received_and_their_publics(activity: ActivityService) -> None:
    figures = activity.figures(YEAR)
    assert figures.people_received == 2
    assert figures.new_cases == 1
    assert figures.active_cases == 2
    public = figures.public
    assert (public.women, public.under_26, public.over_50) == (1, 1, 1)
    assert (public.job_seekers, public.minimum_income, public.rural_area) == (1, 1, 1)
    assert public.priority_neighbourhood == 0


def test_communes_of_one_person_are_named_only_when_the_threshold_allows_it(
    activity: ActivityService,
) -> None:
    grouped = activity.figures(YEAR).by_commune
    assert grouped.lines == ()
    assert grouped.others == Tally("", 2)
    assert grouped.others_too_few
    named = activity.figures(YEAR, minimum_group=1).by_commune
    assert {t.key: t.count for t in named.lines} == {"Alès": 1, "Anduze": 1}
    assert named.others is None


def test_businesses_jobs_and_funding_obtained(activity: ActivityService) -> None:
    figures = activity.figures(YEAR)
    assert (figures.businesses_created, figures.jobs_created) == (1, 3)
    assert figures.funding_by_kind.count == 1
    assert figures.funding_granted_cents == 700_000
    assert figures.funding_by_funder.lines == ()
    assert figures.funding_by_funder.others == Tally("", 1, 700_000)
    named = activity.figures(YEAR, minimum_group=1).funding_by_funder
    assert named.lines == (Tally("Initiative Gard", 1, 700_000),)


def test_a_period_with_nothing_in_it_gives_zeros(activity: ActivityService) -> None:
    figures = activity.figures(Period(date(2030, 1, 1), date(2030, 1, 31)))
    assert (figures.people_received, figures.minutes_done, figures.by_mode) == (0, 0, ())


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError):
        Period(date(2026, 2, 1), date(2026, 1, 1))


def test_the_threshold_is_a_workspace_setting(services: Services) -> None:
    people = (("Anne", "Alès"), ("Bruno", "Alès"), ("Chloé", "Uzès"), ("Denis", "Bez"))
    for first, commune in people:
        services.cases.create(NewCase(first, "Martin", commune=commune, opened_on=date(2026, 3, 1)))
    activity = ActivityService(services.context)
    assert activity.minimum_group() == 3
    services.settings.set("report_min_group", 2)
    communes = activity.figures(YEAR).by_commune
    assert communes.lines == (Tally("Alès", 2),)
    assert communes.others == Tally("", 2)
    services.settings.set("report_min_group", "three")
    assert activity.minimum_group() == 3


def _people(key: str, count: int) -> Group:
    return Group(key, frozenset(f"{key}-{n}" for n in range(count)), count)


def test_a_commune_of_two_people_is_counted_in_the_others() -> None:
    communes = [_people("Alès", 5), _people("Anduze", 3), _people("Bez", 2), _people("Uzès", 1)]
    breakdown = publishable(communes, 3)
    assert breakdown.lines == (Tally("Alès", 5), Tally("Anduze", 3))
    assert breakdown.others == Tally("", 3)
    assert not breakdown.others_too_few
    assert breakdown.count == 11


def test_others_too_few_to_print_take_the_smallest_named_group_with_them() -> None:
    breakdown = publishable([_people("Alès", 5), _people("Anduze", 3), _people("Bez", 1)], 3)
    assert breakdown.lines == (Tally("Alès", 5),)
    assert breakdown.others == Tally("", 4)


def test_a_person_funded_twice_by_small_funders_counts_once_in_the_others() -> None:
    lea = frozenset({"lea"})
    funders = [
        Group("Région", frozenset({"a", "b", "c"}), 3, 30_000),
        Group("Banque A", lea, 1, 10_000),
        Group("Banque B", lea, 1, 20_000),
    ]
    breakdown = publishable(funders, 3, by_amount=True)
    assert breakdown.lines == ()
    assert breakdown.others == Tally("", 5, 60_000)
    assert breakdown.others_people == 4


def test_the_longest_breakdowns_keep_their_largest_groups() -> None:
    communes = [_people(f"Commune {n:02d}", 20 - n) for n in range(18)]
    breakdown = publishable(communes, 3, keep=15)
    assert [t.key for t in breakdown.lines] == [f"Commune {n:02d}" for n in range(15)]
    assert breakdown.others == Tally("", 3 + 4 + 5)


def test_a_past_period_reprinted_later_gives_the_figures_already_printed(
    services: Services,
) -> None:
    """Léa's case, opened in December 2023, had started her business by the end of 2024;
    the follow-ups done since must not change the 2024 report."""
    lea, _d, _c = services.cases.create(NewCase("Léa", "Roux", opened_on=date(2023, 12, 4)))
    for key, day in (
        ("welcome", date(2023, 12, 4)),
        ("diagnosis", date(2024, 1, 10)),
        ("market_study", date(2024, 3, 1)),
        ("start", date(2024, 10, 1)),
    ):
        services.milestones.mark_done(lea, key, day)
    activity = ActivityService(services.context)
    year_2024 = Period(date(2024, 1, 1), date(2024, 12, 31))
    printed = activity.figures(year_2024)
    assert [(t.key, t.count) for t in printed.cases_by_stage] == [("Start of activity", 1)]
    assert printed.businesses_created == 1

    services.milestones.mark_done(lea, "registration", date(2025, 2, 1))
    services.milestones.mark_done(lea, "follow_up_6m", date(2025, 4, 1))
    services.milestones.mark_done(lea, "follow_up_2y", date(2026, 10, 1))
    assert activity.figures(year_2024) == printed
    now = activity.figures(Period(date(2026, 1, 1), date(2026, 11, 25)))
    assert [(t.key, t.count) for t in now.cases_by_stage] == [("Follow-up at 2 years", 1)]


def test_a_case_with_nothing_done_by_the_end_of_the_period_is_before_the_first_milestone(
    services: Services,
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Noé", "Petit", opened_on=date(2025, 12, 1)))
    services.milestones.mark_done(case_id, "welcome", date(2026, 1, 5))
    december = ActivityService(services.context).figures(
        Period(date(2025, 12, 1), date(2025, 12, 31))
    )
    assert [(t.key, t.count) for t in december.cases_by_stage] == [
        ("Before the first milestone", 1)
    ]
