"""The agenda: the week with overlapping appointments side by side, each saying what it is
and opening where it is kept; the list of any range of days, real conflicts marked."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import AppointmentStatus
from advisor_app.i18n import format_duration, format_time, label, set_language
from advisor_app.services import AppointmentDraft, NewCase, Services
from advisor_app.ui.case.appointments import AppointmentsPage
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.pages.agenda import READ_IN_BACKGROUND_FROM, AgendaPage
from advisor_app.ui.session import AppSession
from tests.ui.conftest import opened
from tests.ui.layout_checks import layout_problems, settle, stretched_translations


def test_the_list_shows_the_chosen_range_of_days(window: MainWindow) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Yasmina", "Benali"))
    for day in (date(2026, 12, 1), date(2027, 2, 15), date(2027, 6, 1)):
        services.appointments.add(
            case_id,
            AppointmentDraft(datetime.combine(day, datetime.min.time()).replace(hour=10), 60),
        )
    window.show_page("agenda")
    agenda = window.agenda
    agenda.as_list.setChecked(True)
    assert agenda.range_first.isVisible() and not agenda.next.isVisible()
    agenda.range_first.setDate(QDate(2026, 11, 30))
    agenda.range_last.setDate(QDate(2027, 3, 1))
    assert agenda.list_range() == (date(2026, 11, 30), date(2027, 3, 1))
    assert agenda.table.rowCount() == 2
    agenda.range_last.setDate(QDate(2027, 12, 31))
    assert agenda.table.rowCount() == 3
    agenda.as_list.setChecked(False)
    assert agenda.next.isVisible() and not agenda.range_first.isVisible()


def book(
    window: MainWindow,
    holder: tuple[str, str],
    start: datetime,
    minutes: int = 60,
    status: AppointmentStatus = AppointmentStatus.PLANNED,
) -> tuple[str, str]:
    """A case for `holder` with one appointment; the case's and the appointment's ids."""
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase(*holder))
    appointment_id, _changes = services.appointments.add(
        case_id, AppointmentDraft(start, minutes, topic="Étude de marché", status=status)
    )
    return case_id, appointment_id


def week_of_december(window: MainWindow) -> AgendaPage:
    window.resize(960, 600)
    window.show_page("agenda")
    agenda = window.agenda
    agenda.move_weeks(1)  # today is Wednesday 25 November 2026: the week of 30 November
    return agenda


def test_appointments_at_the_same_time_sit_side_by_side(window: MainWindow) -> None:
    book(window, ("Yasmina", "Benali"), datetime(2026, 12, 1, 10, 0))
    book(window, ("Théo", "Lefèvre"), datetime(2026, 12, 1, 10, 30))
    book(window, ("Zoé", "Müller"), datetime(2026, 12, 1, 14, 0))
    grid = week_of_december(window).grid
    first, second, alone = (grid.item_rect(item) for item in grid.items)
    assert first.right() < second.left() and second.top() > first.top()
    assert first.width() == pytest.approx(second.width(), abs=1)
    assert alone.width() > 1.9 * first.width()


def test_a_crowded_week_is_read_in_the_background_then_drawn_whole(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Past a few hundred appointments the week is read off the interface thread: the grid
    waits empty and says so, then shows them all, cascaded where too many overlap."""
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Maëlys", "Le Goff-Quéméner"))
    monday, count = date(2026, 11, 30), READ_IN_BACKGROUND_FROM + 10
    for n in range(count):
        start = datetime.combine(monday + timedelta(days=n % 5), time(8 + n // 5 % 10))
        services.appointments.add(case_id, AppointmentDraft(start, 45))
    agenda = week_of_december(window)
    assert agenda.loading and agenda.conflicts.text() == "Reading the appointments…"
    assert agenda.grid.items == []
    qtbot.waitUntil(lambda: not agenda.loading)
    grid = agenda.grid
    assert len(grid.items) == count
    first, second = (grid.item_rect(item) for item in grid.items[:2])  # Monday, 8 h
    assert first.left() < second.left() and first.top() == second.top()  # cascaded
    assert "conflicting appointments" in agenda.conflicts.text()
    grid.grab()  # drawn a slice at a time, then whole
    qtbot.waitUntil(lambda: grid.drawn_whole)


def test_hovering_an_appointment_says_who_when_and_what(window: MainWindow) -> None:
    book(window, ("Yasmina", "Benali"), datetime(2026, 12, 1, 10, 0), minutes=90)
    grid = week_of_december(window).grid
    centre = grid.item_rect(grid.items[0]).center().toPoint()
    QApplication.sendEvent(grid, QHelpEvent(QEvent.Type.ToolTip, centre, grid.mapToGlobal(centre)))
    shown = QToolTip.text()
    assert "Yasmina Benali" in shown
    assert format_time(time(10, 0)) in shown and format_time(time(11, 30)) in shown
    assert format_duration(90) in shown and "Étude de marché" in shown
    assert label(AppointmentStatus.PLANNED) in shown


def test_double_clicking_an_appointment_opens_it_in_its_case(
    window: MainWindow, qtbot: QtBot
) -> None:
    book(window, ("Yasmina", "Benali"), datetime(2026, 12, 1, 10, 0))
    case_id, appointment_id = book(window, ("Théo", "Lefèvre"), datetime(2026, 12, 1, 10, 0))
    grid = week_of_december(window).grid
    chosen = next(item for item in grid.items if item.appointment_id == appointment_id)
    qtbot.mouseDClick(
        grid, Qt.MouseButton.LeftButton, pos=grid.item_rect(chosen).center().toPoint()
    )
    shown_in(window, case_id, appointment_id)


def test_enter_opens_the_appointment_chosen_with_the_arrow_keys(
    window: MainWindow, qtbot: QtBot
) -> None:
    book(window, ("Yasmina", "Benali"), datetime(2026, 12, 1, 9, 0))
    book(window, ("Zoé", "Müller"), datetime(2026, 12, 1, 15, 0))
    case_id, appointment_id = book(window, ("Théo", "Lefèvre"), datetime(2026, 12, 2, 10, 0))
    grid = week_of_december(window).grid
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Down)  # the first of the week: Tuesday at 9:00
    assert grid.selected is not None and grid.selected.holder == "Yasmina Benali"
    qtbot.keyClick(grid, Qt.Key.Key_Right)  # the next day, nearest in the day
    assert grid.selected is not None and grid.selected.appointment_id == appointment_id
    assert "Théo Lefèvre" in grid.accessibleDescription()
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    shown_in(window, case_id, appointment_id)


def shown_in(window: MainWindow, case_id: str, appointment_id: str) -> None:
    view = window.current_case()
    assert view is not None and view.case_id == case_id
    opened(view)
    page = view.page("Appointments")
    assert view.tabs.currentWidget() is page
    assert isinstance(page, AppointmentsPage)
    current = page.current()
    assert current is not None and current.id == appointment_id


def test_the_list_marks_only_real_conflicts_and_counts_them(window: MainWindow) -> None:
    book(window, ("Yasmina", "Benali"), datetime(2026, 12, 1, 10, 0))
    book(
        window,
        ("Théo", "Lefèvre"),
        datetime(2026, 12, 1, 10, 0),
        status=AppointmentStatus.CANCELLED,
    )  # the slot given to someone else: no conflict
    book(window, ("Zoé", "Müller"), datetime(2026, 12, 2, 14, 0))
    book(window, ("Noël", "Aubert"), datetime(2026, 12, 2, 14, 30))  # a real one
    book(window, ("Léa", "Perrin"), datetime(2026, 12, 2, 15, 30))  # back to back: fine
    agenda = week_of_december(window)
    assert [i.holder for i in agenda.items if i.conflict] == ["Zoé Müller", "Noël Aubert"]
    assert agenda.conflicts.text() == "2 conflicting appointments"
    agenda.as_list.setChecked(True)
    agenda.range_first.setDate(QDate(2026, 11, 30))
    marked = [
        agenda.table.item(row, 2).text()
        for row in range(agenda.table.rowCount())
        if agenda.table.item(row, 0).text().startswith("⚠")
    ]
    assert marked == ["Zoé Müller", "Noël Aubert"]


def test_the_agenda_fits_half_a_screen_in_both_views(window: MainWindow) -> None:
    for number in range(8):
        book(
            window,
            ("Marie-Claire", f"Dupré-Lefèvre de la Tour d'Auvergne {number}"),
            datetime(2026, 12, 1, 9, 0) + timedelta(minutes=15 * number),
            minutes=90,
        )
    agenda = week_of_december(window)
    assert agenda.minimumSizeHint().width() <= 740
    agenda.as_list.setChecked(True)
    assert agenda.minimumSizeHint().width() <= 740
    assert window.width() == 960


def test_double_clicking_a_row_of_the_list_opens_its_appointment(
    window: MainWindow, qtbot: QtBot
) -> None:
    book(window, ("Yasmina", "Benali"), datetime(2026, 12, 1, 9, 0))
    case_id, appointment_id = book(window, ("Théo", "Lefèvre"), datetime(2026, 12, 2, 10, 0))
    agenda = week_of_december(window)
    agenda.as_list.setChecked(True)
    table = agenda.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 2).text() == "Théo Lefèvre")
    cell = table.visualItemRect(table.item(row, 2)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    shown_in(window, case_id, appointment_id)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_both_views_fit_half_a_screen_with_longer_words(
    demo_services: Services, language: str, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_language(language)
    with stretched_translations(monkeypatch):
        window = MainWindow(AppSession(demo_services))
        qtbot.addWidget(window)
        window.resize(960, 600)
        window.show()
        for number in range(8):
            book(
                window,
                ("Marie-Claire", f"Dupré-Lefèvre de la Tour d'Auvergne {number}"),
                datetime(2026, 11, 26, 9, 0) + timedelta(minutes=15 * number),
                minutes=90,
            )
        window.show_page("agenda")
        agenda = window.agenda
        agenda.go_today()
        settle()
        assert agenda.conflicts.text()
        problems = layout_problems(agenda)
        assert agenda.minimumSizeHint().width() <= 740
        width = window.width()
        agenda.as_list.setChecked(True)
        settle()
        problems += layout_problems(agenda)
        assert not problems, "\n".join(problems)
        assert agenda.minimumSizeHint().width() <= 740
        assert window.width() == width  # the list does not widen the window
