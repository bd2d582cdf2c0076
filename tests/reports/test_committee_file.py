"""The committee file a funder's committee reads, optionally protected by a password."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from advisor_app.domain.enums import FinancingSide, FundingKind, Recommendation
from advisor_app.domain.errors import NotFoundError
from advisor_app.i18n import format_money
from advisor_app.services import FundingDraft, NewCase, Services
from advisor_app.services.reports import ReportService
from tests.reports.conftest import PrintedCase, flat, ink_share, pdf_text, render_first_page
from tests.reports.glyphs import pdf_overprints


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


# -- what a committee expects -------------------------------------------------------------


@pytest.fixture
def complete_case(services: Services, printed_case: PrintedCase) -> PrintedCase:
    """Zoë's file with everything a committee reads: background, loan terms, payment
    terms, assessment, a favourable opinion dated and ready to sign."""
    case_id = printed_case.case_id
    services.cases.update_person(
        case_id,
        {
            "training": "CAP boulanger (2008), brevet professionnel (2010).",
            "experience": "Huit ans d'ouvrière boulangère à Nîmes, trois comme cheffe de fournil.",
            "motivation": "Rouvrir le seul fournil du village, fermé depuis 2024.",
            "household": "En couple, deux enfants; son conjoint est salarié.",
        },
    )
    services.cases.update_project(
        case_id,
        {
            "sector": "Boulangerie",
            "planned_start": date(2027, 2, 1),
            "customer_days": 0,
            "stock_days": 12,
            "supplier_days": 30,
            "strengths": "Métier maîtrisé; local équipé; clientèle acquise.",
            "vigilance": "Trésorerie de démarrage juste; saisonnalité estivale.",
            "recommendation": Recommendation.FAVOURABLE,
            "recommended_amount_cents": 800_000,
            "opinion_signed_on": date(2026, 11, 20),
        },
    )
    request = services.cases.get(case_id).funding[0]
    services.funding.update_request(
        case_id,
        printed_case.funding_id,
        FundingDraft(
            request.funder,
            request.kind,
            request.amount_asked_cents,
            request.committee_on,
            term_months=60,
            deferral_months=6,
        ),
    )
    return printed_case


def _first_page(path: Path) -> str:
    return flat(PdfReader(path).pages[0].extract_text())


def test_an_empty_case_lists_what_is_missing_instead_of_printing_it(
    services: Services, reports: ReportService, tmp_path: Path
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Inès", "Benali"))
    path = reports.committee(case_id, tmp_path / "empty.pdf", "en")
    first, text = _first_page(path), flat(pdf_text(path))
    assert "To complete before the committee" in first
    for missing in (
        "No funding request recorded yet",
        "Birth date",
        "Training",
        "Professional experience",
        "Motivation",
        "Household situation",
        "Title of the project",
        "Financing plan",
        "Three-year forecast",
        "Customer payment terms (days)",
        "Strengths",
        "Points of vigilance",
        "Recommendation",
        "Date of the opinion",
    ):
        assert missing in first, missing
    # nothing left empty, and no default, is printed as if it were data
    assert "not provided" not in text
    assert "Other situation" not in text
    assert "Jobs expected" not in text
    assert "Favourable opinion" not in text
    assert "Committee file Inès Benali" in text  # not "Inès Benali – not provided – ..."


def test_an_empty_case_in_french_says_a_compléter(
    services: Services, reports: ReportService, tmp_path: Path
) -> None:
    case_id, _d, _c = services.cases.create(NewCase("Inès", "Benali"))
    path = reports.committee(case_id, tmp_path / "vide.pdf", "fr")
    first, text = _first_page(path), flat(pdf_text(path))
    assert "À compléter avant le comité" in first
    for missing in ("Formation", "Motivation", "Situation familiale", "Date de l'avis"):
        assert missing in first, missing
    assert "non renseigné" not in text
    assert "Autre situation" not in text


def test_a_complete_file_has_nothing_to_complete_and_a_formal_opinion(
    reports: ReportService, complete_case: PrintedCase, tmp_path: Path
) -> None:
    path = reports.committee(complete_case.case_id, tmp_path / "c.pdf", "en")
    text = flat(pdf_text(path))
    assert "To complete before the committee" not in text
    assert "Points to check" not in text
    for fact in (
        "CAP boulanger (2008)",
        "Huit ans d'ouvrière",
        "Rouvrir le seul fournil",
        "son conjoint est salarié",
        "Métier maîtrisé",
        "saisonnalité estivale",
        f"Favourable opinion for {flat(format_money(800_000, 'en'))}",
        "Signature",
        "Hélène Dupré",
    ):
        assert fact in text, fact
    assert "Nov 20, 2026" in text or "20 Nov 2026" in text


def test_a_requested_honour_loan_that_differs_from_the_plan_is_flagged(
    services: Services, reports: ReportService, complete_case: PrintedCase, tmp_path: Path
) -> None:
    case = services.cases.get(complete_case.case_id)
    honour_line = case.plan_line_ids[2]  # "Prêt d'honneur", 8 000 € like the request
    services.funding.update_plan_line(case.case_id, honour_line, "Prêt d'honneur", 1_000_000)
    path = reports.committee(case.case_id, tmp_path / "c.pdf", "en")
    first = _first_page(path)
    sentence = (
        f"Honour loan: {flat(format_money(800_000, 'en'))} asked, "
        f"{flat(format_money(1_000_000, 'en'))} in the financing plan."
    )
    assert "Points to check" in first
    assert sentence in first
    assert flat(pdf_text(path)).count(sentence) == 2  # on the first page and under the plan


def test_a_request_matching_the_plan_is_not_flagged(
    reports: ReportService, complete_case: PrintedCase, tmp_path: Path
) -> None:
    text = flat(pdf_text(reports.committee(complete_case.case_id, tmp_path / "c.pdf", "en")))
    assert "in the financing plan." not in text


def test_the_loan_terms_give_the_monthly_payment_and_the_repayments_of_each_year(
    services: Services, reports: ReportService, complete_case: PrintedCase, tmp_path: Path
) -> None:
    text = flat(pdf_text(reports.committee(complete_case.case_id, tmp_path / "c.pdf", "en")))
    monthly = 800_000 // 54  # 8 000 € over the 54 months after a 6-month deferral
    assert f"{flat(format_money(monthly, 'en'))} a month for 54 months, from month 7" in text
    assert "60 months, deferral included" in text
    year_1 = 6 * monthly  # months 7 to 12
    year_2 = 12 * monthly
    assert f"Loan repayments (capital) {flat(format_money(year_1, 'en'))}" in text
    assert flat(format_money(year_2, "en")) in text
    forecast = services.cases.get(complete_case.case_id).forecast
    left = forecast[0].cash_capacity - year_1
    assert f"CAF after repayments {flat(format_money(left, 'en'))}" in text
    assert "The self-financing capacity covers the loan repayments every year." in text


def test_repayments_the_self_financing_capacity_does_not_cover_are_flagged(
    services: Services, reports: ReportService, complete_case: PrintedCase, tmp_path: Path
) -> None:
    services.funding.add_request(
        complete_case.case_id,
        FundingDraft(
            "Banque Populaire du Sud",
            FundingKind.BANK_LOAN,
            10_000_000,
            term_months=24,
            deferral_months=0,
            annual_rate_basis_points=450,
        ),
    )
    path = reports.committee(complete_case.case_id, tmp_path / "c.pdf", "en")
    first = _first_page(path)
    assert "Year 1: the self-financing capacity" in first
    assert "does not cover the loan repayments" in first
    # and the bank loan, absent from the plan, is flagged too
    assert "Bank loan: " in first and "no line of the financing plan names it" in first


def test_the_forecast_shows_the_intermediate_management_balances(
    services: Services, reports: ReportService, complete_case: PrintedCase, tmp_path: Path
) -> None:
    text = flat(pdf_text(reports.committee(complete_case.case_id, tmp_path / "c.pdf", "en")))
    first = services.cases.get(complete_case.case_id).forecast[0]
    # turnover 90 000 €, purchases 30 000 €, external charges 15 000 €, holder's pay 18 000 €
    for caption, cents in (
        ("Gross margin", 6_000_000),
        ("Value added", 4_500_000),
        ("Gross operating surplus (EBE)", 2_700_000),
        ("Self-financing capacity (CAF)", first.cash_capacity),
    ):
        assert f"{caption} {flat(format_money(cents, 'en'))}" in text, caption


def test_the_working_capital_need_is_computed_from_the_payment_terms(
    reports: ReportService, complete_case: PrintedCase, tmp_path: Path
) -> None:
    text = flat(pdf_text(reports.committee(complete_case.case_id, tmp_path / "c.pdf", "en")))
    # customers pay cash; 12 days of purchases in stock; suppliers paid at 30 days
    stock, payables = 3_000_000 * 12 // 360, 3_000_000 * 30 // 360
    assert f"Value of the stock {flat(format_money(stock, 'en'))}" in text
    need = flat(format_money(stock - payables, "en"))
    assert f"Working capital need in year 1 {need}" in text
    assert "A negative need brings cash" in text


def test_a_loan_without_its_terms_is_listed_to_complete(
    services: Services, reports: ReportService, printed_case: PrintedCase, tmp_path: Path
) -> None:
    services.funding.add_request(
        printed_case.case_id,
        FundingDraft("Crédit Mutuel", FundingKind.BANK_LOAN, 2_000_000, term_months=84),
    )
    first = _first_page(reports.committee(printed_case.case_id, tmp_path / "c.pdf", "en"))
    assert "Length of the loan" in first  # of the honour loan printed
    assert "Deferral of the loan (0 if none)" in first
    assert "Terms of the loan from Crédit Mutuel" in first


def test_long_background_and_opinion_split_across_pages_without_overprinting(
    services: Services, reports: ReportService, complete_case: PrintedCase, tmp_path: Path
) -> None:
    long = ("Expérience de 1 200 000,00 € de chiffre d'affaires, de 11:30 à 12:15. " * 80)[:5_000]
    services.cases.update_person(complete_case.case_id, {"experience": long + " FIN-EXP"})
    services.cases.update_project(complete_case.case_id, {"vigilance": long + " FIN-VIG"})
    for language in ("fr", "en"):
        path = reports.committee(complete_case.case_id, tmp_path / f"c-{language}.pdf", language)
        text = flat(pdf_text(path))
        assert "FIN-EXP" in text and "FIN-VIG" in text
        assert len(PdfReader(path).pages) >= 4
        assert pdf_overprints(path) == []
