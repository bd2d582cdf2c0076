"""The committee file a funder's committee reads, optionally protected by a password."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from advisor_app.domain.enums import FinancingSide
from advisor_app.domain.errors import NotFoundError
from advisor_app.i18n import format_money
from advisor_app.services import Services
from advisor_app.services.reports import ReportService
from tests.reports.conftest import PrintedCase, flat, ink_share, pdf_text, render_first_page


def test_the_plan_totals_are_those_of_the_case(
    services: Services, reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    plan = services.cases.get(printed_case.case_id).plan
    text = flat(pdf_text(reports.committee(printed_case.case_id, tmp_path / "c.pdf", "en")))
    assert plan.total_needs == plan.total_resources == 1_545_050
    assert f"Total needs {flat(format_money(plan.total_needs, 'en'))}" in text
    assert f"Total resources {flat(format_money(plan.total_resources, 'en'))}" in text
    assert "The plan is balanced" in text


def test_an_unbalanced_plan_is_flagged_not_hidden(
    services: Services, reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    services.funding.add_plan_line(printed_case.case_id, FinancingSide.NEED, "Vitrine", 250_000)
    text = flat(pdf_text(reports.committee(printed_case.case_id, tmp_path / "c.pdf", "en")))
    assert f"{flat(format_money(250_000, 'en'))} of resources are missing" in text


def test_the_forecast_shows_results_and_break_even(
    services: Services, reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    forecast = services.cases.get(printed_case.case_id).forecast
    text = flat(pdf_text(reports.committee(printed_case.case_id, tmp_path / "c.pdf", "en")))
    first = forecast[0]
    assert first.break_even_turnover is not None and first.break_even_month is not None
    assert flat(format_money(first.result, "en")) in text
    assert flat(format_money(first.break_even_turnover, "en")) in text
    assert f"month {first.break_even_month} of the year" in text
    assert "Initiative Gard" in text
    assert flat(format_money(800_000, "en")) in text


def test_a_protected_file_cannot_be_read_without_its_password(
    reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    path = reports.committee(
        printed_case.case_id, tmp_path / "c.pdf", "en", printed_case.funding_id, "s3cret-comité"
    )
    reader = PdfReader(path)
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not reader.decrypt("wrong")
    assert "Zoë Lefèvre" in pdf_text(path, password="s3cret-comité")
    assert reader.trailer["/Encrypt"]["/V"] == 5  # AES-256, not RC4
    if shutil.which("pdftotext"):  # a common reader asks for it too
        refused = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=False)
        assert refused.returncode != 0
        opened = subprocess.run(
            ["pdftotext", "-upw", "s3cret-comité", str(path), "-"], capture_output=True, check=False
        )
        assert "Lefèvre" in opened.stdout.decode()


def test_a_password_in_any_script_protects_the_file(
    reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    path = reports.committee(
        printed_case.case_id, tmp_path / "c.pdf", "fr", printed_case.funding_id, "κωδικός-пароль"
    )
    assert "Lefèvre" in pdf_text(path, password="κωδικός-пароль")


def test_an_unknown_funding_request_is_refused(
    reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    with pytest.raises(NotFoundError):
        reports.committee(printed_case.case_id, tmp_path / "c.pdf", "en", "no-such-request")
    assert not (tmp_path / "c.pdf").exists()


def test_the_first_page_is_not_blank(
    reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    path = reports.committee(printed_case.case_id, tmp_path / "c.pdf", "fr")
    assert ink_share(render_first_page(path, tmp_path)) > 0.02
