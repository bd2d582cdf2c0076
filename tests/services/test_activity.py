"""Activity figures over a period, computed from the catalog alone."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from advisor_app.domain.activity import Period
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
    assert {t.key: t.count for t in figures.by_commune} == {"Alès": 1, "Anduze": 1}


def test_businesses_jobs_and_funding_obtained(activity: ActivityService) -> None:
    figures = activity.figures(YEAR)
    assert (figures.businesses_created, figures.jobs_created) == (1, 3)
    assert [(t.key, t.count, t.amount) for t in figures.funding_by_kind] == [
        ("honour_loan", 1, 700_000)
    ]
    assert figures.funding_granted_cents == 700_000
    assert figures.funding_by_funder[0].key == "Initiative Gard"


def test_a_period_with_nothing_in_it_gives_zeros(activity: ActivityService) -> None:
    figures = activity.figures(Period(date(2030, 1, 1), date(2030, 1, 31)))
    assert (figures.people_received, figures.minutes_done, figures.by_mode) == (0, 0, ())


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError):
        Period(date(2026, 2, 1), date(2026, 1, 1))
