"""An advisor types a person who already has a case: Boussole says so before creating
anything, and offers to open that case or to create anyway; two open cases of the same name
have tabs that tell them apart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from advisor_app.i18n import format_date
from advisor_app.services import NewCase, Services
from advisor_app.ui.dialogs.new_case import DuplicatesDialog, NewCaseDialog
from advisor_app.ui.main_window import MainWindow
from tests.ui.conftest import opened


def _amelie(services: Services, born: date = date(1988, 3, 14), commune: str = "Guéret") -> str:
    case_id, _d, _c = services.cases.create(
        NewCase(
            "Amélie",
            "Dupré-Lefèvre",
            birth_date=born,
            commune=commune,
            opened_on=date(2025, 2, 3),
        )
    )
    return case_id


def _typed_again(window: MainWindow, qtbot: QtBot) -> NewCaseDialog:
    dialog = NewCaseDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.first_name.setText("amelie")
    dialog.last_name.setText("DUPRE LEFEVRE")
    return dialog


def _answer(dialog: NewCaseDialog, choose: Callable[[DuplicatesDialog], None]) -> list[list[str]]:
    """Save the new case and answer the warning with `choose`; the rows it listed."""
    rows: list[list[str]] = []

    def answer() -> None:
        warning = dialog.duplicates_dialog
        assert warning is not None and warning.isVisible()
        table = warning.table
        for row in range(table.topLevelItemCount()):
            item = table.topLevelItem(row)
            rows.append([item.text(column) for column in range(warning.COLUMNS)])
        choose(warning)

    QTimer.singleShot(0, answer)
    dialog.save()
    return rows


def test_opening_the_existing_case_creates_nothing(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    first = _amelie(services)
    dialog = _typed_again(window, qtbot)
    rows = _answer(dialog, lambda warning: warning.open_button.click())
    assert rows == [
        [
            "Amélie Dupré-Lefèvre",
            format_date(date(1988, 3, 14)),
            "Guéret",
            "Active",
            format_date(date(2025, 2, 3)),
            "Same first and last names",
        ]
    ]
    assert dialog.result() == NewCaseDialog.DialogCode.Accepted
    assert (dialog.case_id, dialog.created) == (first, False)
    assert len(services.search.cases()) == 1


def test_create_anyway_creates_a_second_case(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    _amelie(services)
    dialog = _typed_again(window, qtbot)
    _answer(dialog, lambda warning: warning.create_button.click())
    qtbot.waitUntil(lambda: dialog.created)  # written by the one writer
    assert dialog.case_id is not None
    assert len(services.search.cases()) == 2


def test_back_to_the_form_keeps_what_was_typed(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    _amelie(services)
    dialog = _typed_again(window, qtbot)
    _answer(dialog, lambda warning: warning.back_button.click())
    assert dialog.case_id is None
    assert dialog.last_name.text() == "DUPRE LEFEVRE"
    assert len(services.search.cases()) == 1


def test_no_warning_for_someone_new(window: MainWindow, qtbot: QtBot) -> None:
    _amelie(window.session.services)
    dialog = NewCaseDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.first_name.setText("Jules")
    dialog.last_name.setText("Perrin")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.created)
    assert dialog.duplicates_dialog is None


def test_two_open_cases_of_the_same_name_have_tabs_told_apart(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    older = _amelie(services)
    younger = _amelie(services, born=date(1995, 6, 1), commune="Aubusson")
    opened(window.open_case(older))
    opened(window.open_case(younger))
    tabs = window.case_tabs
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Amélie Dupré-Lefèvre (1988)",
        "Amélie Dupré-Lefèvre (1995)",
    ]
    window.close_case_tab(1)
    assert tabs.tabText(0) == "Amélie Dupré-Lefèvre"


def test_namesakes_born_the_same_year_are_told_apart_by_their_commune(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    opened(window.open_case(_amelie(services, born=date(1988, 1, 2), commune="Guéret")))
    opened(window.open_case(_amelie(services, born=date(1988, 9, 9), commune="Aubusson")))
    tabs = window.case_tabs
    assert {tabs.tabText(i) for i in range(tabs.count())} == {
        "Amélie Dupré-Lefèvre (Guéret)",
        "Amélie Dupré-Lefèvre (Aubusson)",
    }


def test_a_tab_follows_its_person_s_new_name(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase("Léa", "Roux"))
    opened(window.open_case(case_id))
    window.session.edit(lambda: services.cases.update_person(case_id, {"first_name": "Zoé"}))
    qtbot.waitUntil(lambda: window.case_tabs.tabText(0) == "Zoé Roux")
