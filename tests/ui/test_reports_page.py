"""The Reports page prints the chosen report in the background, for the chosen case."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from advisor_app.domain.enums import AppointmentStatus
from advisor_app.services import AppointmentDraft, NewCase, Services
from advisor_app.ui.main_window import MainWindow


def test_print_report_on_a_case_writes_its_progress_report(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    case_id, _d, _c = services.cases.create(
        NewCase("Maëlle", "Château", project_title="Savonnerie")
    )
    services.appointments.add(
        case_id, AppointmentDraft(datetime(2026, 11, 20, 9), 90, status=AppointmentStatus.DONE)
    )
    window.open_case(case_id)
    window.print_case_action.trigger()
    assert window.current_page() == "reports"
    page = window.reports
    assert page.case_id() == case_id
    assert page.chosen_kind().key == "progress"
    target = tmp_path / "suivi.pdf"
    page.print_to(target)
    qtbot.waitUntil(lambda: page.last_written == target, timeout=20_000)
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Maëlle Château" in text
    assert page.open_button.isVisible()


def test_the_activity_report_asks_for_a_period_not_a_case(window: MainWindow) -> None:
    window.show_page("reports")
    page = window.reports
    page.kind.setCurrentIndex(page.kind.findData("activity"))
    assert not page.case.isVisible()
    assert page.first.isVisible() and page.last.isVisible()
    page.kind.setCurrentIndex(page.kind.findData("committee"))
    assert page.case.isVisible() and page.password.isVisible()


def test_a_committee_file_password_has_twelve_characters_typed_twice(
    window: MainWindow, services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Maëlle", "Château"))
    window.show_page("reports")
    page = window.reports
    page.prepare(case_id, "committee")
    assert page.password.isVisible() and page.password_again.isVisible()
    target = tmp_path / "comité.pdf"
    page.password.setText("comité2027")
    page.password_again.setText("comité2027")
    page.print_to(target)
    assert "at least 12 characters" in page.status.text()
    page.password.setText("le four chauffe à cinq heures")
    page.password_again.setText("le four chauffe à six heures")
    page.print_to(target)
    assert "differ" in page.status.text()
    assert not target.exists()
    page.password_again.setText("le four chauffe à cinq heures")
    page.print_to(target)
    qtbot.waitUntil(lambda: page.last_written == target, timeout=20_000)
    reader = PdfReader(target)
    assert reader.is_encrypted and reader.decrypt("le four chauffe à cinq heures")
