"""Overlapping appointments share their day side by side, as in a desktop calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from advisor_app.domain.enums import AppointmentMode, AppointmentStatus
from advisor_app.services.views import AgendaItem
from advisor_app.ui.pages.agenda_week import Placement, block_lines, side_by_side


def at(hour: int, minute: int = 0, minutes: int = 60) -> tuple[datetime, datetime]:
    start = datetime(2026, 3, 10, hour, minute)
    return start, start + timedelta(minutes=minutes)


def test_three_overlapping_appointments_get_three_columns_and_a_later_one_the_full_width() -> None:
    placements = side_by_side([at(9), at(9, 15), at(9, 30), at(14)])
    assert placements[:3] == [Placement(0, 1, 3), Placement(1, 1, 3), Placement(2, 1, 3)]
    assert placements[3] == Placement(0, 1, 1)


def test_an_appointment_spreads_over_the_columns_free_for_its_whole_length() -> None:
    # 9:00–11:00 and 9:30–10:00 side by side; 10:00–11:00 reuses the second column;
    # 10:30–11:30 needs a third one; 11:00-12:00 then has the first two columns free
    long, short, after, third = at(9, 0, 120), at(9, 30, 30), at(10, 0, 60), at(10, 30, 60)
    placements = side_by_side([long, short, after, third, at(11, 0, 60)])
    assert placements[0] == Placement(0, 1, 3)
    assert placements[1] == Placement(1, 2, 3)  # nothing in the third column before 10:30
    assert placements[2] == Placement(1, 1, 3)
    assert placements[3] == Placement(2, 1, 3)
    assert placements[4] == Placement(0, 2, 3)


def test_back_to_back_appointments_do_not_overlap() -> None:
    assert side_by_side([at(9), at(10), at(11)]) == [Placement(0, 1, 1)] * 3


def test_the_order_given_is_kept_whatever_the_times() -> None:
    placements = side_by_side([at(10), at(9, 0, 120)])
    assert placements == [Placement(1, 1, 2), Placement(0, 1, 2)]


def test_a_narrow_block_writes_the_name_under_the_time_and_a_covered_one_the_name_first() -> None:
    item = AgendaItem(
        "a1",
        "c1",
        "Marie-Claire Dupré-Lefèvre",
        datetime(2026, 3, 10, 14, 0),
        60,
        AppointmentMode.OFFICE,
        AppointmentStatus.PLANNED,
        "Étude de marché",
        "",
    )

    def advance(text: str) -> int:
        return 7 * len(text)

    assert block_lines(item, 3, 400, advance) == [
        "14:00 Marie-Claire Dupré-Lefèvre",
        "Étude de marché",
    ]
    assert block_lines(item, 4, 100, advance) == [
        "14:00",
        "Marie-Claire",
        "Dupré-Lefèvre",
        "Étude de marché",
    ]
    assert block_lines(item, 1, 100, advance, covered=True) == ["Marie-Claire Dupré-Lefèvre"]
