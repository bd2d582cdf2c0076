"""An advisor opens a case, books an appointment, marks it done and sees the hours grow."""

from __future__ import annotations

from datetime import datetime

from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import AppointmentStatus
from advisor_app.i18n import _, format_duration
from advisor_app.services import AppointmentDraft, NewCase
from advisor_app.ui.case.appointments import AppointmentsPage
from advisor_app.ui.case.case_view import unbreakable
from advisor_app.ui.case.financing import FinancingPage
from advisor_app.ui.dialogs.appointment import AppointmentDialog
from advisor_app.ui.dialogs.new_case import NewCaseDialog
from advisor_app.ui.main_window import MainWindow
from tests.ui.conftest import opened, shown_list


def test_create_case_book_and_mark_done_grows_hours(window: MainWindow, qtbot: QtBot) -> None:
    session = window.session
    dialog = NewCaseDialog(session, window)
    qtbot.addWidget(dialog)
    dialog.first_name.setText("Léa")
    dialog.last_name.setText("Moreau")
    dialog.project.setText("Boulangerie bio")
    dialog.show()
    dialog.save()  # written by the one writer: the dialog stays open until it lands
    assert dialog.isVisible() and dialog.case_id is None
    assert not dialog.buttons.isEnabled()  # not written twice
    qtbot.waitUntil(lambda: dialog.case_id is not None)
    assert dialog.created and not dialog.isVisible()
    assert dialog.case_id is not None
    view = opened(window.open_case(dialog.case_id))
    assert view.name.text() == "Léa Moreau"
    assert shown_list(window, qtbot).model.rowCount() == 1
    view = opened(window.open_case(dialog.case_id))

    booking = AppointmentDialog(session, dialog.case_id, datetime(2026, 11, 24, 9, 30), 90)
    qtbot.addWidget(booking)
    booking.topic.setText("Premier accueil")
    booking.save()  # written by the one writer, off the interface thread
    qtbot.waitUntil(lambda: booking.appointment_id is not None)

    view.show_page("Appointments")
    page = view.page("Appointments")
    assert isinstance(page, AppointmentsPage)
    assert page.table.rowCount() == 1
    assert format_duration(0) in page.total.text()
    page.editor.status_buttons[next(iter(page.editor.status_buttons))].click()

    qtbot.waitUntil(lambda: format_duration(90) in page.total.text())
    assert format_duration(90) in view.summary.text()
    window.show_page("dashboard")
    qtbot.waitUntil(lambda: window.dashboard.month_hours.value.text() == format_duration(90))
    assert window.dashboard.hours_chart.bars()[-1][2] == format_duration(90)  # as the tile


def test_new_case_without_name_is_refused_at_the_field(window: MainWindow, qtbot: QtBot) -> None:
    dialog = NewCaseDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.first_name.setText("Léa")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors["last_name"].isVisible())
    assert dialog.case_id is None and dialog.isVisible()  # still open, to correct
    assert dialog.buttons.isEnabled()
    assert "cannot be empty" in dialog.errors["last_name"].text()


def test_undo_restores_the_last_edit(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    case_id, _dups, _changes = services.cases.create(NewCase(first_name="Léa", last_name="Moreau"))
    services.appointments.add(case_id, AppointmentDraft(datetime(2026, 11, 20, 10), 60))
    view = opened(window.open_case(case_id))
    field = view.page("Identity").fields["commune"]  # type: ignore[attr-defined]
    field.line.setText("Guéret")
    assert field.commit()
    qtbot.waitUntil(lambda: not window.session.writing)
    assert services.cases.get(case_id).person.commune == "Guéret"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: not window.session.writing)
    assert services.cases.get(case_id).person.commune == ""
    assert field.line.text() == ""


def test_a_birth_date_typed_wrong_is_refused_at_its_field(window: MainWindow) -> None:
    dialog = NewCaseDialog(window.session, window)
    dialog.first_name.setText("Léa")
    dialog.last_name.setText("Noël")
    dialog.birth_date.setText("31/02/1990")
    dialog.save()
    assert dialog.case_id is None
    assert "not a date" in dialog.errors["birth_date"].text()


def test_the_case_header_breaks_between_its_parts_only(window: MainWindow) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(
        NewCase("Amélie", "Dupré-Lefèvre", project_title="Boulangerie bio et salon de thé")
    )
    appointment_id, _c = services.appointments.add(
        case_id, AppointmentDraft(datetime(2026, 11, 20, 10), 90)
    )
    services.appointments.set_status(case_id, appointment_id, AppointmentStatus.DONE)
    window.resize(960, 600)
    view = opened(window.open_case(case_id))

    parts = view.summary.text().split("\u00a0· ")
    assert parts[0] == "Boulangerie bio et salon de thé"  # the title wraps as prose
    hours = unbreakable(_("{hours} of accompaniment").format(hours=format_duration(90)))
    assert parts[3:] == ["Not\u00a0started", "0/13\u00a0milestones", hours]
    assert all(" " not in part for part in parts[1:])  # no line break inside a part


def test_an_empty_financing_plan_is_not_said_balanced(window: MainWindow) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    view = opened(window.open_case(case_id))
    view.show_page("Financing")
    page = view.page("Financing")
    assert isinstance(page, FinancingPage)
    assert "empty" in page.balance.text()
    assert "balanced" not in page.balance.text()
    assert page.balance.styleSheet() == ""  # neither green nor red
