"""Refused input stays at the field with a sentence saying why."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import AppointmentStatus
from advisor_app.services import AppointmentDraft, NewCase
from advisor_app.ui.case.appointments import AppointmentsPage
from advisor_app.ui.main_window import MainWindow
from tests.ui.conftest import opened


def _case_with_appointment(window: MainWindow) -> tuple[str, AppointmentsPage]:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase(first_name="Léa", last_name="Moreau"))
    services.appointments.add(case_id, AppointmentDraft(datetime(2026, 11, 20, 10), 60))
    view = opened(window.open_case(case_id))
    view.show_page("Appointments")
    page = view.page("Appointments")
    assert isinstance(page, AppointmentsPage)
    return case_id, page


def test_an_invalid_duration_is_refused(window: MainWindow) -> None:
    case_id, page = _case_with_appointment(window)
    duration = page.editor.duration
    duration.line.setText("0")
    assert not duration.commit()
    assert duration.error.isVisible()
    assert "at least one minute" in duration.error.text()
    duration.line.setText("soon")
    assert not duration.commit()
    assert "not a duration" in duration.error.text()
    stored = window.session.services.cases.get(case_id).appointments[0]
    assert stored.minutes == 60


def test_a_valid_duration_is_saved_as_typed(window: MainWindow, qtbot: QtBot) -> None:
    case_id, page = _case_with_appointment(window)
    page.editor.duration.line.setText("1h30")
    assert page.editor.duration.commit()
    qtbot.waitUntil(lambda: not window.session.writing)  # the one writer, off the UI thread
    assert window.session.services.cases.get(case_id).appointments[0].minutes == 90
    assert not page.editor.duration.error.isVisible()


def test_an_appointment_to_come_cannot_be_marked_done(window: MainWindow) -> None:
    services = window.session.services
    case_id, page = _case_with_appointment(window)
    services.appointments.add(case_id, AppointmentDraft(datetime(2026, 12, 2, 14), 60))
    page.show_detail(services.cases.get(case_id))
    page.select(page.appointments()[0].id)  # the newest first: 2 December, still to come
    buttons = page.editor.status_buttons

    assert not buttons[AppointmentStatus.DONE].isVisibleTo(page)
    assert not buttons[AppointmentStatus.NO_SHOW].isVisibleTo(page)
    assert buttons[AppointmentStatus.CANCELLED].isVisibleTo(page)
    page.select(page.appointments()[1].id)  # 20 November, past
    assert buttons[AppointmentStatus.DONE].isVisibleTo(page)


def test_the_status_buttons_say_what_they_do(window: MainWindow) -> None:
    _case_id, page = _case_with_appointment(window)
    texts = [button.text() for button in page.editor.status_buttons.values()]
    assert texts == ["Mark as done", "Mark as cancelled", "Mark as no-show", "Plan it again"]


def test_a_removed_appointment_comes_back_from_the_edit_menu(
    window: MainWindow, qtbot: QtBot
) -> None:
    case_id, page = _case_with_appointment(window)
    page.remove_button.click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 0)
    assert window.session.services.cases.get(case_id).appointments == []

    window.undo_action.trigger()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    [appointment] = window.session.services.cases.get(case_id).appointments
    assert (appointment.start, appointment.minutes) == (datetime(2026, 11, 20, 10), 60)
