"""Appointments: the hours of accompaniment that funders pay for."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from advisor_app.domain.enums import AppointmentMode, AppointmentStatus
from advisor_app.domain.errors import ValidationError
from advisor_app.services import AppointmentDraft, NewCase, Services


@pytest.fixture
def case_id(services: Services) -> str:
    created, _d, _c = services.cases.create(NewCase("Gaëlle", "Hébert", project_title="Savonnerie"))
    return created


def test_an_appointment_marked_done_adds_its_hours_to_the_case(
    services: Services, case_id: str
) -> None:
    appointment_id, _changes = services.appointments.add(
        case_id, AppointmentDraft(datetime(2026, 11, 20, 14, 0), 90, AppointmentMode.THIRD_PLACE)
    )
    assert services.cases.get(case_id).done_minutes == 0
    changes = services.appointments.set_status(case_id, appointment_id, AppointmentStatus.DONE)
    assert changes.agenda
    assert services.cases.get(case_id).done_minutes == 90
    assert services.search.cases()[0].done_minutes == 90
    assert services.dashboard.figures().hours_this_month_minutes == 90


def test_an_appointment_that_does_not_count_in_reports_adds_no_hours(
    services: Services, case_id: str
) -> None:
    services.appointments.add(
        case_id,
        AppointmentDraft(
            datetime(2026, 11, 20, 9), 60, status=AppointmentStatus.DONE, counts_in_reports=False
        ),
    )
    assert services.cases.get(case_id).done_minutes == 0


def test_a_cancelled_appointment_adds_no_hours(services: Services, case_id: str) -> None:
    services.appointments.add(
        case_id, AppointmentDraft(datetime(2026, 11, 20, 9), 60, status=AppointmentStatus.CANCELLED)
    )
    assert services.cases.get(case_id).done_minutes == 0


def test_an_invalid_duration_is_refused_and_nothing_is_saved(
    services: Services, case_id: str
) -> None:
    with pytest.raises(ValidationError, match="12 hours"):
        services.appointments.add(case_id, AppointmentDraft(datetime(2026, 11, 20, 9), 13 * 60))
    with pytest.raises(ValidationError):
        services.appointments.add(case_id, AppointmentDraft(datetime(2026, 11, 20, 9), 0))
    case = services.cases.get(case_id)
    assert case.appointments == []
    assert case.revision == 1


def test_overlapping_appointments_show_as_conflicts_in_the_agenda(
    services: Services, case_id: str
) -> None:
    other, _d, _c = services.cases.create(NewCase("Mamadou", "Diallo"))
    services.appointments.add(case_id, AppointmentDraft(datetime(2026, 12, 2, 10, 0), 60))
    services.appointments.add(other, AppointmentDraft(datetime(2026, 12, 2, 10, 30), 60))
    services.appointments.add(other, AppointmentDraft(datetime(2026, 12, 2, 14, 0), 60))
    items = services.agenda.between(date(2026, 12, 2), date(2026, 12, 2))
    assert [i.conflict for i in items] == [True, True, False]


def test_the_next_appointment_and_last_contact_show_in_the_list(
    services: Services, case_id: str
) -> None:
    services.appointments.add(
        case_id, AppointmentDraft(datetime(2026, 11, 3, 9), 60, status=AppointmentStatus.DONE)
    )
    services.appointments.add(case_id, AppointmentDraft(datetime(2026, 12, 9, 9), 60))
    row = services.search.cases()[0]
    assert row.last_contact == date(2026, 11, 3)
    assert row.next_appointment == datetime(2026, 12, 9, 9)
