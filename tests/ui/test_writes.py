"""What the advisor types is written by the services' one writer, off the interface thread:
the field shows its value at once, a refusal that comes back is said at the field, and
nothing closes (a tab, the window) before every write has landed. A value refused and
left in its field is asked about rather than thrown away."""

from __future__ import annotations

import errno
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from advisor_app.services import AppointmentDraft, NewCase
from advisor_app.ui.case.appointments import AppointmentsPage
from advisor_app.ui.case.documents import DocumentsPage
from advisor_app.ui.case.identity import IdentityPage
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.widgets.fields import SavedLine
from tests.ui.conftest import opened


def identity(window: MainWindow, case_id: str) -> IdentityPage:
    page = opened(window.open_case(case_id)).page("Identity")
    assert isinstance(page, IdentityPage)
    return page


def new_case(window: MainWindow) -> str:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre", email="a@b.fr"))
    return case_id


def line(page: IdentityPage, key: str) -> SavedLine:
    field = page.fields[key]
    assert isinstance(field, SavedLine)
    return field


def test_a_field_shows_its_value_at_once_and_is_written_by_the_writer(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    case_id = new_case(window)
    commune = line(identity(window, case_id), "commune")

    commune.line.setText("Guéret")
    assert commune.commit()
    assert commune.line.text() == "Guéret"
    with qtbot.waitSignal(window.session.tasks.writes_settled):
        pass
    assert services.cases.get(case_id).person.commune == "Guéret"
    assert not commune.error.isVisible()


def test_a_refusal_coming_back_from_the_writer_is_said_at_the_field(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Amélie", "Dupré-Lefèvre"))
    appointment_id, _c = services.appointments.add(
        case_id, AppointmentDraft(datetime(2026, 11, 20, 10), 60)
    )
    view = opened(window.open_case(case_id))
    view.show_page("Appointments")
    page = view.page("Appointments")
    assert isinstance(page, AppointmentsPage)
    services.appointments.remove(case_id, appointment_id)  # by another window, say

    page.editor.topic.line.setText("Étude de marché")
    page.editor.topic.commit()
    qtbot.waitUntil(lambda: "no longer exists" in page.editor.topic.error.text())
    assert page.editor.topic.error.isVisible()
    assert not window.undo_action.isEnabled()  # nothing was done: nothing to undo


def test_closing_the_window_waits_for_the_writes_asked(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    case_id = new_case(window)
    page = identity(window, case_id)
    line(page, "commune").line.setText("Guéret")
    line(page, "commune").commit()
    line(page, "phone").line.setText("05 55 00 00 00")  # typed, Ctrl+Q before leaving it

    assert window.close()
    person = services.cases.get(case_id).person
    assert (person.commune, person.phone) == ("Guéret", "05 55 00 00 00")


def test_closing_a_tab_while_typing_keeps_what_was_typed(window: MainWindow) -> None:
    services = window.session.services
    case_id = new_case(window)
    line(identity(window, case_id), "postcode").line.setText("23000")

    window.close_tab_action.trigger()  # Ctrl+W, the cursor still in the field
    assert window.case_tabs.count() == 0
    assert services.cases.get(case_id).person.postcode == "23000"


def test_a_refused_email_is_asked_about_before_the_tab_closes(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    case_id = new_case(window)
    email = line(identity(window, case_id), "email")
    email.line.setText("amelie-at-exemple")
    assert not email.commit()
    assert email.error.isVisible()

    window.close_tab_action.trigger()
    question = window.question
    assert question is not None
    assert "E-mail" in question.text() and "refused" in question.text()
    question.keep_button.click()  # type: ignore[attr-defined]
    assert window.case_tabs.count() == 1
    assert email.line.text() == "amelie-at-exemple"  # still there, to be corrected

    window.close_tab_action.trigger()
    question = window.question
    assert question is not None
    question.discard_button.click()  # type: ignore[attr-defined]
    assert window.case_tabs.count() == 0
    assert services.cases.get(case_id).person.email == "a@b.fr"


def test_a_refused_value_is_asked_about_before_the_window_closes(
    window: MainWindow, qtbot: QtBot
) -> None:
    case_id = new_case(window)
    email = line(identity(window, case_id), "email")
    email.line.setText("amelie-at-exemple")
    email.commit()

    assert not window.close()
    assert window.isVisible()
    question = window.question
    assert question is not None
    question.discard_button.click()  # type: ignore[attr-defined]
    assert not window.isVisible()


def test_leaving_a_case_tab_with_a_refused_value_asks_too(window: MainWindow, qtbot: QtBot) -> None:
    first = new_case(window)
    second, _d, _c = window.session.services.cases.create(NewCase("Noël", "Château"))
    email = line(identity(window, first), "email")
    email.line.setText("amelie-at-exemple")
    email.commit()

    opened(window.open_case(second))
    question = window.question
    assert question is not None
    question.keep_button.click()  # type: ignore[attr-defined]
    current = window.current_case()
    assert current is not None and current.case_id == first


def test_a_document_is_attached_off_the_interface_thread(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    services = window.session.services
    case_id = new_case(window)
    view = opened(window.open_case(case_id))
    view.show_page("Documents")
    page = view.page("Documents")
    assert isinstance(page, DocumentsPage)
    scan = tmp_path / "Business plan.pdf"
    scan.write_bytes(b"%PDF-1.4 " + b"x" * 3_000_000)

    page.attach_file(scan)
    assert window.session.writing  # the window goes on while it is copied
    qtbot.waitUntil(lambda: page.list.count() == 1)
    [document] = services.cases.get(case_id).attachments
    assert (document.filename, document.size) == ("Business plan.pdf", scan.stat().st_size)
    assert window.undo_action.text() == "Undo “Attach Business plan.pdf”"


def test_a_file_too_large_is_refused_under_the_list(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    case_id = new_case(window)
    view = opened(window.open_case(case_id))
    page = view.page("Documents")
    assert isinstance(page, DocumentsPage)
    big = tmp_path / "Photos.zip"
    big.write_bytes(b"\0" * (window.session.services.settings.attachment_limit + 1))

    page.attach_file(big)
    qtbot.waitUntil(lambda: "too large" in page.error.text())
    assert page.list.count() == 0


def test_a_full_disk_puts_the_stored_value_back_and_says_it(
    window: MainWindow, qtbot: QtBot
) -> None:
    """A write the disk refuses (ENOSPC, as SQLite reports it) is not a refusal of the
    value: the field shows what is stored again and the window says why in a sentence."""
    case_id = new_case(window)
    commune = line(identity(window, case_id), "commune")

    def disk_full() -> object:
        raise OSError(errno.ENOSPC, "No space left on device")

    commune._save = lambda _value: disk_full  # the write the services would have made
    commune.line.setText("Guéret")
    with qtbot.waitSignal(window.session.tasks.failed) as failure:
        commune.commit()
    assert isinstance(failure.args[0], OSError)
    assert commune.line.text() == ""  # the stored value again
    assert not window.undo_action.isEnabled()  # nothing was written: nothing to undo
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert any("full" in box.text() for box in boxes)


def test_leaving_the_page_of_a_refused_value_asks_too(window: MainWindow, qtbot: QtBot) -> None:
    case_id = new_case(window)
    view = opened(window.open_case(case_id))
    email = line(identity(window, case_id), "email")
    email.line.setText("amelie-at-exemple")
    email.commit()

    view.show_page("Project")
    question = window.question
    assert question is not None
    question.keep_button.click()  # type: ignore[attr-defined]
    assert view.tabs.currentWidget() is view.pages["Identity"]

    view.show_page("Project")
    question = window.question
    assert question is not None
    question.discard_button.click()  # type: ignore[attr-defined]
    assert email.line.text() == "a@b.fr"
    assert view.tabs.currentWidget() is view.pages["Project"]
