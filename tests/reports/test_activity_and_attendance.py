"""The activity report for the organisation's funders, and attendance sheets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from advisor_app.i18n import format_duration
from advisor_app.services import Services
from advisor_app.services.reports import ReportService
from tests.reports.conftest import PrintedCase, flat, ink_share, pdf_text, render_first_page


def test_the_activity_report_over_the_demo_says_its_figures(
    demo_services: Services, tmp_path: Path
) -> None:
    reports = ReportService(demo_services)
    figures = reports.figures(date(2026, 1, 1), date(2026, 12, 31))
    path = reports.activity(date(2026, 1, 1), date(2026, 12, 31), tmp_path / "a.pdf", "en")
    text = flat(pdf_text(path))
    assert figures.people_received > 0
    assert f"People received {figures.people_received}" in text
    assert f"Hours of accompaniment {flat(format_duration(figures.minutes_done))}" in text
    assert "Appointments by mode" in text
    assert ink_share(render_first_page(path, tmp_path)) > 0.02


def test_an_activity_report_over_an_empty_period_still_prints(
    reports: ReportService, tmp_path: Path
) -> None:
    path = reports.activity(date(2020, 1, 1), date(2020, 1, 31), tmp_path / "a.pdf", "fr")
    text = pdf_text(path)
    assert "Du 1er janv. 2020 au 31 janv. 2020" in text
    assert "Aucun rendez-vous réalisé sur cette période." in text


def test_the_attendance_sheet_lists_the_appointments_done_in_the_period(
    services: Services, reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    case = services.cases.get(printed_case.case_id)
    first, last = date(2026, 2, 2), date(2026, 2, 8)
    lines = [
        a for a in case.appointments if a.status.value == "done" and first <= a.start.date() <= last
    ]
    path = reports.attendance(printed_case.case_id, first, last, tmp_path / "t.pdf", "en")
    text = flat(pdf_text(path))
    assert len(lines) == 4
    assert f"Total {flat(format_duration(sum(a.minutes for a in lines)))}" in text
    assert "Holder's signature" in text
    assert text.count("Étude de marché") == 4
    assert "Zoë Lefèvre-Παπαδοπούλου-Дмитриева" in text
    assert ink_share(render_first_page(path, tmp_path)) > 0.02


def test_an_attendance_sheet_with_nothing_done_says_so(
    reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    path = reports.attendance(
        printed_case.case_id, date(2030, 1, 1), date(2030, 1, 2), tmp_path / "t.pdf", "en"
    )
    assert "No appointment done in this period." in pdf_text(path)


def test_progress_reports_of_many_cases_report_their_progress(
    reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    steps = list(reports.progress_batch([printed_case.case_id], tmp_path))
    assert [(s.done, s.total) for s in steps] == [(1, 1)]
    assert list(tmp_path.glob("*Lefèvre-Παπαδοπούλου-Дмитриева Zoë*.pdf"))
