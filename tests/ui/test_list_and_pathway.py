"""Search narrows the list; a late milestone is shown late; damaged files stay visible."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, Qt
from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import CaseStatus
from advisor_app.i18n import set_language
from advisor_app.services import NewCase, Services
from advisor_app.services.views import CaseSummary
from advisor_app.ui.case.pathway import PathwayPage
from advisor_app.ui.main_window import MainWindow
from advisor_app.ui.pages.holders_model import (
    HOURS_COLUMN,
    NEXT_COLUMN,
    STATUS_COLUMN,
    HoldersModel,
)
from advisor_app.ui.session import AppSession
from tests.ui.conftest import opened, shown_list
from tests.ui.layout_checks import clipped_headers


def _cases(services: Services) -> None:
    for first, last, project in (
        ("Léa", "Moreau", "Boulangerie bio"),
        ("Karim", "Diallo", "Camion pizza"),
        ("Anne", "Petit", "Boulangerie de village"),
    ):
        services.cases.create(NewCase(first_name=first, last_name=last, project_title=project))


def test_search_narrows_the_list(window: MainWindow, qtbot: QtBot) -> None:
    _cases(window.session.services)
    holders = shown_list(window, qtbot)
    holders.refresh()
    assert holders.model.rowCount() == 3
    qtbot.keyClicks(holders.search, "boulan")
    qtbot.waitUntil(lambda: holders.model.rowCount() == 2)
    qtbot.keyClicks(holders.search, " village")
    qtbot.waitUntil(lambda: holders.model.rowCount() == 1)
    assert holders.model.row_at(0).last_name == "Petit"
    assert "1 case" in holders.count.text()


def test_a_late_milestone_is_shown_late(window: MainWindow, qtbot: QtBot) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(
        NewCase(first_name="Léa", last_name="Moreau", opened_on=date(2026, 6, 1))
    )
    view = opened(window.open_case(case_id))
    page = view.page("Pathway")
    assert isinstance(page, PathwayPage)
    states = [page.table.item(row, 3).text() for row in range(page.table.rowCount())]
    assert states[1] == "Late"  # diagnosis was due three weeks after opening
    assert page.table.item(1, 3).data(Qt.ItemDataRole.UserRole) == "late"
    assert "late" in page.progress_caption.text()
    holders = shown_list(window, qtbot)
    holders.late.setChecked(True)
    assert holders.model.rowCount() == 1


def test_holders_model_sorts_plain_rows_and_shows_damage() -> None:
    def row(case_id: str, last: str, minutes: int, damaged: str | None = None) -> CaseSummary:
        return CaseSummary(
            case_id,
            "A",
            last,
            "",
            "",
            CaseStatus.ACTIVE,
            None,
            None,
            0,
            13,
            None,
            None,
            minutes,
            0,
            None,
            True,
            damaged,
        )

    model = HoldersModel()
    model.set_rows([row("1", "Zola", 30), row("2", "Abel", 90), row("3", "Marc", 0, "{}")])
    model.sort(6, Qt.SortOrder.DescendingOrder)
    assert [r.case_id for r in model.rows()] == ["2", "1", "3"]
    model.sort(0)
    assert model.data(model.index(0, 0)) == "A Abel"
    assert model.data(model.index(1, 7)) == "Damaged file"


def test_the_list_fits_half_a_screen_without_scrolling_sideways(
    demo_services: Services, qtbot: QtBot
) -> None:
    set_language("fr")
    window = MainWindow(AppSession(demo_services))
    qtbot.addWidget(window)
    window.resize(960, 600)
    window.show()
    window.show_page("holders")
    table = window.holders.table
    header = table.horizontalHeader()
    assert not table.horizontalScrollBar().isVisible()
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    assert sum(header.sectionSize(c) for c in shown) <= table.viewport().width()
    assert {STATUS_COLUMN, NEXT_COLUMN, HOURS_COLUMN} <= set(shown)
    assert clipped_headers(header) == []
    model = window.holders.model
    assert model.headerData(NEXT_COLUMN, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    window.resize(1400, 800)
    QCoreApplication.processEvents()
    assert not any(header.isSectionHidden(c) for c in range(header.count()))
    assert not table.horizontalScrollBar().isVisible()


def test_the_pathway_comment_takes_the_room_left_and_wraps(window: MainWindow) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase(first_name="Léa", last_name="Moreau"))
    comment = "Premier rendez-vous très positif : le projet est mûr. " * 3
    services.milestones.set_comment(case_id, "welcome", comment)
    services.milestones.mark_done(case_id, "welcome")
    window.resize(960, 600)
    view = opened(window.open_case(case_id))
    view.show_page("Pathway")
    page = view.page("Pathway")
    assert isinstance(page, PathwayPage)
    QCoreApplication.processEvents()

    table = page.table
    assert not table.horizontalScrollBar().isVisible()
    last = table.horizontalHeader()
    assert last.sectionViewportPosition(4) + last.sectionSize(4) <= table.viewport().width()
    assert last.sectionSize(4) > 150  # not squeezed behind the other columns
    assert table.rowHeight(0) > table.rowHeight(1)  # the long comment wraps on its row
    assert table.item(0, 3).text() == "Done"  # "Réalisée" in French: une étape


def test_a_milestone_marked_done_today_is_undone_from_the_edit_menu(
    window: MainWindow, qtbot: QtBot
) -> None:
    services = window.session.services
    case_id, _d, _c = services.cases.create(NewCase(first_name="Léa", last_name="Moreau"))
    view = opened(window.open_case(case_id))
    view.show_page("Pathway")
    page = view.page("Pathway")
    assert isinstance(page, PathwayPage)
    page.table.selectRow(0)

    page.mark_today.click()
    qtbot.waitUntil(lambda: page.table.item(0, 3).text() == "Done")
    assert window.undo_action.text() == "Undo “Mark the milestone Welcome done”"
    window.undo_action.trigger()
    qtbot.waitUntil(lambda: page.table.item(0, 3).text() != "Done")
    assert services.cases.get(case_id).milestones[0].done_on is None
