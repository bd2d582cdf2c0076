"""The dashboard: its figures read in the background and shown when ready, one line per
late person with the number of late milestones, a double-click that opens the pathway, and
hours written the same way in the figure and in the chart."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import AppointmentMode, AppointmentStatus
from advisor_app.i18n import format_date, format_duration
from advisor_app.services import AppointmentDraft, NewCase, Services
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.pages.dashboard import PENDING, DashboardPage


def _late_people(services: Services) -> tuple[str, str]:
    """Solène, opened in 2023 and late on every milestone since; Jules, late on fewer."""
    solene, _d, _c = services.cases.create(NewCase("Solène", "Rivière", opened_on=date(2023, 1, 9)))
    jules, _d, _c = services.cases.create(NewCase("Jules", "Perrin", opened_on=date(2026, 9, 1)))
    return solene, jules


def _shown(page: DashboardPage, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not page.loading, timeout=10_000)


def test_the_figures_come_from_the_background_with_a_quiet_placeholder_meanwhile(
    session: object, qtbot: QtBot
) -> None:
    from advisor_app.ui.session import AppSession

    assert isinstance(session, AppSession)
    page = DashboardPage(session)
    qtbot.addWidget(page)
    assert page.active.value.text() == PENDING  # nothing read on the interface thread
    page.show()
    _shown(page, qtbot)
    assert page.active.value.text() == "0"


def test_an_older_answer_is_dropped_when_a_newer_one_was_asked_for(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    window.show_page("dashboard")
    page = window.dashboard
    _shown(page, qtbot)
    services.cases.create(NewCase("Inès", "Benali"))
    shown: list[str] = []
    page.figures_shown.connect(lambda: shown.append(page.active.value.text()))
    page.refresh()
    page.refresh()  # asked again before the first answer came back
    window.session.tasks.wait()
    qtbot.waitUntil(lambda: not page.loading, timeout=10_000)
    assert shown == ["1"]  # the first answer arrived, and was not shown


def test_one_line_per_late_person_with_the_count_and_the_oldest_date(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    solene, _jules = _late_people(services)
    window.show_page("dashboard")
    page = window.dashboard
    _shown(page, qtbot)
    figures = page.figures
    assert figures is not None
    lines = [page.late_list.item(row).text() for row in range(page.late_list.count())]
    assert len(lines) == 2  # one per person, however many milestones are late
    oldest = next(late for late in figures.late_cases if late.case_id == solene)
    assert oldest.count > 1
    assert lines[0] == (
        f"Solène Rivière: {oldest.count} milestones late, since {format_date(oldest.oldest_on)}"
    )
    assert lines[1].startswith("Jules Perrin: ")
    assert page.late_list.item(0).data(Qt.ItemDataRole.UserRole) == solene


def test_a_double_click_or_enter_opens_the_case_on_its_pathway(
    window: MainWindow, qtbot: QtBot
) -> None:
    _solene, jules = _late_people(window.session.services)
    window.show_page("dashboard")
    page = window.dashboard
    _shown(page, qtbot)
    item = page.late_list.item(1)
    rect = page.late_list.visualItemRect(item)
    qtbot.mouseClick(page.late_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.late_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view = window.current_case()
    assert view is not None and view.case_id == jules
    assert view.tabs.currentWidget() is view.pages["Pathway"]

    view.show_page("Identity")
    window.show_page("dashboard")
    page.late_list.setFocus()
    page.late_list.setCurrentRow(1)
    qtbot.keyClick(page.late_list, Qt.Key.Key_Return)
    view = window.current_case()
    assert view is not None and view.case_id == jules
    assert view.tabs.currentWidget() is view.pages["Pathway"]


def test_the_chart_writes_the_hours_as_the_figure_above_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Léa", "Moreau"))
    services.appointments.add(
        case_id,
        AppointmentDraft(
            datetime(2026, 11, 20, 14, 0),
            90,
            AppointmentMode.THIRD_PLACE,
            status=AppointmentStatus.DONE,
        ),
    )
    window.resize(960, 600)
    window.show_page("dashboard")
    page = window.dashboard
    _shown(page, qtbot)
    assert page.month_hours.value.text() == format_duration(90)  # "1 h 30", never "2 h"
    assert page.hours_chart.bars()[-1][2] == page.month_hours.value.text()
    assert format_duration(90) in page.hours_chart.toolTip()


def test_past_fifty_late_people_the_list_says_how_many_more(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    for number in range(53):
        services.cases.create(
            NewCase("Personne", f"Numéro {number:02d}", opened_on=date(2024, 1, 1 + number % 28))
        )
    window.show_page("dashboard")
    page = window.dashboard
    _shown(page, qtbot)
    lines = [page.late_list.item(row).text() for row in range(page.late_list.count())]
    assert len(lines) == 51
    assert lines[-1] == "… and 3 more people"
    assert page.late_list.item(50).data(Qt.ItemDataRole.UserRole) is None
