"""The demo books the weeks an advisor could really work: office hours, a lunch break, a
few people a day, never two at once (a cancelled slot given to someone else aside)."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from pathlib import Path

from advisor_app.domain.enums import AppointmentStatus
from advisor_app.services import Services
from advisor_app.services.demo import generate_demo
from advisor_app.services.demo_diary import BUSIEST, CASELOAD, Diary, advisor_of
from advisor_app.storage.workspace import Workspace
from tests.conftest import fixed_clock

MORNING = (time(9, 0), time(12, 30))
AFTERNOON = (time(14, 0), time(17, 30))


def test_no_demo_appointment_conflicts_with_another(demo_services: Services) -> None:
    items = demo_services.agenda.between(date(2020, 1, 1), date(2030, 12, 31))
    assert len(items) > 200
    assert not any(item.conflict for item in items)


def test_demo_appointments_fall_in_office_hours_on_weekdays(demo_services: Services) -> None:
    for item in demo_services.agenda.between(date(2020, 1, 1), date(2030, 12, 31)):
        assert item.start.weekday() < 5
        assert item.end.date() == item.start.date()
        assert any(
            opens <= item.start.time() and item.end.time() <= closes
            for opens, closes in (MORNING, AFTERNOON)
        )


def test_a_demo_day_holds_a_few_appointments_at_most(demo_services: Services) -> None:
    items = demo_services.agenda.between(date(2020, 1, 1), date(2030, 12, 31))
    per_day = Counter(
        item.start.date() for item in items if item.status is not AppointmentStatus.CANCELLED
    )
    assert max(per_day.values()) <= max(BUSIEST)


def test_this_week_a_cancelled_slot_went_to_someone_else(demo_services: Services) -> None:
    week = demo_services.agenda.week_of(fixed_clock().date())
    cancelled = [i for i in week if i.status is AppointmentStatus.CANCELLED]
    assert any(
        other.start == slot.start and other.status is AppointmentStatus.PLANNED
        for slot in cancelled
        for other in week
    )


def test_a_full_day_sends_the_next_booking_to_the_next_working_day() -> None:
    diary = Diary(today=date(2026, 3, 12))
    friday = date(2026, 3, 13)
    rng = random.Random(1)
    booked = [diary.book(friday, 120, rng) for _ in range(5)]
    on_friday = [start for start in booked if start is not None and start.date() == friday]
    assert 1 <= len(on_friday) <= 3  # two hours each: at most three fit in the day
    later = [start for start in booked if start is not None and start.date() != friday]
    assert later and all(start.date() >= date(2026, 3, 16) for start in later)  # Monday
    spans = sorted((s, s + timedelta(minutes=120)) for s in booked if s is not None)
    assert all(end <= after for (_s, end), (after, _e) in itertools.pairwise(spans))


def test_a_cancelled_slot_is_offered_to_the_next_person() -> None:
    diary = Diary(today=date(2026, 3, 12))
    rng = random.Random(2)
    start = diary.book(date(2026, 3, 12), 60, rng)
    assert start is not None
    diary.cancel(start, 60)
    freed = diary.take_freed(date(2026, 3, 1), date(2026, 3, 31), busy=set())
    assert freed is not None and freed.start == start
    assert diary.take_freed(date(2026, 3, 1), date(2026, 3, 31), busy=set()) is None


def test_a_big_demo_shares_its_cases_between_colleagues() -> None:
    pools = (("Léa", "Théo", "Zoé", "Inès", "Loïc", "Rémi"), ("Dupré", "Noël", "Perrin"))
    assert advisor_of(1, "Camille Rivière", *pools) == "Camille Rivière"
    assert advisor_of(CASELOAD, "Camille Rivière", *pools) == "Camille Rivière"
    colleague = advisor_of(CASELOAD + 1, "Camille Rivière", *pools)
    assert colleague != "Camille Rivière"
    assert advisor_of(2 * CASELOAD, "Camille Rivière", *pools) == colleague


def test_the_same_seed_books_the_same_diary(tmp_path: Path) -> None:
    def diary(folder: str) -> list[tuple[datetime, str, str]]:
        services = Services(Workspace.open(tmp_path / folder), clock=fixed_clock)
        for _step in generate_demo(services, 12, seed=3):
            pass
        items = services.agenda.between(date(2020, 1, 1), date(2030, 12, 31))
        services.close()
        return [(item.start, item.holder, item.status.value) for item in items]

    assert diary("a") == diary("b")
