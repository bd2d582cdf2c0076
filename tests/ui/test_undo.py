"""An advisor undoes and redoes what they did in a case, from the Édition menu or with
Ctrl+Z: a field, a status button, a table cell, a removal. Each undo goes through the
services and the one writer, as the change itself did."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import AppointmentStatus, FinancingSide, FundingKind
from advisor_app.i18n import format_duration
from advisor_app.services import AppointmentDraft, FundingDraft, NewCase
from advisor_app.ui.case.appointments import AppointmentsPage
from advisor_app.ui.case.case_view import CaseView
from advisor_app.ui.case.consents import ConsentsBox
from advisor_app.ui.case.documents import DocumentsPage
from advisor_app.ui.case.financing import FinancingPage
from advisor_app.ui.case.notes import NotesPage
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.widgets.fields import SavedLine
from tests.ui.conftest import opened


def landed(window: MainWindow, qtbot: QtBot) -> None:
    """Every write asked for has landed and been read back."""
    qtbot.waitUntil(lambda: not window.session.writing)


def case_with_appointment(window: MainWindow) -> tuple[str, str]:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    appointment_id, _c = services.appointments.add(
        case_id, AppointmentDraft(datetime(2026, 11, 20, 10), 60, topic="Étude de marché")
    )
    return case_id, appointment_id


def appointments_page(view: CaseView) -> AppointmentsPage:
    view.show_page("Appointments")
    page = view.page("Appointments")
    assert isinstance(page, AppointmentsPage)
    return page


def test_an_appointment_marked_done_and_undone_leaves_no_hours_on_the_case(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    case_id, _appointment_id = case_with_appointment(window)
    view = opened(window.open_case(case_id))
    page = appointments_page(view)
    assert not window.undo_action.isEnabled()

    page.editor.status_buttons[AppointmentStatus.DONE].click()
    landed(window, qtbot)
    assert services.cases.get(case_id).done_minutes == 60
    assert format_duration(60) in view.summary.text()
    assert window.undo_action.text() == "Undo “Mark the appointment done”"

    window.undo_action.trigger()
    landed(window, qtbot)
    assert services.cases.get(case_id).done_minutes == 0
    assert format_duration(0) in page.total.text()
    assert page.editor.status_buttons[AppointmentStatus.DONE].isEnabled()
    assert window.redo_action.text() == "Redo “Mark the appointment done”"


def test_redo_marks_it_done_again(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    case_id, _appointment_id = case_with_appointment(window)
    page = appointments_page(opened(window.open_case(case_id)))
    page.editor.status_buttons[AppointmentStatus.DONE].click()
    landed(window, qtbot)
    window.undo_action.trigger()
    landed(window, qtbot)

    window.redo_action.trigger()
    landed(window, qtbot)
    [appointment] = services.cases.get(case_id).appointments
    assert appointment.status is AppointmentStatus.DONE
    assert format_duration(60) in page.total.text()


def test_a_removed_plan_line_comes_back_with_ctrl_z(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    funding = services.funding
    funding.add_plan_line(case_id, FinancingSide.NEED, "Four à pain", 1_200_000)
    funding.add_plan_line(case_id, FinancingSide.NEED, "Stock de départ", 300_000)
    view = opened(window.open_case(case_id))
    view.show_page("Financing")
    page = view.page("Financing")
    assert isinstance(page, FinancingPage)
    page.needs.table.setCurrentCell(0, 0)

    page.needs.remove.click()
    landed(window, qtbot)
    assert [line.label for line in services.cases.get(case_id).plan.lines] == ["Stock de départ"]
    assert page.needs.table.rowCount() == 1

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.needs.table.setFocus()
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    qtbot.keyClick(page.needs.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    landed(window, qtbot)
    plan = services.cases.get(case_id).plan
    assert [line.label for line in plan.lines] == ["Four à pain", "Stock de départ"]  # its place
    assert plan.total_needs == 1_500_000
    assert page.needs.table.item(0, 0).text() == "Four à pain"  # type: ignore[union-attr]


def test_an_edited_field_is_undone_by_name_and_shows_its_old_value(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre", email="a@b.fr"))
    view = opened(window.open_case(case_id))
    email = view.page("Identity").fields["email"]  # type: ignore[attr-defined]
    assert isinstance(email, SavedLine)

    email.line.setText("amelie@exemple.fr")
    email.commit()
    landed(window, qtbot)
    assert window.undo_action.text() == "Undo “Edit: E-mail”"

    window.undo_action.trigger()
    landed(window, qtbot)
    assert services.cases.get(case_id).person.email == "a@b.fr"
    assert email.line.text() == "a@b.fr"


def test_a_forecast_cell_and_a_removed_funding_request_are_undone(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    services.funding.add_request(
        case_id, FundingDraft("Initiative Creuse", FundingKind.HONOUR_LOAN, 800_000)
    )
    view = opened(window.open_case(case_id))
    view.show_page("Financing")
    page = view.page("Financing")
    assert isinstance(page, FinancingPage)

    page.forecast.table.item(0, 0).setText("45 000")  # type: ignore[union-attr]
    landed(window, qtbot)
    assert services.cases.get(case_id).forecast[0].amount("turnover") == 4_500_000
    page.funding.selectRow(0)
    page.remove_request.click()
    landed(window, qtbot)
    assert services.cases.get(case_id).funding == []

    window.undo_action.trigger()
    landed(window, qtbot)
    [request] = services.cases.get(case_id).funding
    assert (request.funder, request.amount_asked_cents) == ("Initiative Creuse", 800_000)
    window.undo_action.trigger()
    landed(window, qtbot)
    forecast = services.cases.get(case_id).forecast
    assert all(year.amount("turnover") == 0 for year in forecast)


def test_a_removed_note_and_document_come_back_whole(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    services.notes.add_note(case_id, "Appeler la banque mardi")
    scan = tmp_path / "Kbis.pdf"
    scan.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 400)
    services.notes.attach(case_id, scan)
    view = opened(window.open_case(case_id))

    view.show_page("Notes")
    notes = view.page("Notes")
    assert isinstance(notes, NotesPage)
    notes.list.setCurrentRow(0)
    notes.remove.click()
    view.show_page("Documents")
    documents = view.page("Documents")
    assert isinstance(documents, DocumentsPage)
    documents.list.setCurrentRow(0)
    documents.remove.click()
    landed(window, qtbot)
    case = services.cases.get(case_id)
    assert case.notes == [] and case.attachments == []

    window.undo_action.trigger()
    window.undo_action.trigger()
    landed(window, qtbot)
    case = services.cases.get(case_id)
    assert [note.text for note in case.notes] == ["Appeler la banque mardi"]
    [document] = case.attachments
    assert services.notes.attachment_content(case_id, document.id) == (
        "Kbis.pdf",
        scan.read_bytes(),
    )
    assert documents.list.count() == 1


def test_undo_follows_the_case_tab_shown(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    first, _appointment = case_with_appointment(window)
    second, _d, _c = services.cases.create(NewCase("Noël", "Château"))
    page = appointments_page(opened(window.open_case(first)))
    page.editor.status_buttons[AppointmentStatus.CANCELLED].click()
    landed(window, qtbot)
    assert window.undo_action.isEnabled()

    opened(window.open_case(second))
    assert not window.undo_action.isEnabled()  # nothing done in this case yet
    window.show_page("agenda")
    assert not window.undo_action.isEnabled()  # nor on a page that is not a case

    opened(window.open_case(first))
    assert window.undo_action.text() == "Undo “Mark the appointment cancelled”"
    window.undo_action.trigger()
    landed(window, qtbot)
    [appointment] = services.cases.get(first).appointments
    assert appointment.status is AppointmentStatus.PLANNED


def test_a_consent_recorded_then_withdrawn_is_undone_step_by_step(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    view = opened(window.open_case(case_id))
    box = view.page("Identity").consents  # type: ignore[attr-defined]
    assert isinstance(box, ConsentsBox)

    dialog = box.record_processing_consent()
    dialog.how.setText("Formulaire signé")
    dialog.save()
    landed(window, qtbot)
    assert not box.record_processing.isVisible()
    assert window.undo_action.text() == "Undo “Record the consent”"

    window.undo_action.trigger()
    landed(window, qtbot)
    assert services.cases.get(case_id).consents == []
    assert box.record_processing.isVisible()


def test_ctrl_z_in_a_field_with_nothing_typed_undoes_the_last_change_of_the_case(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    view = opened(window.open_case(case_id))
    page = view.page("Identity")
    commune = page.fields["commune"]  # type: ignore[attr-defined]
    phone = page.fields["phone"]  # type: ignore[attr-defined]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    commune.line.setFocus()
    qtbot.keyClicks(commune.line, "Limoges")
    phone.line.setFocus()  # leaving the field saves it
    landed(window, qtbot)
    assert services.cases.get(case_id).person.commune == "Limoges"

    qtbot.keyClick(phone.line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    landed(window, qtbot)
    assert services.cases.get(case_id).person.commune == ""
    assert commune.line.text() == ""
