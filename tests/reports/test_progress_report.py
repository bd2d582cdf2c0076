"""The progress report an advisor hands to the person they accompany."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pypdf import PdfReader

from advisor_app.i18n import format_duration
from advisor_app.services import NewCase, Services
from advisor_app.services.reports import ReportService
from tests.reports.conftest import (
    PrintedCase,
    add_appointments,
    flat,
    ink_share,
    page_texts,
    pdf_text,
    render_first_page,
)


def test_the_report_names_the_holder_whatever_their_alphabet(
    reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    path = reports.progress(printed_case.case_id, tmp_path / "progress.pdf", "en")
    text = pdf_text(path)
    assert "Zoë Lefèvre-Παπαδοπούλου-Дмитриева" in text
    assert "Boulangerie « Œuf & Blé »" in text
    assert "Boutique de Gestion des Cévennes" in text
    assert "Hélène Dupré" in text


def test_the_total_hours_are_the_sum_of_the_appointments_done(
    reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    path = reports.progress(printed_case.case_id, tmp_path / "progress.pdf", "en")
    text = flat(pdf_text(path))
    expected = flat(format_duration(printed_case.done_minutes))
    assert printed_case.done_minutes == 9 * 60
    assert f"Total hours of accompaniment (appointments done) {expected}" in text


def test_a_case_with_200_appointments_runs_over_pages_with_the_table_header_on_each(
    services: Services, reports: ReportService, tmp_path: Path
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Иван", "Петров", project_title="Атлас"))
    done = add_appointments(services, case_id, 200, datetime(2025, 1, 6, 9, 0))
    path = reports.progress(case_id, tmp_path / "long.pdf", "en")
    pages = page_texts(path)
    assert len(pages) > 3
    with_header = [p for p in pages if "Topic and summary" in p]
    assert len(with_header) >= 3
    assert all(f"Page {n} of {len(pages)}" in p for n, p in enumerate(pages, start=1))
    assert all("Boutique de Gestion des Cévennes" in p for p in pages)
    total = flat(format_duration(done))
    assert total in flat(pages[-1]) or total in flat("".join(pages))


def test_missing_data_prints_as_not_provided(
    services: Services, reports: ReportService, tmp_path: Path
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Ana", "Sá"))
    text = pdf_text(reports.progress(case_id, tmp_path / "bare.pdf", "en"))
    assert "not provided" in text
    assert "No appointment yet." in text


def test_a_report_in_french_writes_dates_the_french_way(
    reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    text = pdf_text(reports.progress(printed_case.case_id, tmp_path / "fr.pdf", "fr"))
    assert "5 janv. 2026" in text
    assert "25 nov. 2026" in text  # the printing date, in the footer


def test_the_pdf_reads_as_a_pdf_and_its_first_page_is_not_blank(
    reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    path = reports.progress(printed_case.case_id, tmp_path / "progress.pdf", "en")
    assert PdfReader(path).metadata is not None
    assert ink_share(render_first_page(path, tmp_path)) > 0.02
