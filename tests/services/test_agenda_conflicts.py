"""A conflict is what the advisor must sort out: two of their appointments at once, neither
cancelled. Red in the agenda means that and nothing else."""

from __future__ import annotations

from datetime import date, datetime

from advisor_app.domain.enums import AppointmentMode, AppointmentStatus
from advisor_app.services import AppointmentDraft, NewCase, Services
from advisor_app.services.agenda import mark_conflicts
from advisor_app.services.views import AgendaItem


def appointment(
    name: str,
    hour: int,
    minute: int = 0,
    status: AppointmentStatus = AppointmentStatus.PLANNED,
    advisor: str = "Camille Rivière",
) -> AgendaItem:
    return AgendaItem(
        appointment_id=name,
        case_id=f"case-{name}",
        holder=name,
        start=datetime(2026, 12, 2, hour, minute),
        minutes=60,
        mode=AppointmentMode.OFFICE,
        status=status,
        topic="",
        place="",
        advisor=advisor,
    )


def conflicting(*items: AgendaItem) -> list[str]:
    return [item.holder for item in mark_conflicts(list(items)) if item.conflict]


def test_two_appointments_of_the_advisor_at_once_conflict() -> None:
    assert conflicting(appointment("Yasmina", 10), appointment("Théo", 10, 30)) == [
        "Yasmina",
        "Théo",
    ]


def test_a_cancelled_appointment_leaves_its_slot_free() -> None:
    cancelled = appointment("Yasmina", 10, status=AppointmentStatus.CANCELLED)
    assert conflicting(cancelled, appointment("Théo", 10)) == []


def test_a_missed_appointment_had_its_slot_taken_all_the_same() -> None:
    missed = appointment("Yasmina", 10, status=AppointmentStatus.NO_SHOW)
    assert conflicting(missed, appointment("Théo", 10, 30)) == ["Yasmina", "Théo"]


def test_back_to_back_is_no_conflict() -> None:
    assert conflicting(appointment("Yasmina", 10), appointment("Théo", 11)) == []


def test_appointments_of_two_advisors_at_once_do_not_conflict() -> None:
    colleague = appointment("Théo", 10, advisor="Julien Moreau")
    assert conflicting(appointment("Yasmina", 10), colleague) == []


def test_a_long_appointment_conflicts_with_each_one_inside_it() -> None:
    long = AgendaItem(**{**appointment("Yasmina", 9).__dict__, "minutes": 240})
    inside = (appointment("Théo", 10), appointment("Zoé", 12))
    assert conflicting(long, *inside) == ["Yasmina", "Théo", "Zoé"]


def test_a_case_opened_before_the_advisor_gave_a_name_is_theirs_all_the_same(
    services: Services,
) -> None:
    earlier, _d, _c = services.cases.create(NewCase("Yasmina", "Benali"))
    services.settings.set("advisor_name", "Camille Rivière")
    later, _d, _c = services.cases.create(NewCase("Théo", "Lefèvre"))
    for case_id in (earlier, later):
        services.appointments.add(case_id, AppointmentDraft(datetime(2026, 12, 2, 10, 0), 60))
    items = services.agenda.between(date(2026, 12, 2), date(2026, 12, 2))
    assert [item.conflict for item in items] == [True, True]
