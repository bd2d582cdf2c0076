"""An advisor closes a case with its outcome, reopens it, bins it, restores it, empties the bin."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QTableWidget
from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import Outcome
from advisor_app.services import NewCase
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.session import AppSession
from tests.ui.conftest import opened, shown_list

STATUS_COLUMN = 7


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def open_case(session: AppSession, first_name: str = "Zoé") -> str:
    """A case opened as the New case dialog does, so that open pages hear of it."""
    new = NewCase(first_name=first_name, last_name="Müller", processing_consent_how="Signed form")
    case_id, _dups, _changes = session.edit(lambda: session.services.cases.create(new))
    return case_id


def written(window: MainWindow, qtbot: QtBot) -> None:
    """Every write asked for has landed (the one writer runs off the interface thread)."""
    qtbot.waitUntil(lambda: not window.session.writing)


def listed_names(window: MainWindow, qtbot: QtBot) -> list[str]:
    model = shown_list(window, qtbot).model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_a_closed_case_shows_its_outcome_and_the_list_shows_it_closed(
    window: MainWindow, qtbot: QtBot
) -> None:
    case_id = open_case(window.session)
    view = opened(window.open_case(case_id))

    dialog = view.case_actions.close_case()
    dialog.choose_outcome(Outcome.BUSINESS_CREATED)
    assert dialog.closed_on.text() == "2026-11-25"  # today, to change if it was earlier
    dialog.save()

    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    header = view.summary.text().replace("\u00a0", " ")  # each part kept whole by no-break spaces
    assert "Closed on 25 Nov 2026: Business created" in header
    assert view.case_actions.reopen_button.isVisible()
    assert not view.case_actions.close_button.isVisible()
    assert shown_list(window, qtbot).model.index(0, STATUS_COLUMN).data() == "Closed"


def test_a_closed_case_is_reopened(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    case_id = open_case(window.session)
    services.cases.close(case_id, Outcome.ABANDONED)
    view = opened(window.open_case(case_id))

    view.case_actions.reopen_button.click()

    written(window, qtbot)
    assert view.summary.text().startswith("Active")
    assert view.case_actions.close_button.isVisible()
    assert shown_list(window, qtbot).model.index(0, STATUS_COLUMN).data() == "Active"


def test_a_closing_date_before_the_opening_is_refused_at_the_field(
    window: MainWindow, qtbot: QtBot
) -> None:
    case_id = open_case(window.session)
    dialog = opened(window.open_case(case_id)).case_actions.close_case()
    dialog.closed_on.setText("01/01/2020")
    dialog.save()

    qtbot.waitUntil(lambda: bool(dialog.errors["closed_on"].text()))
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "before it was opened" in dialog.errors["closed_on"].text()
    assert window.session.services.cases.get(case_id).status.value == "active"


def test_a_case_moved_to_the_bin_leaves_the_list_and_is_restored(
    window: MainWindow, qtbot: QtBot
) -> None:
    case_id = open_case(window.session)
    open_case(window.session, "Léa")
    view = opened(window.open_case(case_id))

    confirmation = view.case_actions.ask_move_to_bin()
    assert "Zoé Müller" in confirmation.text()
    confirmation.confirm_button.click()

    qtbot.waitUntil(lambda: window.case_tabs.count() == 0)
    assert listed_names(window, qtbot) == ["Léa Müller"]
    bin_dialog = window.holders.open_bin()
    assert bin_dialog.table.rowCount() == 1
    assert cell(bin_dialog.table, 0, 0) == "Zoé Müller"

    bin_dialog.select(case_id)
    bin_dialog.restore_button.click()

    written(window, qtbot)
    assert bin_dialog.table.rowCount() == 0
    assert "empty" in bin_dialog.count.text()
    assert sorted(listed_names(window, qtbot)) == ["Léa Müller", "Zoé Müller"]


def test_emptying_the_bin_deletes_the_case_file_for_good(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    case_id = open_case(window.session)
    services.cases.move_to_bin(case_id)
    path = services.workspace.case_path(case_id)
    assert path.exists()
    bin_dialog = window.holders.open_bin()

    confirmation = bin_dialog.ask_empty()
    assert confirmation is not None
    assert "cannot be undone" in confirmation.informativeText()
    confirmation.confirm_button.click()

    written(window, qtbot)
    assert not path.exists()
    assert bin_dialog.table.rowCount() == 0
    assert not bin_dialog.empty_button.isEnabled()
    assert services.cases.binned() == []


def test_cancelling_the_confirmation_keeps_the_case(window: MainWindow, qtbot: QtBot) -> None:
    case_id = open_case(window.session)
    view = opened(window.open_case(case_id))

    view.case_actions.ask_move_to_bin().cancel_button.click()

    assert window.case_tabs.count() == 1
    assert listed_names(window, qtbot) == ["Zoé Müller"]


def test_a_case_closed_by_mistake_is_reopened_from_the_edit_menu(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    case_id = open_case(window.session)
    view = opened(window.open_case(case_id))
    dialog = view.case_actions.close_case()
    dialog.choose_outcome(Outcome.ABANDONED)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted)
    assert window.undo_action.text() == "Undo “Close the case”"

    window.undo_action.trigger()
    written(window, qtbot)
    assert services.cases.get(case_id).status.value == "active"
    assert view.case_actions.close_button.isVisible()
    window.redo_action.trigger()
    written(window, qtbot)
    case = services.cases.get(case_id)
    assert (case.status.value, case.outcome) == ("closed", Outcome.ABANDONED)
