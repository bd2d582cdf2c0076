"""Refused input stays at the field with a sentence saying why."""

from __future__ import annotations

from datetime import datetime

from advisor_app.services import AppointmentDraft, NewCase
from advisor_app.ui.case.appointments import AppointmentsPage
from advisor_app.ui.main_window import MainWindow


def _case_with_appointment(window: MainWindow) -> tuple[str, AppointmentsPage]:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase(first_name="Léa", last_name="Moreau"))
    services.appointments.add(case_id, AppointmentDraft(datetime(2026, 11, 20, 10), 60))
    view = window.open_case(case_id)
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


def test_a_valid_duration_is_saved_as_typed(window: MainWindow) -> None:
    case_id, page = _case_with_appointment(window)
    page.editor.duration.line.setText("1h30")
    assert page.editor.duration.commit()
    assert window.session.services.cases.get(case_id).appointments[0].minutes == 90
    assert not page.editor.duration.error.isVisible()
